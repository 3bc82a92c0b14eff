import { describe, expect, test } from 'bun:test'
import { call, createAccount } from '../support/harness'
import { useAccount } from '../support/suite'
import { returnBody, returnRow, seedOrder, useReturnsContext } from './support'

const ctx = useReturnsContext()
const owner = useAccount(ctx)
const admin = useAccount(ctx, 'admin')

/** A fresh request for a line that cost 49.98. */
async function openReturn() {
  const order = await seedOrder(ctx, owner, { lineTotals: ['49.98', '15.00'] })
  const res = await call(ctx, 'POST', `/api/orders/${order.id}/return`, {
    body: returnBody(order.items[0]!.productId), token: owner.token,
  })
  expect(res.status).toBe(201)
  return res.body.id as string
}

const decide = (id: string, body: unknown, token = admin.token) =>
  call(ctx, 'PUT', `/api/orders/returns/${id}`, { body, token })

describe('PUT /api/orders/returns/:id (admin decision)', () => {
  test('approve with a refund, process, complete: processedAt set on completion', async () => {
    const id = await openReturn()

    const approved = await decide(id, {
      status: 'APPROVED', adminResponse: 'Send it back', refundAmount: 49.98,
    })
    expect(approved.status).toBe(200)
    expect(approved.body).toMatchObject({
      status: 'APPROVED', adminResponse: 'Send it back', refundAmount: 49.98, processedAt: null,
    })
    expect((await returnRow(ctx, id)).refundAmount).toBe('49.98')

    const processing = await decide(id, { status: 'PROCESSING' })
    expect(processing.body).toMatchObject({ status: 'PROCESSING', adminResponse: 'Send it back' })

    const completed = await decide(id, { status: 'COMPLETED', refundAmount: 20.5 })
    expect(completed.status).toBe(200)
    expect(completed.body.status).toBe('COMPLETED')
    expect(completed.body.refundAmount).toBe(20.5)
    expect(typeof completed.body.processedAt).toBe('string')
  })

  test('rejecting stamps processedAt and refuses a refund', async () => {
    const id = await openReturn()
    const withRefund = await decide(id, { status: 'REJECTED', refundAmount: 10 })
    expect(withRefund.status).toBe(400)
    expect(withRefund.body.error.details[0].field).toBe('refundAmount')

    const rejected = await decide(id, { status: 'REJECTED', adminResponse: 'Outside the window' })
    expect(rejected.status).toBe(200)
    expect(rejected.body.processedAt).not.toBeNull()
  })

  test('illegal moves are 409 and change nothing', async () => {
    const id = await openReturn()
    expect((await decide(id, { status: 'PROCESSING' })).status).toBe(409)
    expect((await decide(id, { status: 'COMPLETED' })).status).toBe(409)

    expect((await decide(id, { status: 'REJECTED' })).status).toBe(200)
    for (const status of ['APPROVED', 'PROCESSING', 'COMPLETED', 'REJECTED']) {
      const res = await decide(id, { status })
      expect(res.status).toBe(409)
      expect(res.body.error.code).toBe('ILLEGAL_TRANSITION')
    }
    expect((await returnRow(ctx, id)).status).toBe('REJECTED')
  })

  test('a refund above the line total, with 3 decimals, zero or negative is a 400', async () => {
    const id = await openReturn()
    for (const refundAmount of [49.99, 100, 10.123, 0, -5, 1e-7]) {
      const res = await decide(id, { status: 'APPROVED', refundAmount })
      expect(res.status).toBe(400)
      expect(res.body.error.details[0].field).toBe('refundAmount')
    }
    const asText = await decide(id, { status: 'APPROVED', refundAmount: '10.00' })
    expect(asText.status).toBe(400)
    expect((await returnRow(ctx, id)).status).toBe('PENDING')
    expect((await returnRow(ctx, id)).refundAmount).toBeNull()
  })

  test('bad bodies are 400 naming the field', async () => {
    const id = await openReturn()
    const cases: [unknown, string][] = [
      [{ status: 'PENDING' }, 'status'],
      [{ status: 'APPROVED', isCalled: 'completed' }, 'isCalled'],
      [{ status: 'APPROVED', callSid: 'CA1' }, 'callSid'],
      [{ status: 'APPROVED', adminResponse: 'x'.repeat(2001) }, 'adminResponse'],
      [{}, 'status'],
    ]
    for (const [body, field] of cases) {
      const res = await decide(id, body)
      expect(res.status).toBe(400)
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field)
    }
  })

  test('only admins decide: owner and seller 403, no token 401, unknown id 404', async () => {
    const id = await openReturn()
    const seller = await createAccount(ctx, 'seller')
    expect((await decide(id, { status: 'APPROVED' }, owner.token)).status).toBe(403)
    expect((await decide(id, { status: 'APPROVED' }, seller.token)).status).toBe(403)
    const anonymous = await call(ctx, 'PUT', `/api/orders/returns/${id}`, {
      body: { status: 'APPROVED' },
    })
    expect(anonymous.status).toBe(401)
    expect((await decide(crypto.randomUUID(), { status: 'APPROVED' })).status).toBe(404)
    expect((await returnRow(ctx, id)).status).toBe('PENDING')
  })
})
