import { eq } from 'drizzle-orm'
import {
  orders, products, returnRequests, reviews, type CallStatus, type ReturnRequestRow,
  type TranscriptLine,
} from '../../src/db/schema'
import { createAccount, type TestAccount, type TestContext } from '../support/harness'

/** Creating an embedded database compiles WebAssembly: seconds on a busy machine. */
export const SLOW_START_MS = 120_000

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

/** A customer, a seller's product, a delivered order and a return request with a call. */
export async function seedReturn(
  ctx: TestContext,
  options: { transcript?: TranscriptLine[] | null; isCalled?: CallStatus } = {},
): Promise<SeededReturn> {
  const { db } = ctx.database
  const customer = await createAccount(ctx, 'customer')
  const seller = await createAccount(ctx, 'seller')
  const tag = crypto.randomUUID().slice(0, 8)
  const productName = `Kettle ${tag}`
  const orderNumber = `ORD-T-${tag.toUpperCase()}`

  const [product] = await db.insert(products).values({
    name: productName, price: '20.00', stock: 5, category: 'Kitchen', sellerId: seller.id,
  }).returning({ id: products.id })
  const [order] = await db.insert(orders).values({
    orderNumber, userId: customer.id, shippingAddress: '1 Main St', city: 'Springfield',
    state: 'IL', zipCode: '62701', firstName: 'Ada', lastName: 'Lovelace', email: customer.email,
    subtotal: '20.00', tax: '2.00', shipping: '10.00', total: '32.00', status: 'DELIVERED',
  }).returning({ id: orders.id })
  const [request] = await db.insert(returnRequests).values({
    orderId: order!.id, userId: customer.id, productId: product!.id, title: 'Leaking kettle',
    reason: 'It leaks', isCalled: options.isCalled ?? 'completed',
    transcript: options.transcript === undefined ? sampleTranscript : options.transcript,
    callSid: `CA${tag}${tag}`,
  }).returning({ id: returnRequests.id })

  return { id: request!.id, orderNumber, productId: product!.id, productName, customer }
}

export async function returnRow(ctx: TestContext, id: string): Promise<ReturnRequestRow> {
  const [row] = await ctx.database.db.select().from(returnRequests).where(eq(returnRequests.id, id))
  return row!
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
