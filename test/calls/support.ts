import { eq } from 'drizzle-orm'
import { returnRequests } from '../../src/db/schema'
import { call, type TestAccount, type TestContext } from '../support/harness'
import { returnBody, seedOrder } from '../returns/support'

export const WEBHOOK_SECRET = 'whsec-test-0123456789abcdef'

/** Opens a return request through the API; its call is queued, not placed. */
export async function openReturn(ctx: TestContext, customer: TestAccount) {
  const order = await seedOrder(ctx, customer)
  const res = await call(ctx, 'POST', `/api/orders/${order.id}/return`, {
    body: returnBody(order.items[0]!.productId), token: customer.token,
  })
  if (res.status !== 201) throw new Error(`return not created: ${JSON.stringify(res.body)}`)
  return { id: res.body.id as string, order }
}

/** A return request whose call the calling service accepted, as dispatch leaves it. */
export async function placedCall(ctx: TestContext, customer: TestAccount) {
  const opened = await openReturn(ctx, customer)
  const callSid = `CA${crypto.randomUUID().replaceAll('-', '')}`
  await ctx.database.db.update(returnRequests)
    .set({ callSid, isCalled: 'initiated', callStartedAt: new Date() })
    .where(eq(returnRequests.id, opened.id))
  return { ...opened, callSid }
}

let tick = 0

/** A transcript line with a distinct timestamp. */
export function line(type: 'agent' | 'user', text: string) {
  tick += 1
  return { type, text, timestamp: new Date(Date.UTC(2025, 0, 1, 12, 0, tick)).toISOString() }
}
