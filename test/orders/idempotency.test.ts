import { describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { orders, products } from '../../src/db/schema'
import { call, createAccount } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import { checkoutBody, createProduct, stockOf } from './support'

const ctx = useTestContext()
const buyer = useAccount(ctx)

const order = (body: unknown, key: string | undefined, token = buyer.token) =>
  call(ctx, 'POST', '/api/orders', {
    body, token, headers: key === undefined ? {} : { 'idempotency-key': key },
  })

async function ordersWithKey(userId: string, key: string) {
  const rows = await ctx.database.db.select({ id: orders.id, key: orders.idempotencyKey })
    .from(orders).where(eq(orders.userId, userId))
  return rows.filter((row) => row.key === key)
}

const newKey = () => `checkout-${crypto.randomUUID()}`

describe('Idempotency-Key', () => {
  test('a sequential retry returns the first order with 200 and takes no more stock', async () => {
    const a = await createProduct(ctx, { stock: 10 })
    const body = checkoutBody([{ productId: a, quantity: 2 }])
    const key = newKey()

    const first = await order(body, key)
    const retry = await order(body, key)

    expect(first.status).toBe(201)
    expect(retry.status).toBe(200)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(retry.body).toEqual(first.body)
    expect(await stockOf(ctx, a)).toBe(8)
    expect(await ordersWithKey(buyer.id, key)).toHaveLength(1)
  })

  test('concurrent requests with one key make exactly one order', async () => {
    const a = await createProduct(ctx, { stock: 100 })
    const body = checkoutBody([{ productId: a, quantity: 3 }])
    const key = newKey()

    const results = await Promise.all(Array.from({ length: 8 }, () => order(body, key)))

    expect(results.filter((res) => res.status === 201)).toHaveLength(1)
    expect(results.filter((res) => res.status === 200)).toHaveLength(7)
    expect(new Set(results.map((res) => res.body.id)).size).toBe(1)
    expect(await stockOf(ctx, a)).toBe(97)
    expect(await ordersWithKey(buyer.id, key)).toHaveLength(1)
  })

  test('regression: a retry racing for the last units gets the order, not 409', async () => {
    const a = await createProduct(ctx, { stock: 2 })
    const body = checkoutBody([{ productId: a, quantity: 2 }])
    const key = newKey()

    const results = await Promise.all(Array.from({ length: 4 }, () => order(body, key)))

    expect(results.every((res) => res.status === 200 || res.status === 201)).toBe(true)
    expect(new Set(results.map((res) => res.body.id)).size).toBe(1)
    expect(await stockOf(ctx, a)).toBe(0)
  })

  test('the same key with a different body is a 409 and writes nothing', async () => {
    const a = await createProduct(ctx, { stock: 10 })
    const key = newKey()
    const body = checkoutBody([{ productId: a, quantity: 1 }])

    await order(body, key)
    const otherQuantity = await order({ ...body, items: [{ productId: a, quantity: 2 }] }, key)
    const otherAddress = await order({ ...body, city: 'Shelbyville' }, key)

    expect(otherQuantity.status).toBe(409)
    expect(otherQuantity.body.error.code).toBe('CONFLICT')
    expect(otherAddress.status).toBe(409)
    expect(await stockOf(ctx, a)).toBe(9)
  })

  test('a retry whose lines are split or reordered is the same order', async () => {
    const a = await createProduct(ctx, { stock: 10 })
    const b = await createProduct(ctx, { stock: 10 })
    const key = newKey()

    const first = await order(checkoutBody([
      { productId: a, quantity: 2 }, { productId: b, quantity: 1 },
    ], { email: 'same@example.com' }), key)
    const retry = await order(checkoutBody([
      { productId: b, quantity: 1 }, { productId: a, quantity: 1 }, { productId: a, quantity: 1 },
    ], { email: 'Same@Example.com' }), key)

    expect(retry.status).toBe(200)
    expect(retry.body.id).toBe(first.body.id)
  })

  test('keys are per customer: another customer\'s key makes a new order', async () => {
    const a = await createProduct(ctx, { stock: 10 })
    const other = await createAccount(ctx)
    const body = checkoutBody([{ productId: a, quantity: 1 }])
    const key = newKey()

    const mine = await order(body, key)
    const theirs = await order(body, key, other.token)

    expect(theirs.status).toBe(201)
    expect(theirs.body.id).not.toBe(mine.body.id)
    expect(theirs.body.userId).toBe(other.id)
  })

  test('a failed request does not burn its key', async () => {
    const a = await createProduct(ctx, { stock: 1 })
    const key = newKey()
    const body = checkoutBody([{ productId: a, quantity: 2 }])

    expect((await order(body, key)).status).toBe(409)
    await ctx.database.db.update(products).set({ stock: 5 }).where(eq(products.id, a))

    expect((await order(body, key)).status).toBe(201)
  })

  test.each(['', 'x'.repeat(101), 'has space', 'tab\there', 'ünïcode'])(
    'key %p is refused with 400',
    async (key) => {
      const a = await createProduct(ctx, { stock: 1 })

      const res = await order(checkoutBody([{ productId: a, quantity: 1 }]), key)

      expect(res.status).toBe(400)
      expect(await stockOf(ctx, a)).toBe(1)
    },
  )
})
