import {
  returnRequests, reviews, type CallStatus, type TranscriptLine,
} from '../../src/db/schema'
import { seedOrder } from '../returns/support'
import { createAccount, type TestAccount, type TestContext } from '../support/harness'

export interface SeededReturn {
  id: string
  orderNumber: string
  productId: string
  productName: string
  customer: TestAccount
}

const line = (type: 'agent' | 'user', text: string, second: number): TranscriptLine =>
  ({ type, text, timestamp: `2025-01-01T10:00:${String(second).padStart(2, '0')}Z` })

export const sampleTranscript: TranscriptLine[] = [
  line('agent', 'Hello, this is Amazon Eye about your return.', 0),
  line('user', 'The kettle leaks from the bottom.', 5),
  line('agent', 'I am sorry. We can refund or replace it.', 9),
  line('user', 'A refund please.', 12),
]

/** A valid analysis as Gemini would return it. */
export const goodAnalysis = {
  summary: 'The customer reports a leaking kettle and asks for a refund.',
  customerIssue: 'The kettle leaks from the bottom.',
  sentiment: { label: 'negative', score: -0.4 },
  resolutionOffered: 'Refund or replacement',
  nextSteps: ['Issue the refund', 'Send a prepaid return label'],
  callQuality: { score: 8, notes: 'Polite and quick.' },
  keyInsights: ['Possible batch defect in the seal'],
  recommendedOutcome: 'refund',
}

/** A customer, a delivered order of one product, and a return request with a call. */
export async function seedReturn(
  ctx: TestContext,
  options: { transcript?: TranscriptLine[] | null; isCalled?: CallStatus } = {},
): Promise<SeededReturn> {
  const customer = await createAccount(ctx, 'customer')
  const order = await seedOrder(ctx, customer, { lineTotals: ['20.00'] })
  const [product] = order.items

  const [request] = await ctx.database.db.insert(returnRequests).values({
    orderId: order.id, userId: customer.id, productId: product!.productId,
    title: 'Leaking kettle', reason: 'It leaks', isCalled: options.isCalled ?? 'completed',
    transcript: options.transcript === undefined ? sampleTranscript : options.transcript,
    callSid: `CA${crypto.randomUUID().replaceAll('-', '')}`,
  }).returning({ id: returnRequests.id })

  return {
    id: request!.id,
    orderNumber: order.orderNumber,
    productId: product!.productId,
    productName: product!.name,
    customer,
  }
}

/** Adds `count` reviews to a product, newest last. */
export async function seedReviews(ctx: TestContext, productId: string, count: number) {
  if (count === 0) return
  const rows = Array.from({ length: count }, (_, index) => ({
    productId,
    reviewerId: `reviewer-${index}`,
    reviewRating: 1 + (index % 5),
    reviewTitle: `Review ${index}`,
    reviewBody: `Body ${index} `.repeat(200),
    reviewDate: new Date(Date.now() - (count - index) * 60_000),
  }))
  await ctx.database.db.insert(reviews).values(rows)
}
