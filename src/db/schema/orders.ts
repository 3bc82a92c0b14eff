import { sql } from 'drizzle-orm'
import {
  check, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, money, timestamptz, updatedAt } from './columns'
import { products } from './products'
import { users } from './users'

export const orderStatuses = [
  'PENDING', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'CANCELLED',
] as const
export type OrderStatus = (typeof orderStatuses)[number]
export const orderStatus = pgEnum('order_status', orderStatuses)

export const paymentStatuses = ['PENDING', 'PAID', 'FAILED', 'REFUNDED'] as const
export const paymentStatus = pgEnum('payment_status', paymentStatuses)

export const orders = pgTable('orders', {
  id: uuid('id').primaryKey().defaultRandom(),
  orderNumber: text('order_number').notNull().unique(),
  userId: uuid('user_id').notNull().references(() => users.id),
  shippingAddress: text('shipping_address').notNull(),
  city: text('city').notNull(),
  state: text('state').notNull(),
  zipCode: text('zip_code').notNull(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  email: text('email').notNull(),
  phone: text('phone'),
  subtotal: money('subtotal').notNull(),
  tax: money('tax').notNull(),
  shipping: money('shipping').notNull(),
  total: money('total').notNull(),
  status: orderStatus('status').notNull().default('PENDING'),
  paymentMethod: text('payment_method'),
  paymentStatus: paymentStatus('payment_status').notNull().default('PENDING'),
  /** Client-chosen key: a retried checkout returns the first order instead of a second. */
  idempotencyKey: text('idempotency_key'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  shippedAt: timestamptz('shipped_at'),
  deliveredAt: timestamptz('delivered_at'),
  cancelledAt: timestamptz('cancelled_at'),
}, (table) => [
  index('orders_user_idx').on(table.userId, table.createdAt),
  index('orders_status_idx').on(table.status, table.createdAt),
  index('orders_created_idx').on(table.createdAt),
  uniqueIndex('orders_idempotency_idx')
    .on(table.userId, table.idempotencyKey)
    .where(sql`${table.idempotencyKey} is not null`),
])

export const orderItems = pgTable('order_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  orderId: uuid('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
  productId: uuid('product_id').notNull().references(() => products.id),
  quantity: integer('quantity').notNull(),
  /** Unit price snapshotted at checkout. */
  price: money('price').notNull(),
  total: money('total').notNull(),
  createdAt: createdAt(),
}, (table) => [
  check('order_items_quantity_positive', sql`${table.quantity} > 0`),
  index('order_items_order_idx').on(table.orderId),
  index('order_items_product_idx').on(table.productId),
])

export type OrderRow = typeof orders.$inferSelect
export type OrderItemRow = typeof orderItems.$inferSelect
