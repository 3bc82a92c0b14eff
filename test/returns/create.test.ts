import { describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { returnRequests } from '../../src/db/schema'
import { call, createAccount, signToken } from '../support/harness'
import { useAccount } from '../support/suite'
import { eventTypes, jobsOf, returnBody, seedOrder, useReturnsContext } from './support'

const ctx = useReturnsContext()
const customer = useAccount(ctx)

const post = (orderId: string, body: unknown, token = customer.token) =>
  call(ctx, 'POST', `/api/orders/${orderId}/return`, { body, token })

describe('POST /api/orders/:id/return', () => {
  test('opens the request and queues exactly one call in the same transaction', async () => {
    const order = await seedOrder(ctx, customer)
    const productId = order.items[0]!.productId

    const res = await post(order.id, returnBody(productId, { description: 'Box was wet too' }))

    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      orderId: order.id,
      orderNumber: order.orderNumber,
      userId: customer.id,
      productId,
      productName: order.items[0]!.name,
      title: 'Arrived broken',
      description: 'Box was wet too',
      status: 'PENDING',
      isCalled: 'queued',
      callFailureReason: null,
      callSid: null,
      transcript: [],
      analysisStatus: 'none',
      refundAmount: null,
    })
    expect(await eventTypes(ctx, res.body.id)).toEqual(['return.created', 'call.queued'])
    const queued = await jobsOf(ctx, 'call.dispatch', res.body.id)
    expect(queued).toHaveLength(1)
    expect(queued[0]!.payload).toEqual({ returnRequestId: res.body.id })
  })

  test('without any phone number no call is queued and the reason is kept', async () => {
    const noPhone = await createAccount(ctx, 'customer', { phone: null })
    const order = await seedOrder(ctx, noPhone, { phone: null })

    const res = await post(order.id, returnBody(order.items[0]!.productId), noPhone.token)

    expect(res.status).toBe(201)
    expect(res.body.isCalled).toBe('pending')
    expect(res.body.callFailureReason).toBe('no phone number')
    expect(await eventTypes(ctx, res.body.id)).toEqual(['return.created'])
    expect(await jobsOf(ctx, 'call.dispatch', res.body.id)).toHaveLength(0)
  })

  test('the order\'s phone is enough when the account has none', async () => {
    const noPhone = await createAccount(ctx, 'customer', { phone: null })
    const order = await seedOrder(ctx, noPhone, { phone: '+14155550100' })

    const res = await post(order.id, returnBody(order.items[0]!.productId), noPhone.token)

    expect(res.status).toBe(201)
    expect(res.body.isCalled).toBe('queued')
  })

  test('a second request for the same product of the order is a 409 naming productId', async () => {
    const order = await seedOrder(ctx, customer)
    const body = returnBody(order.items[0]!.productId)
    expect((await post(order.id, body)).status).toBe(201)

    const again = await post(order.id, body)
    expect(again.status).toBe(409)
    expect(again.body.error.details[0].field).toBe('productId')

    const other = await post(order.id, returnBody(order.items[1]!.productId))
    expect(other.status).toBe(201)
  })

  test('concurrent duplicates: exactly one 201, the rest 409, one call queued', async () => {
    const order = await seedOrder(ctx, customer)
    const body = returnBody(order.items[0]!.productId)

    const answers = await Promise.all(Array.from({ length: 8 }, () => post(order.id, body)))

    const statuses = answers.map((res) => res.status).sort()
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409])
    const rows = await ctx.database.db.select().from(returnRequests)
      .where(eq(returnRequests.orderId, order.id))
    expect(rows).toHaveLength(1)
    expect(await jobsOf(ctx, 'call.dispatch', rows[0]!.id)).toHaveLength(1)
  })

  test('only delivered orders can be returned (409), and nothing is written', async () => {
    for (const status of ['PENDING', 'SHIPPED', 'CANCELLED'] as const) {
      const order = await seedOrder(ctx, customer, { status })
      const res = await post(order.id, returnBody(order.items[0]!.productId))
      expect(res.status).toBe(409)
      expect(res.body.error.code).toBe('ILLEGAL_TRANSITION')
      const rows = await ctx.database.db.select().from(returnRequests)
        .where(eq(returnRequests.orderId, order.id))
      expect(rows).toHaveLength(0)
    }
  })

  test('a product that is not in the order is a 400 naming productId', async () => {
    const order = await seedOrder(ctx, customer)
    const other = await seedOrder(ctx, customer)

    const res = await post(order.id, returnBody(other.items[0]!.productId))

    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('productId')
  })

  test('another customer\'s order is a 404, even for an admin', async () => {
    const order = await seedOrder(ctx, customer)
    const stranger = await createAccount(ctx)
    const admin = await createAccount(ctx, 'admin')

    for (const token of [stranger.token, admin.token]) {
      const res = await post(order.id, returnBody(order.items[0]!.productId), token)
      expect(res.status).toBe(404)
    }
    const missing = await post(crypto.randomUUID(), returnBody(order.items[0]!.productId))
    expect(missing.status).toBe(404)
  })

  test('bad input is a 400 naming the field, and writes nothing', async () => {
    const order = await seedOrder(ctx, customer)
    const productId = order.items[0]!.productId
    const cases: [unknown, string][] = [
      [{ ...returnBody(productId), role: 'admin' }, 'role'],
      [{ ...returnBody(productId), status: 'APPROVED' }, 'status'],
      [returnBody(productId, { title: 'x'.repeat(201) }), 'title'],
      [returnBody(productId, { reason: '' }), 'reason'],
      [returnBody(productId, { reason: '   ' }), 'reason'],
      [returnBody(productId, { description: 'd'.repeat(5001) }), 'description'],
      [returnBody('not-a-uuid'), 'productId'],
      [{ title: 'a', reason: 'b' }, 'productId'],
    ]
    for (const [body, field] of cases) {
      const res = await post(order.id, body)
      expect(res.status).toBe(400)
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field)
    }

    const badOrderId = await post('123', returnBody(productId))
    expect(badOrderId.status).toBe(400)

    const rows = await ctx.database.db.select().from(returnRequests)
      .where(eq(returnRequests.orderId, order.id))
    expect(rows).toHaveLength(0)
  })

  test('missing, forged and expired tokens are 401', async () => {
    const order = await seedOrder(ctx, customer)
    const body = returnBody(order.items[0]!.productId)
    const forged = await signToken(customer.id, { secret: 'not-the-secret-of-this-server-0000' })
    const expired = await signToken(customer.id, { expiresInSeconds: -60 })

    expect((await call(ctx, 'POST', `/api/orders/${order.id}/return`, { body })).status).toBe(401)
    expect((await post(order.id, body, forged)).status).toBe(401)
    expect((await post(order.id, body, expired)).status).toBe(401)
  })
})
