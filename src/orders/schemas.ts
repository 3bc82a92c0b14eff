import { t } from 'elysia'
import { orderStatuses, paymentStatuses } from '../db/schema'
import { pageOf, pageQuery } from '../http/pagination'
import { integer, nullable, oneOf, timestamp, uuid } from '../http/types'

/** Bounds of a checkout; the service checks the merged quantities against them too. */
export const orderLimits = {
  maxLines: 50,
  maxQuantity: 100,
  idempotencyKey: 100,
} as const

// At least one visible character and no control characters (PostgreSQL text refuses NUL).
const printable = '[^\\u0000-\\u001f\\u007f]'
const visibleText = `^${printable}*[^\\s\\u0000-\\u001f\\u007f]${printable}*$`

const text = (maxLength: number, description: string) =>
  t.String({ minLength: 1, maxLength, pattern: visibleText, description })

// RFC 3339 with a zone; Elysia's `date-time` format alone also lets through "2020-01-01".
const instantPattern = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?'
  + '(Z|[+-]\\d{2}:\\d{2})$'

const instant = (description: string) =>
  t.String({
    format: 'date-time',
    pattern: instantPattern,
    maxLength: 40,
    description,
    error: 'must be an ISO 8601 date-time with a zone, e.g. 2025-01-31T00:00:00Z',
  })

export const OrderIdParams = t.Object({ id: uuid('The order\'s id') })

export const OrderLine = t.Object({
  productId: uuid('The product to buy'),
  quantity: integer({
    minimum: 1,
    maximum: orderLimits.maxQuantity,
    description: `Whole units, 1 to ${orderLimits.maxQuantity}; lines of one product add up`,
  }),
}, { additionalProperties: false })

/** The checkout body of the older version, bounded. */
export const CreateOrderBody = t.Object({
  items: t.Array(OrderLine, {
    minItems: 1,
    maxItems: orderLimits.maxLines,
    description: `1 to ${orderLimits.maxLines} lines; duplicate products merge`,
  }),
  shippingAddress: text(500, 'Street address'),
  city: text(100, 'City'),
  state: text(100, 'State or region'),
  zipCode: text(20, 'Postal code'),
  firstName: text(100, 'Recipient\'s first name'),
  lastName: text(100, 'Recipient\'s last name'),
  email: t.String({ format: 'email', maxLength: 254, description: 'Contact address' }),
  phone: t.Optional(nullable(t.String({
    maxLength: 32,
    description: 'International format, e.g. +14155550123; stored as E.164',
  }))),
  paymentMethod: t.Optional(nullable(text(50, 'Free text such as "Credit Card"'))),
}, { additionalProperties: false, description: 'A checkout' })

export type CreateOrderInput = typeof CreateOrderBody.static

export const IdempotencyHeaders = t.Object({
  'idempotency-key': t.Optional(t.String({
    minLength: 1,
    maxLength: orderLimits.idempotencyKey,
    pattern: '^[\\x21-\\x7e]+$',
    description: 'Visible ASCII, 1 to 100 characters: a retry with the same key and body '
      + 'returns the first order',
  })),
}, { additionalProperties: true })

export const StatusBody = t.Object({
  status: oneOf(orderStatuses, { description: 'The status to move to' }),
}, { additionalProperties: false })

export const OwnOrdersQuery = t.Object(pageQuery, { additionalProperties: false })

export const AdminOrdersQuery = t.Object({
  ...pageQuery,
  status: t.Optional(oneOf(orderStatuses, { description: 'Only orders in this status' })),
  from: t.Optional(instant('Placed at or after, e.g. 2025-01-31T00:00:00Z')),
  to: t.Optional(instant('Placed before, e.g. 2025-02-01T00:00:00+01:00')),
  userId: t.Optional(uuid('Only this customer\'s orders')),
}, { additionalProperties: false })

export type AdminOrderFilters = typeof AdminOrdersQuery.static

export const OrderItemView = t.Object({
  id: t.String({ format: 'uuid' }),
  productId: t.String({ format: 'uuid' }),
  product: t.Object({ id: t.String({ format: 'uuid' }), name: t.String() }),
  quantity: integer(),
  price: t.Number({ description: 'Unit price at checkout, two decimals' }),
  total: t.Number({ description: 'price x quantity' }),
}, { description: 'One line of an order' })

export type OrderItemView = typeof OrderItemView.static

export const OrderView = t.Object({
  id: t.String({ format: 'uuid' }),
  orderNumber: t.String({ description: 'Human-friendly, e.g. AE-20250101-7KQ2M9XH4D' }),
  userId: t.String({ format: 'uuid' }),
  status: oneOf(orderStatuses),
  paymentStatus: oneOf(paymentStatuses),
  paymentMethod: nullable(t.String()),
  shippingAddress: t.String(),
  city: t.String(),
  state: t.String(),
  zipCode: t.String(),
  firstName: t.String(),
  lastName: t.String(),
  email: t.String(),
  phone: nullable(t.String({ description: 'E.164' })),
  subtotal: t.Number(),
  tax: t.Number(),
  shipping: t.Number(),
  total: t.Number(),
  items: t.Array(OrderItemView, { description: 'Sorted by product id' }),
  createdAt: timestamp('ISO 8601, UTC'),
  updatedAt: timestamp('ISO 8601, UTC'),
  shippedAt: nullable(timestamp('When it moved to SHIPPED')),
  deliveredAt: nullable(timestamp('When it moved to DELIVERED')),
  cancelledAt: nullable(timestamp('When it was cancelled')),
}, { description: 'An order with its items; money as numbers with two decimals' })

export type OrderView = typeof OrderView.static

export const OrderPage = pageOf(OrderView)
