import { describe, expect, test } from 'bun:test'
import { orderStatuses, type OrderStatus } from '../../src/db/schema'
import { newOrderNumber, orderNumberPattern } from '../../src/orders/order-number'
import { priceOrder } from '../../src/orders/pricing'
import { assertTransition, canMove } from '../../src/orders/status'
import { AppError } from '../../src/shared/errors'

const rates = { taxRate: '0.10', shippingFee: '10.00', freeShippingOver: '50.00' }

describe('priceOrder', () => {
  test('a subtotal of exactly 50.00 pays shipping', () => {
    const totals = priceOrder([{ unitPrice: 2500, quantity: 2 }], rates)

    expect(totals).toEqual({
      lineTotals: [5000], subtotal: 5000, tax: 500, shipping: 1000, total: 6500,
    })
  })

  test('a subtotal of 50.01 ships free', () => {
    const totals = priceOrder([{ unitPrice: 5001, quantity: 1 }], rates)

    expect(totals.shipping).toBe(0)
    expect(totals.total).toBe(5001 + 500)
  })

  test('tax rounds half up to the cent, on the subtotal rather than per line', () => {
    // 0.05 * 10% = 0.5 cent -> 1 cent; per line it would be 0 + 0.
    expect(priceOrder([{ unitPrice: 5, quantity: 1 }], rates).tax).toBe(1)
    expect(priceOrder([{ unitPrice: 4, quantity: 1 }], rates).tax).toBe(0)
    expect(priceOrder([
      { unitPrice: 5, quantity: 1 }, { unitPrice: 5, quantity: 1 },
    ], rates).tax).toBe(1)
    // The float way: 59.97 * 0.1 = 5.997000000000001.
    expect(priceOrder([{ unitPrice: 1999, quantity: 3 }], rates).tax).toBe(600)
  })

  test('rates come from configuration', () => {
    const totals = priceOrder([{ unitPrice: 10000, quantity: 1 }], {
      taxRate: '0.0825', shippingFee: '4.99', freeShippingOver: '200.00',
    })

    expect(totals).toMatchObject({ tax: 825, shipping: 499, total: 10000 + 825 + 499 })
  })
})

describe('order status machine', () => {
  const legal: [OrderStatus, OrderStatus][] = [
    ['PENDING', 'CONFIRMED'], ['CONFIRMED', 'PROCESSING'], ['PROCESSING', 'SHIPPED'],
    ['SHIPPED', 'DELIVERED'], ['PENDING', 'CANCELLED'], ['CONFIRMED', 'CANCELLED'],
    ['PROCESSING', 'CANCELLED'],
  ]

  test('exactly the documented moves are legal', () => {
    const allowed = orderStatuses.flatMap((from) =>
      orderStatuses.filter((to) => canMove(from, to)).map((to) => [from, to]))

    expect(allowed.sort()).toEqual([...legal].sort())
  })

  test('an illegal move throws ILLEGAL_TRANSITION naming both ends', () => {
    let thrown: unknown
    try {
      assertTransition('SHIPPED', 'CANCELLED')
    } catch (error) {
      thrown = error
    }

    expect(thrown).toBeInstanceOf(AppError)
    expect((thrown as AppError).code).toBe('ILLEGAL_TRANSITION')
    expect((thrown as AppError).details?.[0]).toMatchObject({ from: 'SHIPPED', to: 'CANCELLED' })
  })

  test('staying in the same status is illegal', () => {
    expect(() => assertTransition('PENDING', 'PENDING')).toThrow(/PENDING to PENDING/)
  })
})

describe('newOrderNumber', () => {
  test('carries the date and ten base32 characters', () => {
    const number = newOrderNumber(new Date('2025-03-04T23:59:59Z'))

    expect(number).toMatch(orderNumberPattern)
    expect(number.startsWith('AE-20250304-')).toBe(true)
  })

  test('numbers do not repeat', () => {
    const numbers = new Set(Array.from({ length: 10_000 }, () => newOrderNumber()))

    expect(numbers.size).toBe(10_000)
  })
})
