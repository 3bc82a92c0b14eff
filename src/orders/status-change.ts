import { eq, sql } from 'drizzle-orm'
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core'
import type { Database, Transaction } from '../db/client'
import { orderItems, orders, products, type OrderRow, type OrderStatus } from '../db/schema'
import { notFound } from '../shared/errors'
import { findOrder } from './queries'
import type { OrderView } from './schemas'
import { assertTransition } from './status'

/**
 * Moves an order along the lifecycle (see ./status). The order row is locked for the
 * transaction, so of two concurrent cancels one returns the stock and the other gets 409.
 * Stamps shippedAt/deliveredAt/cancelledAt; delivery marks the payment PAID, and cancelling
 * a paid order marks it REFUNDED.
 */
export async function changeOrderStatus(
  db: Database,
  orderId: string,
  to: OrderStatus,
): Promise<OrderView> {
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update')
    if (!order) throw notFound('Order')

    assertTransition(order.status, to)
    await tx.update(orders).set(changesFor(order, to)).where(eq(orders.id, orderId))
    if (to === 'CANCELLED') await returnStock(tx, orderId)

    return (await findOrder(tx, orderId))!
  })
}

type OrderChanges = PgUpdateSetSource<typeof orders>

function changesFor(order: OrderRow, to: OrderStatus): OrderChanges {
  const now = sql`now()`
  const changes: OrderChanges = { status: to, updatedAt: now }

  if (to === 'SHIPPED') changes.shippedAt = now
  if (to === 'DELIVERED') {
    changes.deliveredAt = now
    if (order.paymentStatus === 'PENDING') changes.paymentStatus = 'PAID'
  }
  if (to === 'CANCELLED') {
    changes.cancelledAt = now
    if (order.paymentStatus === 'PAID') changes.paymentStatus = 'REFUNDED'
  }
  return changes
}

// Products in id order, as checkout locks them, so a cancel and a checkout never deadlock.
async function returnStock(tx: Transaction, orderId: string): Promise<void> {
  const items = await tx
    .select({ productId: orderItems.productId, quantity: orderItems.quantity })
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId))
    .orderBy(orderItems.productId)

  for (const item of items) {
    await tx.update(products)
      .set({ stock: sql`${products.stock} + ${item.quantity}`, updatedAt: sql`now()` })
      .where(eq(products.id, item.productId))
  }
}
