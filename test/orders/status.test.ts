import { describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { orders } from '../../src/db/schema'
import { call, createAccount } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import { checkoutBody, createProduct, stockOf } from './support'

const ctx = useTestContext()
const admin = useAccount(ctx, 'admin')
const customer = useAccount(ctx)

async function placeOrder(lines: { stock: number; quantity: number }[]) {
  const products = await Promise.all(lines.map((line) => createProduct(ctx, { stock: line.stock })))
  const res = await call(ctx, 'POST', '/api/orders', {
    body: checkoutBody(products.map((productId, i) => ({
      productId, quantity: lines[i]!.quantity,
    }))),
    token: customer.token,
  })
  expect(res.status).toBe(201)
  return { order: res.body, products }
}

const move = (id: string, status: unknown, token = admin.token) =>
  call(ctx, 'PUT', `/api/orders/${id}/status`, { body: { status }, token })

describe('PUT /api/orders/:id/status', () => {
  test('walks the lifecycle, stamping shippedAt and deliveredAt; delivery marks PAID', async () => {
    const { order } = await placeOrder([{ stock: 5, quantity: 1 }])

    const steps = []
    for (const status of ['CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED']) {
      steps.push(await move(order.id, status))
    }

    expect(steps.map((res) => res.status)).toEqual([200, 200, 200, 200])
    expect(steps[1]!.body).toMatchObject({ status: 'PROCESSING', shippedAt: null })
    expect(steps[2]!.body.shippedAt).toEqual(expect.any(String))
    expect(steps[3]!.body).toMatchObject({
      status: 'DELIVERED', paymentStatus: 'PAID', cancelledAt: null,
    })
    expect(steps[3]!.body.deliveredAt).toEqual(expect.any(String))
    expect(steps[3]!.body.items).toHaveLength(1)
  })

  test.each([
    [['CONFIRMED', 'PROCESSING', 'SHIPPED'], 'CANCELLED'],
    [[], 'SHIPPED'],
    [[], 'DELIVERED'],
    [['CONFIRMED'], 'PENDING'],
    [['CONFIRMED'], 'CONFIRMED'],
    [['CANCELLED'], 'CONFIRMED'],
    [['CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED'], 'CANCELLED'],
  ])('after %p, moving to %s is 409 ILLEGAL_TRANSITION', async (path, to) => {
    const { order } = await placeOrder([{ stock: 5, quantity: 1 }])
    for (const status of path) expect((await move(order.id, status)).status).toBe(200)

    const res = await move(order.id, to)

    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('ILLEGAL_TRANSITION')
    expect(res.body.error.details[0]).toMatchObject({ to })
  })

  test.each(['PENDING', 'CONFIRMED', 'PROCESSING'])(
    'cancelling from %s returns every item\'s stock and stamps cancelledAt',
    async (from) => {
      const { order, products } = await placeOrder([
        { stock: 5, quantity: 2 }, { stock: 3, quantity: 3 },
      ])
      if (from !== 'PENDING') await move(order.id, 'CONFIRMED')
      if (from === 'PROCESSING') await move(order.id, 'PROCESSING')

      const res = await move(order.id, 'CANCELLED')

      expect(res.status).toBe(200)
      expect(res.body.cancelledAt).toEqual(expect.any(String))
      expect(await stockOf(ctx, products[0]!)).toBe(5)
      expect(await stockOf(ctx, products[1]!)).toBe(3)
    },
  )

  test('concurrent cancels return the stock exactly once', async () => {
    const { order, products } = await placeOrder([{ stock: 10, quantity: 4 }])

    const results = await Promise.all(Array.from({ length: 6 }, () => move(order.id, 'CANCELLED')))

    expect(results.filter((res) => res.status === 200)).toHaveLength(1)
    expect(results.filter((res) => res.status === 409)).toHaveLength(5)
    expect(await stockOf(ctx, products[0]!)).toBe(10)
  })

  test('cancelling a paid order marks the payment REFUNDED', async () => {
    const { order } = await placeOrder([{ stock: 2, quantity: 1 }])
    await ctx.database.db.update(orders).set({ paymentStatus: 'PAID' })
      .where(eq(orders.id, order.id))

    const res = await move(order.id, 'CANCELLED')

    expect(res.body.paymentStatus).toBe('REFUNDED')
  })

  test('an unknown order is 404; a bad status or extra field 400', async () => {
    const { order } = await placeOrder([{ stock: 2, quantity: 1 }])

    expect((await move(crypto.randomUUID(), 'CONFIRMED')).status).toBe(404)
    expect((await move(order.id, 'LOST')).status).toBe(400)
    expect((await move(order.id, 'confirmed')).status).toBe(400)
    const extra = await call(ctx, 'PUT', `/api/orders/${order.id}/status`, {
      body: { status: 'CONFIRMED', paymentStatus: 'PAID' }, token: admin.token,
    })
    expect(extra.status).toBe(400)
    expect((await move('nope', 'CONFIRMED')).status).toBe(400)
  })

  test('security: the owner gets 403, a seller 403, no token 401; nothing changes', async () => {
    const { order } = await placeOrder([{ stock: 2, quantity: 1 }])
    const seller = await createAccount(ctx, 'seller')

    expect((await move(order.id, 'CANCELLED', customer.token)).status).toBe(403)
    expect((await move(order.id, 'CANCELLED', seller.token)).status).toBe(403)
    const anonymous = await call(ctx, 'PUT', `/api/orders/${order.id}/status`, {
      body: { status: 'CANCELLED' },
    })
    expect(anonymous.status).toBe(401)

    const [row] = await ctx.database.db.select().from(orders).where(eq(orders.id, order.id))
    expect(row!.status).toBe('PENDING')
  })
})
