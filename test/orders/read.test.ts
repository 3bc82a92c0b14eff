import { describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { orders } from '../../src/db/schema'
import { call, createAccount, signToken, type TestAccount } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import { checkoutBody, createProduct } from './support'

const ctx = useTestContext()
const admin = useAccount(ctx, 'admin')

async function placeOrders(account: TestAccount, count: number) {
  const productId = await createProduct(ctx, { stock: 1000 })
  const placed = []
  for (let i = 0; i < count; i += 1) {
    const res = await call(ctx, 'POST', '/api/orders', {
      body: checkoutBody([{ productId, quantity: 1 }]), token: account.token,
    })
    placed.push(res.body)
  }
  return placed
}

describe('GET /api/orders', () => {
  test('lists only my orders, newest first, paginated, with items', async () => {
    const me = await createAccount(ctx)
    const someoneElse = await createAccount(ctx)
    const mine = await placeOrders(me, 3)
    await placeOrders(someoneElse, 2)

    const first = await call(ctx, 'GET', '/api/orders?perPage=2', { token: me.token })
    const second = await call(ctx, 'GET', '/api/orders?perPage=2&page=2', { token: me.token })

    expect(first.status).toBe(200)
    expect(first.body.pagination).toEqual({ page: 1, perPage: 2, total: 3, totalPages: 2 })
    expect([...first.body.data, ...second.body.data].map((o: { id: string }) => o.id))
      .toEqual(mine.map((o) => o.id).reverse())
    expect(first.body.data[0].items[0].product.name).toContain('Order test product')
  })

  test.each(['page=0', 'page=-1', 'perPage=1e3', 'page=0x10', 'unknown=1'])(
    'query %s is a 400',
    async (query) => {
      const me = await createAccount(ctx)

      expect((await call(ctx, 'GET', `/api/orders?${query}`, { token: me.token })).status).toBe(400)
    },
  )

  test('no token is a 401', async () => {
    expect((await call(ctx, 'GET', '/api/orders')).status).toBe(401)
  })
})

describe('GET /api/orders/:id', () => {
  test('the owner and an admin see it; with items and product names', async () => {
    const me = await createAccount(ctx)
    const [placed] = await placeOrders(me, 1)

    const own = await call(ctx, 'GET', `/api/orders/${placed.id}`, { token: me.token })
    const asAdmin = await call(ctx, 'GET', `/api/orders/${placed.id}`, { token: admin.token })

    expect(own.status).toBe(200)
    expect(own.body).toEqual(placed)
    expect(asAdmin.status).toBe(200)
    expect(own.body.items[0].product).toEqual({
      id: placed.items[0].productId, name: expect.stringContaining('Order test product'),
    })
  })

  test('another customer gets 404, as for an order that does not exist', async () => {
    const me = await createAccount(ctx)
    const stranger = await createAccount(ctx)
    const seller = await createAccount(ctx, 'seller')
    const [placed] = await placeOrders(me, 1)

    const theirs = await call(ctx, 'GET', `/api/orders/${placed.id}`, { token: stranger.token })
    const sellers = await call(ctx, 'GET', `/api/orders/${placed.id}`, { token: seller.token })
    const missing = await call(ctx, 'GET', `/api/orders/${crypto.randomUUID()}`, {
      token: me.token,
    })

    expect(theirs.status).toBe(404)
    expect(sellers.status).toBe(404)
    expect(missing.status).toBe(404)
    expect(theirs.body.error.message).toBe(missing.body.error.message)
  })

  test('a malformed id is a 400; no token a 401; an expired token a 401', async () => {
    const me = await createAccount(ctx)
    const expired = await signToken(me.id, { expiresInSeconds: -1 })

    expect((await call(ctx, 'GET', '/api/orders/not-a-uuid', { token: me.token })).status).toBe(400)
    expect((await call(ctx, 'GET', `/api/orders/${crypto.randomUUID()}`)).status).toBe(401)
    const someOrder = `/api/orders/${crypto.randomUUID()}`
    expect((await call(ctx, 'GET', someOrder, { token: expired })).status).toBe(401)
  })
})

describe('GET /api/orders/admin', () => {
  test('regression: /admin is the admin list, not an order with id "admin"', async () => {
    const res = await call(ctx, 'GET', '/api/orders/admin?perPage=1', { token: admin.token })

    expect(res.status).toBe(200)
    expect(res.body).toHaveProperty('pagination')
  })

  test('regression: the return requests\' static paths are not taken as an order id', async () => {
    const res = await call(ctx, 'GET', '/api/orders/returns', { token: admin.token })

    expect(res.body?.error?.details?.[0]?.field).not.toBe('id')
    expect(res.body?.error?.message).not.toBe('Order not found')
  })

  test('a customer gets 403, a seller 403, no token 401', async () => {
    const customer = await createAccount(ctx)
    const seller = await createAccount(ctx, 'seller')

    const list = (token?: string) => call(ctx, 'GET', '/api/orders/admin', { token })

    expect((await list(customer.token)).status).toBe(403)
    expect((await list(seller.token)).status).toBe(403)
    expect((await list()).status).toBe(401)
  })

  test('filters by customer, status and placement time', async () => {
    const customer = await createAccount(ctx)
    const placed = await placeOrders(customer, 3)
    const [oldest, middle, newest] = placed
    const { db } = ctx.database
    await db.update(orders).set({ createdAt: new Date('2020-01-01T00:00:00Z') })
      .where(eq(orders.id, oldest.id))
    await db.update(orders)
      .set({ createdAt: new Date('2020-06-01T00:00:00Z'), status: 'CONFIRMED' })
      .where(eq(orders.id, middle.id))

    const list = (query: string) =>
      call(ctx, 'GET', `/api/orders/admin?userId=${customer.id}&${query}`, { token: admin.token })
    const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((o) => o.id)

    expect(ids(await list('perPage=10'))).toEqual([newest.id, middle.id, oldest.id])
    expect(ids(await list('status=CONFIRMED'))).toEqual([middle.id])
    const firstHalf = 'from=2020-01-01T00:00:00Z&to=2020-06-01T00:00:00Z'
    expect(ids(await list(firstHalf))).toEqual([oldest.id])
    expect(ids(await list('from=2020-03-01T00:00:00%2B02:00'))).toEqual([newest.id, middle.id])
    expect((await list('status=PENDING')).body.pagination.total).toBe(2)
  })

  test.each([
    'from=yesterday', 'to=2020-02-30T00:00:00Z', 'from=2020-01-01', 'status=LOST',
    'userId=42', 'from=2021-01-01T00:00:00Z&to=2020-01-01T00:00:00Z', 'perPage=-5',
  ])('query %s is a 400', async (query) => {
    const res = await call(ctx, 'GET', `/api/orders/admin?${query}`, { token: admin.token })

    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('VALIDATION_FAILED')
  })
})
