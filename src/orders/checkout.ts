import { and, eq, gte, isNull, sql } from 'drizzle-orm'
import type { Config } from '../config'
import type { Database, Transaction } from '../db/client'
import { isUniqueViolation } from '../db/errors'
import { orderItems, orders, products } from '../db/schema'
import { AppError, conflict, invalid } from '../shared/errors'
import { centsToDecimal, toCents } from '../shared/money'
import type { CheckoutLine, CheckoutRequest } from './checkout-request'
import { newOrderNumber } from './order-number'
import { MAX_AMOUNT, priceOrder } from './pricing'
import { findOrderByKey } from './queries'
import type { OrderView } from './schemas'
import { toOrderView } from './view'

export interface Checkout {
  userId: string
  request: CheckoutRequest
  /** The Idempotency-Key header, when the client sent one. */
  idempotencyKey?: string
}

export interface CheckoutResult {
  order: OrderView
  /** True when an earlier request with the same Idempotency-Key made this order. */
  replayed: boolean
}

const numberAttempts = 3

/**
 * Places an order in one transaction: takes the stock of every line with a guarded update
 * (so stock never goes below zero and the last unit goes to exactly one buyer), snapshots
 * the prices and writes the order and its items. Nothing is written when any line fails.
 *
 * With an Idempotency-Key, a request the same customer already made returns that order
 * (`replayed`), also when both race: the unique index on (user_id, idempotency_key) lets
 * one of them commit, the other rolls back and answers with the winner's order.
 */
export async function placeOrder(
  db: Database,
  rates: Config['orders'],
  checkout: Checkout,
): Promise<CheckoutResult> {
  const earlier = await replayOf(db, checkout)
  if (earlier) return earlier

  try {
    return { order: await insertWithFreshNumber(db, rates, checkout), replayed: false }
  } catch (error) {
    // The race's loser (a unique violation, or stock its twin already took) answers with
    // the order that won.
    const winner = await replayOf(db, checkout)
    if (winner) return winner
    throw error
  }
}

async function replayOf(db: Database, checkout: Checkout): Promise<CheckoutResult | undefined> {
  if (checkout.idempotencyKey === undefined) return undefined

  const order = await findOrderByKey(db, checkout.userId, checkout.idempotencyKey)
  if (!order) return undefined

  if (!sameCheckout(order, checkout.request)) {
    throw conflict('This Idempotency-Key was already used for a different order', [
      { field: 'Idempotency-Key', message: 'already used with another body', orderId: order.id },
    ])
  }
  return { order, replayed: true }
}

async function insertWithFreshNumber(
  db: Database,
  rates: Config['orders'],
  checkout: Checkout,
): Promise<OrderView> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction((tx) => insertOrder(tx, rates, checkout))
    } catch (error) {
      const collided = isUniqueViolation(error, 'orders_order_number_unique')
      if (!collided || attempt >= numberAttempts) throw error
    }
  }
}

async function insertOrder(
  tx: Transaction,
  rates: Config['orders'],
  { userId, request, idempotencyKey }: Checkout,
): Promise<OrderView> {
  const taken: TakenProduct[] = []
  for (const line of request.lines) taken.push(await takeStock(tx, line))

  const priced = request.lines.map((line, i) => ({
    unitPrice: toCents(taken[i]!.price),
    quantity: line.quantity,
  }))
  const totals = priceOrder(priced, rates)
  if (totals.total > MAX_AMOUNT) throw invalid('items', 'the order total is too large')

  const { lines, ...contact } = request
  const [order] = await tx.insert(orders).values({
    ...contact,
    orderNumber: newOrderNumber(),
    userId,
    subtotal: centsToDecimal(totals.subtotal),
    tax: centsToDecimal(totals.tax),
    shipping: centsToDecimal(totals.shipping),
    total: centsToDecimal(totals.total),
    idempotencyKey: idempotencyKey ?? null,
  }).returning()

  const items = await tx.insert(orderItems).values(lines.map((line, i) => ({
    orderId: order!.id,
    productId: line.productId,
    quantity: line.quantity,
    price: taken[i]!.price,
    total: centsToDecimal(totals.lineTotals[i]!),
  }))).returning()

  const names = new Map(taken.map((product) => [product.id, product.name]))
  return toOrderView(order!, items.map((item) => ({
    ...item,
    productName: names.get(item.productId) ?? '',
  })))
}

interface TakenProduct {
  id: string
  name: string
  price: string
}

/**
 * Takes one line's units: the update matches only while enough stock is left and the
 * product is on sale, and its row lock makes concurrent buyers of the product queue.
 */
async function takeStock(tx: Transaction, line: CheckoutLine): Promise<TakenProduct> {
  const [product] = await tx.update(products)
    .set({ stock: sql`${products.stock} - ${line.quantity}`, updatedAt: sql`now()` })
    .where(and(
      eq(products.id, line.productId),
      gte(products.stock, line.quantity),
      isNull(products.archivedAt),
    ))
    .returning({ id: products.id, name: products.name, price: products.price })

  if (!product) throw await whyUnavailable(tx, line)
  return product
}

async function whyUnavailable(tx: Transaction, line: CheckoutLine): Promise<AppError> {
  const field = `items.${line.index}.productId`
  const [product] = await tx
    .select({ name: products.name, stock: products.stock, archivedAt: products.archivedAt })
    .from(products)
    .where(eq(products.id, line.productId))

  if (!product) {
    return new AppError('NOT_FOUND', `Product ${line.productId} not found`, [
      { field, message: 'no such product', productId: line.productId },
    ])
  }
  if (product.archivedAt) {
    return conflict(`"${product.name}" is no longer sold`, [
      { field, message: 'the product is archived', productId: line.productId },
    ])
  }
  return new AppError('OUT_OF_STOCK',
    `Only ${product.stock} of "${product.name}" left, ${line.quantity} requested`, [{
      field: `items.${line.index}.quantity`,
      message: `only ${product.stock} left`,
      productId: line.productId,
      name: product.name,
      requested: line.quantity,
      available: product.stock,
    }])
}

/** Whether an earlier order is what this request asks for: same lines, same contact. */
function sameCheckout(order: OrderView, request: CheckoutRequest): boolean {
  const { lines, ...contact } = request
  const sameContact = (Object.keys(contact) as (keyof typeof contact)[])
    .every((field) => order[field] === contact[field])
  const sameLines = order.items.length === lines.length && lines.every((line, i) =>
    order.items[i]!.productId === line.productId && order.items[i]!.quantity === line.quantity)
  return sameContact && sameLines
}
