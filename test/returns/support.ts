import { and, eq, inArray, sql } from 'drizzle-orm'
import {
  callEvents, jobs, orderItems, orders, products, returnRequests, type OrderStatus,
} from '../../src/db/schema'
import { newOrderNumber } from '../../src/orders/order-number'
import { createAccount, type TestAccount, type TestContext } from '../support/harness'
import { useTestContext } from '../support/suite'

export interface SeededOrder {
  id: string
  orderNumber: string
  /** The products of the order, with what was paid for each line. */
  items: { productId: string; name: string; total: number }[]
}

export interface OrderOptions {
  status?: OrderStatus
  /** The order's own phone; null leaves it to the account's. */
  phone?: string | null
  firstName?: string
  lineTotals?: string[]
}

/**
 * The test context of a file that opens return requests and runs no worker: the queue is not
 * polled, and the calls the file queued are settled before the context closes.
 */
export const useReturnsContext = (env: Record<string, string> = {}) =>
  useTestContext({ QUEUE_POLL_MS: '60000', ...env }, { beforeClose: settleQueuedCalls })

/** Customers who got orders in this test file, so their queued calls can be settled. */
const customers = new Set<string>()

/**
 * Inserts an order straight into the database (the checkout routes belong to another area),
 * DELIVERED unless told otherwise, with one product per line total.
 */
export async function seedOrder(
  ctx: TestContext,
  customer: TestAccount,
  options: OrderOptions = {},
): Promise<SeededOrder> {
  const db = ctx.database.db
  customers.add(customer.id)
  const seller = await createAccount(ctx, 'seller')
  const lineTotals = options.lineTotals ?? ['49.98', '15.00']
  const suffix = crypto.randomUUID().slice(0, 8)

  const created = await db.insert(products).values(lineTotals.map((_, index) => ({
    name: `Test product ${index + 1} ${suffix}`,
    price: '10.00',
    stock: 5,
    category: 'Test',
    sellerId: seller.id,
  }))).returning({ id: products.id, name: products.name })

  const [order] = await db.insert(orders).values({
    orderNumber: newOrderNumber(),
    userId: customer.id,
    shippingAddress: '1 Test Street',
    city: 'Springfield',
    state: 'IL',
    zipCode: '62701',
    firstName: options.firstName ?? 'Jamie',
    lastName: 'Doe',
    email: customer.email,
    phone: options.phone === undefined ? null : options.phone,
    subtotal: '64.98',
    tax: '6.50',
    shipping: '0.00',
    total: '71.48',
    status: options.status ?? 'DELIVERED',
  }).returning({ id: orders.id, orderNumber: orders.orderNumber })

  await db.insert(orderItems).values(created.map((product, index) => ({
    orderId: order!.id,
    productId: product.id,
    quantity: 1,
    price: lineTotals[index]!,
    total: lineTotals[index]!,
  })))

  return {
    id: order!.id,
    orderNumber: order!.orderNumber,
    items: created.map((product, index) => ({
      productId: product.id, name: product.name, total: Number(lineTotals[index]),
    })),
  }
}

export const returnBody = (productId: string, extra: Record<string, unknown> = {}) => ({
  productId,
  title: 'Arrived broken',
  reason: 'The screen was cracked when I opened the box',
  ...extra,
})

/** The event types recorded for a return request, in order. */
export async function eventTypes(ctx: TestContext, returnRequestId: string): Promise<string[]> {
  const rows = await ctx.database.db
    .select({ type: callEvents.type })
    .from(callEvents)
    .where(eq(callEvents.returnRequestId, returnRequestId))
    .orderBy(callEvents.id)
  return rows.map((row) => row.type)
}

export async function eventsOf(ctx: TestContext, returnRequestId: string) {
  return ctx.database.db
    .select()
    .from(callEvents)
    .where(eq(callEvents.returnRequestId, returnRequestId))
    .orderBy(callEvents.id)
}

export async function jobsOf(ctx: TestContext, kind: string, returnRequestId: string) {
  return ctx.database.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.kind, kind), eq(jobs.dedupeKey, dedupeKeyOf(kind, returnRequestId))))
}

function dedupeKeyOf(kind: string, returnRequestId: string): string {
  return kind === 'call.dispatch' ? `call:${returnRequestId}` : `${kind}:${returnRequestId}`
}

export async function returnRow(ctx: TestContext, id: string) {
  const [row] = await ctx.database.db.select().from(returnRequests).where(eq(returnRequests.id, id))
  return row!
}

/**
 * Marks the still-queued call jobs of this file's customers done. Files that run no worker
 * call it last, so on a shared PostgreSQL another file's worker never places their calls.
 */
export async function settleQueuedCalls(ctx: TestContext) {
  if (customers.size === 0) return
  const mine = ctx.database.db
    .select({ id: sql<string>`${returnRequests.id}::text` })
    .from(returnRequests)
    .where(inArray(returnRequests.userId, [...customers]))
  await ctx.database.db.update(jobs)
    .set({ status: 'done', lastError: 'settled by the test that queued it' })
    .where(and(
      eq(jobs.status, 'queued'),
      inArray(jobs.kind, ['call.dispatch', 'call.simulate', 'analysis.call']),
      inArray(sql`${jobs.payload}->>'returnRequestId'`, mine),
    ))
}
