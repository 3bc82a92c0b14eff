import { and, count, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm'
import type { Database, Transaction } from '../db/client'
import { orderItems, orders, products, type OrderRow } from '../db/schema'
import { paginationOf, type PageRequest } from '../http/pagination'
import { invalid } from '../shared/errors'
import type { AdminOrderFilters, OrderView } from './schemas'
import { toOrderView, type ItemWithName } from './view'

type Reader = Database | Transaction

/** The items of these orders with their products' current names. */
export async function itemsOf(
  db: Reader,
  orderIds: string[],
): Promise<Map<string, ItemWithName[]>> {
  const byOrder = new Map<string, ItemWithName[]>(orderIds.map((id) => [id, []]))
  if (orderIds.length === 0) return byOrder

  const rows = await db
    .select({
      orderId: orderItems.orderId,
      id: orderItems.id,
      productId: orderItems.productId,
      quantity: orderItems.quantity,
      price: orderItems.price,
      total: orderItems.total,
      productName: products.name,
    })
    .from(orderItems)
    .innerJoin(products, eq(products.id, orderItems.productId))
    .where(inArray(orderItems.orderId, orderIds))

  for (const { orderId, ...item } of rows) byOrder.get(orderId)?.push(item)
  return byOrder
}

async function withItems(db: Reader, rows: OrderRow[]): Promise<OrderView[]> {
  const items = await itemsOf(db, rows.map((row) => row.id))
  return rows.map((row) => toOrderView(row, items.get(row.id) ?? []))
}

/** One order with its items, or undefined. */
export async function findOrder(db: Reader, id: string): Promise<OrderView | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row ? (await withItems(db, [row]))[0] : undefined
}

/** The order a customer placed with this Idempotency-Key, or undefined. */
export async function findOrderByKey(
  db: Reader,
  userId: string,
  key: string,
): Promise<OrderView | undefined> {
  const [row] = await db.select().from(orders)
    .where(and(eq(orders.userId, userId), eq(orders.idempotencyKey, key)))
  return row ? (await withItems(db, [row]))[0] : undefined
}

/** A page of orders matching `where`, newest first, each with its items. */
export async function listOrders(db: Database, where: SQL | undefined, page: PageRequest) {
  const [rows, [total]] = await Promise.all([
    db.select().from(orders).where(where)
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(page.perPage)
      .offset(page.offset),
    db.select({ value: count() }).from(orders).where(where),
  ])
  return { data: await withItems(db, rows), pagination: paginationOf(page, total?.value ?? 0) }
}

/** The filter of the admin list; 400 when `from` is not before `to`. */
export function adminFilter(filters: AdminOrderFilters): SQL | undefined {
  const from = filters.from === undefined ? undefined : parseInstant('from', filters.from)
  const to = filters.to === undefined ? undefined : parseInstant('to', filters.to)
  if (from && to && from >= to) throw invalid('to', 'must be later than from')

  return and(
    filters.status === undefined ? undefined : eq(orders.status, filters.status),
    filters.userId === undefined ? undefined : eq(orders.userId, filters.userId.toLowerCase()),
    from && gte(orders.createdAt, from),
    to && lt(orders.createdAt, to),
  )
}

const instantParts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/

// Refuses dates such as Feb 30 or 25:00 that JS would silently roll over.
function parseInstant(field: string, text: string): Date {
  const instant = new Date(text)
  const [, ...parts] = instantParts.exec(text) ?? []
  const [year, month, day, hour, minute, second] = parts.map((part) => Number(part ?? '0'))
  const wallClock = new Date(0)
  wallClock.setUTCFullYear(year!, month! - 1, day!)
  wallClock.setUTCHours(hour!, minute!, second!)
  const real = wallClock.getUTCMonth() === month! - 1 && wallClock.getUTCDate() === day! &&
    wallClock.getUTCHours() === hour! && wallClock.getUTCMinutes() === minute! &&
    wallClock.getUTCSeconds() === second!

  if (!real || Number.isNaN(instant.getTime())) throw invalid(field, 'is not a real date-time')
  return instant
}
