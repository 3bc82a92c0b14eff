import type { OrderItemRow, OrderRow } from '../db/schema'
import { decimalToNumber } from '../shared/money'
import type { OrderItemView, OrderView } from './schemas'

export type ItemWithName = Pick<OrderItemRow, 'id' | 'productId' | 'quantity' | 'price' | 'total'>
  & { productName: string }

/** An order as clients see it: money as numbers, dates as ISO 8601 UTC, items by product id. */
export function toOrderView(row: OrderRow, items: ItemWithName[]): OrderView {
  return {
    id: row.id,
    orderNumber: row.orderNumber,
    userId: row.userId,
    status: row.status,
    paymentStatus: row.paymentStatus,
    paymentMethod: row.paymentMethod,
    shippingAddress: row.shippingAddress,
    city: row.city,
    state: row.state,
    zipCode: row.zipCode,
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    phone: row.phone,
    subtotal: decimalToNumber(row.subtotal),
    tax: decimalToNumber(row.tax),
    shipping: decimalToNumber(row.shipping),
    total: decimalToNumber(row.total),
    items: [...items].sort(byProductId).map(toItemView),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    shippedAt: row.shippedAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
  }
}

function toItemView(item: ItemWithName): OrderItemView {
  return {
    id: item.id,
    productId: item.productId,
    product: { id: item.productId, name: item.productName },
    quantity: item.quantity,
    price: decimalToNumber(item.price),
    total: decimalToNumber(item.total),
  }
}

const byProductId = (a: ItemWithName, b: ItemWithName) =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0
