import { describe, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { orderItems, orders, products } from '../../src/db/schema'
import { orderNumberPattern } from '../../src/orders/order-number'
import { call, createAccount, createTestContext, signToken } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import { checkoutBody, createProduct, stockOf } from './support'

const ctx = useTestContext()
const buyer = useAccount(ctx, 'customer')

const order = (body: unknown, token = buyer.token, headers?: Record<string, string>) =>
  call(ctx, 'POST', '/api/orders', { body, token, headers })

const sumQuantity = sql<string>`coalesce(sum(${orderItems.quantity}), 0)`

async function ordersOf(userId: string) {
  return ctx.database.db.select().from(orders).where(eq(orders.userId, userId))
}

describe('POST /api/orders', () => {
  test('places an order: stock taken, prices snapshotted, exact money', async () => {
    const a = await createProduct(ctx, { price: '19.99', stock: 10 })
    const b = await createProduct(ctx, { price: '5.01', stock: 3 })

    const res = await order(checkoutBody([
      { productId: a, quantity: 2 }, { productId: b, quantity: 1 },
    ], { phone: '+1 (415) 555-2671', paymentMethod: 'Credit Card' }))

    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toBe(`/api/orders/${res.body.id}`)
    expect(res.body).toMatchObject({
      userId: buyer.id,
      status: 'PENDING',
      paymentStatus: 'PENDING',
      paymentMethod: 'Credit Card',
      phone: '+14155552671',
      subtotal: 44.99,
      tax: 4.5,
      shipping: 10,
      total: 59.49,
      shippedAt: null,
    })
    expect(res.body.orderNumber).toMatch(orderNumberPattern)
    expect(res.body.items).toHaveLength(2)
    const line = res.body.items.find((item: { productId: string }) => item.productId === a)
    expect(line).toMatchObject({ quantity: 2, price: 19.99, total: 39.98, product: { id: a } })
    expect(await stockOf(ctx, a)).toBe(8)
    expect(await stockOf(ctx, b)).toBe(2)
  })

  test('duplicate product lines merge into one item', async () => {
    const a = await createProduct(ctx, { price: '1.00', stock: 10 })

    const res = await order(checkoutBody([
      { productId: a, quantity: 2 }, { productId: a.toUpperCase(), quantity: 3 },
    ]))

    expect(res.status).toBe(201)
    expect(res.body.items).toHaveLength(1)
    expect(res.body.items[0]).toMatchObject({ productId: a, quantity: 5, total: 5 })
    expect(await stockOf(ctx, a)).toBe(5)
  })

  test('a later price change does not touch the snapshotted price', async () => {
    const a = await createProduct(ctx, { price: '7.25', stock: 5 })
    const res = await order(checkoutBody([{ productId: a, quantity: 1 }]))

    await ctx.database.db.update(products).set({ price: '99.00' }).where(eq(products.id, a))
    const [item] = await ctx.database.db.select().from(orderItems)
      .where(eq(orderItems.orderId, res.body.id))

    expect(item!.price).toBe('7.25')
  })

  test('money: a subtotal of exactly 50.00 pays shipping, 50.01 does not', async () => {
    const fifty = await createProduct(ctx, { price: '25.00' })
    const justOver = await createProduct(ctx, { price: '50.01' })

    const paid = await order(checkoutBody([{ productId: fifty, quantity: 2 }]))
    const free = await order(checkoutBody([{ productId: justOver, quantity: 1 }]))

    expect(paid.body).toMatchObject({ subtotal: 50, tax: 5, shipping: 10, total: 65 })
    expect(free.body).toMatchObject({ subtotal: 50.01, tax: 5, shipping: 0, total: 55.01 })
  })

  test('money: tax rounds half up to the cent', async () => {
    const a = await createProduct(ctx, { price: '0.05' })
    const b = await createProduct(ctx, { price: '19.99' })

    const half = await order(checkoutBody([{ productId: a, quantity: 1 }]))
    const floaty = await order(checkoutBody([{ productId: b, quantity: 3 }]))

    expect(half.body).toMatchObject({ subtotal: 0.05, tax: 0.01, total: 10.06 })
    expect(floaty.body).toMatchObject({ subtotal: 59.97, tax: 6, shipping: 0, total: 65.97 })
  })

  test('rates come from configuration', async () => {
    const other = await createTestContext({
      ORDER_TAX_RATE: '0.2', ORDER_SHIPPING_FEE: '3.50', ORDER_FREE_SHIPPING_OVER: '1000',
    })
    try {
      const account = await createAccount(other)
      const a = await createProduct(other, { price: '10.00' })
      const res = await call(other, 'POST', '/api/orders', {
        body: checkoutBody([{ productId: a, quantity: 1 }]), token: account.token,
      })

      expect(res.body).toMatchObject({ subtotal: 10, tax: 2, shipping: 3.5, total: 15.5 })
    } finally {
      await other.close()
    }
  })

  test('out of stock: 409 naming the product and what is left; nothing written', async () => {
    const plenty = await createProduct(ctx, { stock: 10 })
    const scarce = await createProduct(ctx, { stock: 2 })
    const account = await createAccount(ctx)

    const res = await order(checkoutBody([
      { productId: plenty, quantity: 1 }, { productId: scarce, quantity: 3 },
    ]), account.token)

    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('OUT_OF_STOCK')
    expect(res.body.error.details[0]).toMatchObject({
      field: 'items.1.quantity', productId: scarce, requested: 3, available: 2,
    })
    expect(await stockOf(ctx, plenty)).toBe(10)
    expect(await stockOf(ctx, scarce)).toBe(2)
    expect(await ordersOf(account.id)).toHaveLength(0)
  })

  test('an archived product cannot be bought', async () => {
    const archived = await createProduct(ctx, { archived: true, stock: 5 })

    const res = await order(checkoutBody([{ productId: archived, quantity: 1 }]))

    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('CONFLICT')
    expect(res.body.error.details[0]).toMatchObject({
      field: 'items.0.productId', productId: archived,
    })
    expect(await stockOf(ctx, archived)).toBe(5)
  })

  test('an unknown product is a 404 naming it; the other lines keep their stock', async () => {
    const real = await createProduct(ctx, { stock: 4 })
    const ghost = crypto.randomUUID()

    const res = await order(checkoutBody([
      { productId: real, quantity: 1 }, { productId: ghost, quantity: 1 },
    ]))

    expect(res.status).toBe(404)
    expect(res.body.error.details[0]).toMatchObject({
      field: 'items.1.productId', productId: ghost,
    })
    expect(await stockOf(ctx, real)).toBe(4)
  })

  test.each([0, -1, 1.5, '1', '0x3', 1e3, 101, null])('quantity %p is a 400', async (quantity) => {
    const a = await createProduct(ctx, { stock: 5000 })

    const res = await order(checkoutBody([{ productId: a, quantity }]))

    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('VALIDATION_FAILED')
    expect(res.body.error.details[0].field).toContain('quantity')
    expect(await stockOf(ctx, a)).toBe(5000)
  })

  test('merged lines over the per-product limit are refused', async () => {
    const a = await createProduct(ctx, { stock: 500 })

    const res = await order(checkoutBody([
      { productId: a, quantity: 60 }, { productId: a, quantity: 60 },
    ]))

    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('items.0.quantity')
    expect(await stockOf(ctx, a)).toBe(500)
  })

  test('more than 50 lines, or none, are refused', async () => {
    const a = await createProduct(ctx)
    const lines = Array.from({ length: 51 }, () => ({ productId: a, quantity: 1 }))

    expect((await order(checkoutBody(lines))).status).toBe(400)
    expect((await order(checkoutBody([]))).status).toBe(400)
  })

  test.each([
    ['an extra field', { role: 'admin' }],
    ['an extra field on a line', {
      items: [{ productId: crypto.randomUUID(), quantity: 1, price: 0 }],
    }],
    ['a bad email', { email: 'not-an-email' }],
    ['a blank city', { city: '   ' }],
    ['a NUL byte', { shippingAddress: 'a\u0000b' }],
    ['an oversized address', { shippingAddress: 'x'.repeat(501) }],
    ['a bad phone', { phone: '12345' }],
    ['an unassigned phone number', { phone: '+1 555 010 0002' }],
    ['a product id that is not a uuid', { items: [{ productId: '1 or 1=1', quantity: 1 }] }],
    ['a missing field', { lastName: undefined }],
  ])('%s is a 400 naming the field', async (_case, overrides) => {
    const a = await createProduct(ctx)
    const body = checkoutBody([{ productId: a, quantity: 1 }], overrides)

    const res = await order(body)

    expect(res.status).toBe(400)
    expect(res.body.error.details?.[0]?.field ?? res.body.error.message).toBeTruthy()
  })

  test('an order total too large for numeric(12,2) is a 400, not a 500', async () => {
    const lines = []
    for (let i = 0; i < 2; i += 1) {
      const productId = await createProduct(ctx, { price: '99999999.99', stock: 1000 })
      lines.push({ productId, quantity: 100 })
    }
    const res = await order(checkoutBody(lines))

    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('items')
  })

  test('security: no token 401, forged token 401, expired token 401', async () => {
    const a = await createProduct(ctx, { stock: 3 })
    const body = checkoutBody([{ productId: a, quantity: 1 }])

    const forged = await signToken(buyer.id, { secret: 'not-the-secret-of-this-server-000000' })
    const expired = await signToken(buyer.id, { expiresInSeconds: -60 })

    expect((await call(ctx, 'POST', '/api/orders', { body })).status).toBe(401)
    expect((await order(body, forged)).status).toBe(401)
    expect((await order(body, expired)).status).toBe(401)
    expect(await stockOf(ctx, a)).toBe(3)
  })
})

describe('concurrent checkout', () => {
  test('the last units go to exactly as many buyers as there is stock', async () => {
    const a = await createProduct(ctx, { stock: 5 })
    const buyers = await Promise.all(Array.from({ length: 24 }, () => createAccount(ctx)))
    const quantities = buyers.map((_, i) => (i % 4 === 0 ? 2 : 1))

    const results = await Promise.all(buyers.map((account, i) =>
      order(checkoutBody([{ productId: a, quantity: quantities[i] }]), account.token)))

    const sold = results.reduce((sum, res, i) => sum + (res.status === 201 ? quantities[i]! : 0), 0)
    const refused = results.filter((res) => res.status === 409)
    expect(results.every((res) => res.status === 201 || res.status === 409)).toBe(true)
    expect(refused.every((res) => res.body.error.code === 'OUT_OF_STOCK')).toBe(true)
    expect(sold).toBe(5)
    expect(await stockOf(ctx, a)).toBe(0)

    const [row] = await ctx.database.db.select({ total: sumQuantity }).from(orderItems)
      .where(eq(orderItems.productId, a))
    expect(Number(row!.total)).toBe(5)
  })

  test('buyers of two products in opposite line order neither deadlock nor oversell', async () => {
    const a = await createProduct(ctx, { stock: 6 })
    const b = await createProduct(ctx, { stock: 6 })
    const buyers = await Promise.all(Array.from({ length: 12 }, () => createAccount(ctx)))

    const results = await Promise.all(buyers.map((account, i) => {
      const lines = [{ productId: a, quantity: 1 }, { productId: b, quantity: 1 }]
      return order(checkoutBody(i % 2 === 0 ? lines : lines.reverse()), account.token)
    }))

    expect(results.filter((res) => res.status === 201)).toHaveLength(6)
    expect(results.filter((res) => res.status === 409)).toHaveLength(6)
    expect(await stockOf(ctx, a)).toBe(0)
    expect(await stockOf(ctx, b)).toBe(0)
  })
})
