import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { callJobHandlers } from '../../src/calls/jobs'
import { startJobWorker, type JobWorker } from '../../src/jobs/worker'
import { createAccount } from '../support/harness'
import { startFakeCallingService, type CallbackBody } from '../support/fake-calling-service'
import { useTestContext } from '../support/suite'
import { eventTypes, jobsOf, returnBody, returnRow, seedOrder } from '../returns/support'
import { line, WEBHOOK_SECRET } from './support'

const fake = startFakeCallingService()
let worker: JobWorker
let apiUrl: string

const ctx = useTestContext({
  QUEUE_POLL_MS: '100',
  CALLING_SERVICE_URL: fake.url,
  CALLING_WEBHOOK_SECRET: WEBHOOK_SECRET,
}, {
  beforeClose: async ({ app }) => {
    await app.stop()
    await worker.stop()
  },
})

beforeAll(() => {
  const server = ctx.app.listen({ hostname: '127.0.0.1', port: 0 })
  apiUrl = `http://127.0.0.1:${server.server!.port}`
  worker = startJobWorker(ctx.deps, callJobHandlers(ctx.deps))
})

afterAll(() => fake.stop())

/**
 * The service may answer before our dispatch commits the callSid; until then callbacks by
 * callSid are 404 (see the docs), so the fake waits like a real one retrying would.
 */
async function callSidStored(id: string) {
  const deadline = Date.now() + 10_000
  while ((await returnRow(ctx, id)).callSid === null) {
    if (Date.now() > deadline) throw new Error('the callSid was never stored')
    await Bun.sleep(20)
  }
}

const http = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

describe('the whole return flow over real HTTP', () => {
  test('return opened, call placed in background, callbacks played, lines stored', async () => {
    const customer = await createAccount(ctx)
    const admin = await createAccount(ctx, 'admin')
    const order = await seedOrder(ctx, customer)

    const created = await http('POST', `/api/orders/${order.id}/return`, customer.token,
      returnBody(order.items[0]!.productId))
    expect(created.status).toBe(201)
    const { id } = await created.json() as { id: string }

    await fake.waitForCalls(customer.phone, 1)
    await callSidStored(id)
    const placed = fake.callsTo(customer.phone)[0]!
    const callSid = placed.callSid!
    const hello = line('agent', placed.body.first_message)
    const answer = line('user', 'Yes, the screen is cracked.')
    const bye = line('agent', 'Thanks, the team will email you.')
    const script: CallbackBody[] = [
      { isCalled: 'initiated' },
      { isCalled: 'ringing' },
      { isCalled: 'in-progress', transcript: [hello] },
      { isCalled: 'in-progress', transcript: [hello, answer] },
      { isCalled: 'completed', transcript: [hello, answer, bye] },
    ]
    const hmac = { kind: 'hmac' as const, secret: WEBHOOK_SECRET }
    const answers = await fake.play(apiUrl, callSid, script, hmac)
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200])

    const seen = await http('GET', `/api/orders/returns/${id}`, customer.token)
    const view = await seen.json() as Record<string, unknown>
    expect(view).toMatchObject({
      callSid, isCalled: 'completed', transcript: [hello, answer, bye], analysisStatus: 'pending',
    })
    expect(await jobsOf(ctx, 'analysis.call', id)).toHaveLength(1)
    expect(await eventTypes(ctx, id)).toEqual([
      'return.created', 'call.queued', 'call.initiated', 'call.status', 'call.transcript',
      'call.status', 'call.transcript', 'call.transcript', 'call.completed',
    ])

    const adminView = await http('GET', `/api/orders/returns/${id}`, admin.token)
    expect(((await adminView.json()) as { callSid: string }).callSid).toBe(callSid)
    expect(fake.callsTo(customer.phone)).toHaveLength(1)
  }, 30_000)

  test('over the network too: replayed, unsigned and wrong-secret callbacks are 401', async () => {
    const customer = await createAccount(ctx)
    const order = await seedOrder(ctx, customer)
    const created = await http('POST', `/api/orders/${order.id}/return`, customer.token,
      returnBody(order.items[0]!.productId))
    const { id } = await created.json() as { id: string }
    await fake.waitForCalls(customer.phone, 1)
    await callSidStored(id)
    const callSid = fake.callsTo(customer.phone)[0]!.callSid!
    const timestamp = Math.floor(Date.now() / 1000)
    const hmac = { kind: 'hmac' as const, secret: WEBHOOK_SECRET, timestamp }

    const first = await fake.callback(apiUrl, callSid, { isCalled: 'ringing' }, hmac)
    const replay = await fake.callback(apiUrl, callSid, { isCalled: 'ringing' }, hmac)
    const none = { kind: 'none' as const }
    const unsigned = await fake.callback(apiUrl, callSid, { isCalled: 'completed' }, none)
    const wrong = await fake.callback(apiUrl, callSid, { isCalled: 'completed' },
      { kind: 'bearer', secret: 'guessed' })
    const bearer = await fake.callback(apiUrl, callSid, { isCalled: 'in-progress' },
      { kind: 'bearer', secret: WEBHOOK_SECRET })

    expect([first.status, replay.status, unsigned.status, wrong.status, bearer.status])
      .toEqual([200, 401, 401, 401, 200])
  }, 30_000)
})
