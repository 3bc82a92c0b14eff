import { describe, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { returnRequests } from '../../src/db/schema'
import { call, createAccount } from '../support/harness'
import { useAccount } from '../support/suite'
import { returnBody, seedOrder, useReturnsContext } from './support'

const ctx = useReturnsContext()
const owner = useAccount(ctx)
const stranger = useAccount(ctx)
const admin = useAccount(ctx, 'admin')

/** Opens a return and gives it a placed call with a transcript, as callbacks would. */
async function openReturn(account = owner) {
  const order = await seedOrder(ctx, account)
  const res = await call(ctx, 'POST', `/api/orders/${order.id}/return`, {
    body: returnBody(order.items[0]!.productId), token: account.token,
  })
  expect(res.status).toBe(201)
  const callSid = `CA${crypto.randomUUID().replaceAll('-', '')}`
  await ctx.database.db.update(returnRequests).set({
    callSid,
    isCalled: 'in-progress',
    transcript: [{ type: 'agent', text: 'Hello there', timestamp: new Date().toISOString() }],
  }).where(eq(returnRequests.id, res.body.id))
  return { id: res.body.id as string, order, callSid }
}

describe('GET /api/orders/returns/:id', () => {
  test('the owner sees the request with its call id and transcript', async () => {
    const { id, callSid } = await openReturn()

    const res = await call(ctx, 'GET', `/api/orders/returns/${id}`, { token: owner.token })

    expect(res.status).toBe(200)
    expect(res.body.callSid).toBe(callSid)
    expect(res.body.transcript).toEqual([
      expect.objectContaining({ type: 'agent', text: 'Hello there' }),
    ])
  })

  test('an admin sees any request', async () => {
    const { id, callSid } = await openReturn()
    const res = await call(ctx, 'GET', `/api/orders/returns/${id}`, { token: admin.token })
    expect(res.status).toBe(200)
    expect(res.body.callSid).toBe(callSid)
  })

  test('another customer or a seller gets a 404 that reveals nothing', async () => {
    const { id } = await openReturn()
    const seller = await createAccount(ctx, 'seller')
    for (const token of [stranger.token, seller.token]) {
      const res = await call(ctx, 'GET', `/api/orders/returns/${id}`, { token })
      expect(res.status).toBe(404)
      expect(JSON.stringify(res.body)).not.toContain('callSid')
    }
  })

  test('unknown id 404, malformed id 400, no token 401', async () => {
    const token = owner.token
    const unknown = await call(ctx, 'GET', `/api/orders/returns/${crypto.randomUUID()}`, { token })
    expect(unknown.status).toBe(404)
    const malformed = await call(ctx, 'GET', '/api/orders/returns/1%20or%201=1', { token })
    expect(malformed.status).toBe(400)
    const { id } = await openReturn()
    expect((await call(ctx, 'GET', `/api/orders/returns/${id}`)).status).toBe(401)
  })
})

describe('GET /api/orders/returns/my', () => {
  test('lists only the caller\'s requests, newest first, without transcripts', async () => {
    const me = await createAccount(ctx)
    const first = await openReturn(me)
    const second = await openReturn(me)
    await openReturn(stranger)

    const res = await call(ctx, 'GET', '/api/orders/returns/my', { token: me.token })

    expect(res.status).toBe(200)
    expect(res.body.data.map((item: { id: string }) => item.id)).toEqual([second.id, first.id])
    expect(res.body.pagination).toEqual({ page: 1, perPage: 20, total: 2, totalPages: 1 })
    expect(res.body.data[0].callSid).toBe(second.callSid)
    expect(res.body.data[0].transcriptLines).toBe(1)
    expect(res.body.data[0].transcript).toBeUndefined()
  })

  test('pages are bounded and validated', async () => {
    const me = await createAccount(ctx)
    for (let i = 0; i < 3; i++) await openReturn(me)

    const token = me.token
    const page = await call(ctx, 'GET', '/api/orders/returns/my?page=2&perPage=2', { token })
    expect(page.status).toBe(200)
    expect(page.body.data).toHaveLength(1)
    expect(page.body.pagination).toEqual({ page: 2, perPage: 2, total: 3, totalPages: 2 })

    const capped = await call(ctx, 'GET', '/api/orders/returns/my?perPage=5000', { token })
    expect(capped.body.pagination.perPage).toBe(100)

    for (const bad of ['page=0', 'page=-1', 'perPage=1e3', 'page=0x10']) {
      const res = await call(ctx, 'GET', `/api/orders/returns/my?${bad}`, { token: me.token })
      expect(res.status).toBe(400)
    }
  })

  test('needs a token', async () => {
    expect((await call(ctx, 'GET', '/api/orders/returns/my')).status).toBe(401)
  })
})

describe('GET /api/orders/returns (admin)', () => {
  test('lists everyone\'s requests and filters by status, call status and date', async () => {
    const before = new Date(Date.now() - 1000).toISOString()
    const a = await openReturn(owner)
    const b = await openReturn(stranger)
    const after = new Date(Date.now() + 1000).toISOString()
    await ctx.database.db.update(returnRequests)
      .set({ status: 'APPROVED', isCalled: 'completed', createdAt: sql`now() - interval '3 days'` })
      .where(eq(returnRequests.id, b.id))
    const list = async (query: string) => {
      const res = await call(ctx, 'GET', `/api/orders/returns?${query}&perPage=100`, {
        token: admin.token,
      })
      expect(res.status).toBe(200)
      return res.body.data as { id: string; status: string; isCalled: string }[]
    }

    const window = await list(`from=${before}&to=${after}`)
    expect(window.map((item) => item.id)).toContain(a.id)
    expect(window.map((item) => item.id)).not.toContain(b.id)

    const threeDaysAgo = new Date(Date.now() - 4 * 86_400_000).toISOString()
    const oneDayAgo = new Date(Date.now() - 86_400_000).toISOString()
    const range = `from=${threeDaysAgo}&to=${oneDayAgo}`
    const approved = await list(`status=APPROVED&isCalled=completed&${range}`)
    expect(approved.map((item) => item.id)).toContain(b.id)
    for (const item of approved) {
      expect(item.status).toBe('APPROVED')
      expect(item.isCalled).toBe('completed')
    }

    const pending = await list(`status=PENDING&from=${before}&to=${after}`)
    expect(pending.map((item) => item.id)).toContain(a.id)
    expect(pending.every((item) => item.status === 'PENDING')).toBe(true)
  })

  test('bad filters are a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['status=LOST', 'status'],
      ['isCalled=maybe', 'isCalled'],
      ['from=yesterday', 'from'],
      [`from=${new Date().toISOString()}&to=${new Date(Date.now() - 1000).toISOString()}`, 'from'],
    ]
    for (const [query, field] of cases) {
      const res = await call(ctx, 'GET', `/api/orders/returns?${query}`, { token: admin.token })
      expect(res.status).toBe(400)
      expect(res.body.error.details[0].field).toBe(field)
    }
  })

  test('customers and sellers get 403, no token 401', async () => {
    const seller = await createAccount(ctx, 'seller')
    for (const token of [owner.token, seller.token]) {
      expect((await call(ctx, 'GET', '/api/orders/returns', { token })).status).toBe(403)
    }
    expect((await call(ctx, 'GET', '/api/orders/returns')).status).toBe(401)
  })
})
