import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { callJobHandlers } from '../../src/calls/jobs'
import { jobs, returnRequests } from '../../src/db/schema'
import { startJobWorker, type JobWorker } from '../../src/jobs/worker'
import type { Logger } from '../../src/shared/logger'
import { call, createAccount, uniquePhone, type TestAccount } from '../support/harness'
import { startFakeCallingService } from '../support/fake-calling-service'
import { useTestContext } from '../support/suite'
import { eventsOf, eventTypes, jobsOf, returnRow, seedOrder } from '../returns/support'
import { openReturn } from './support'

const fake = startFakeCallingService()
let worker: JobWorker
const logLines: Record<string, unknown>[] = []

const ctx = useTestContext({
  QUEUE_POLL_MS: '60000',
  QUEUE_MAX_ATTEMPTS: '3',
  CALLING_SERVICE_URL: fake.url,
  CALLING_TIMEOUT_MS: '400',
  PUBLIC_BASE_URL: 'http://127.0.0.1:3999',
}, { beforeClose: () => worker.stop() })

function startWorker() {
  const deps = { ...ctx.deps, logger: capturingLogger(logLines) }
  // Backoff far in the future: each test makes a retried job due itself.
  worker = startJobWorker(deps, callJobHandlers(deps), { baseBackoffMs: 60_000 })
}

beforeAll(startWorker)
afterAll(() => fake.stop())

type Fields = Record<string, unknown>

function capturingLogger(lines: Fields[], base: Fields = {}): Logger {
  const write = (level: string) => (event: string, fields: Record<string, unknown> = {}) =>
    void lines.push({ level, event, ...base, ...fields })
  return {
    debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'),
    child: (fields) => capturingLogger(lines, { ...base, ...fields }),
  }
}

async function dispatchJob(returnRequestId: string) {
  const [job] = await jobsOf(ctx, 'call.dispatch', returnRequestId)
  return job!
}

/** Makes a job waiting for its backoff due now, then runs the queue. */
async function retryNow(returnRequestId: string) {
  const job = await dispatchJob(returnRequestId)
  await ctx.database.db.update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.id, job.id))
  await worker.drain()
}

const newCustomer = (): Promise<TestAccount> =>
  createAccount(ctx, 'customer', { name: 'Jamie Doe' })

describe('call dispatch against the calling service', () => {
  test('places one call with the templated prompt and stores the callSid', async () => {
    const customer = await newCustomer()
    const { id, order } = await openReturn(ctx, customer)

    await worker.drain()
    await worker.drain()

    const calls = fake.callsTo(customer.phone)
    expect(calls).toHaveLength(1)
    const sent = calls[0]!
    expect(Object.keys(sent.body).sort())
      .toEqual(['callback_url', 'first_message', 'number', 'prompt'])
    expect(sent.body.prompt).toContain(order.orderNumber)
    expect(sent.body.prompt).toContain(order.items[0]!.name)
    expect(sent.body.prompt).toContain('The screen was cracked when I opened the box')
    expect(sent.body.prompt).toContain('Jamie Doe')
    expect(sent.body.prompt).toContain('returns team')
    expect(sent.body.first_message).toStartWith('Hello Jamie,')
    expect(sent.body.first_message).toContain(order.orderNumber)
    expect(sent.body.callback_url)
      .toBe(`http://127.0.0.1:3999/api/orders/returns/${id}/call-status`)
    expect(sent.headers['idempotency-key']).toBe(`call:${id}`)

    const row = await returnRow(ctx, id)
    expect(row).toMatchObject({
      callSid: sent.callSid, isCalled: 'initiated', callFailureReason: null,
    })
    expect(row.callStartedAt).toBeInstanceOf(Date)
    expect(await eventTypes(ctx, id)).toEqual(['return.created', 'call.queued', 'call.initiated'])
    expect((await dispatchJob(id)).status).toBe('done')
  })

  test('the order\'s phone number is called before the account\'s', async () => {
    const customer = await createAccount(ctx)
    const orderPhone = uniquePhone()
    const order = await seedOrder(ctx, customer, { phone: orderPhone })
    const res = await call(ctx, 'POST', `/api/orders/${order.id}/return`, {
      body: { productId: order.items[0]!.productId, title: 'Wrong size', reason: 'Too small' },
      token: customer.token,
    })
    expect(res.status).toBe(201)

    await worker.drain()

    expect(fake.callsTo(orderPhone)).toHaveLength(1)
    expect(fake.callsTo(customer.phone)).toHaveLength(0)
  })

  test('log lines never carry the phone number in full', async () => {
    const customer = await newCustomer()
    const { id } = await openReturn(ctx, customer)
    await worker.drain()

    const mine = logLines.filter((entry) => entry.returnRequestId === id)
    expect(mine.map((entry) => entry.event)).toContain('call.placed')
    const dispatching = mine.find((entry) => entry.event === 'call.dispatching')!
    const phone = customer.phone
    const hidden = '*'.repeat(phone.length - 5)
    expect(dispatching.number).toBe(`+${phone.slice(1, 3)}${hidden}${phone.slice(-2)}`)
    expect(JSON.stringify(logLines)).not.toContain(customer.phone.slice(1))
  })

  test('a 500 is retried with backoff, then the call is placed once', async () => {
    const customer = await newCustomer()
    fake.answerNext(customer.phone, 'error-500')
    const { id } = await openReturn(ctx, customer)

    await worker.drain()
    const waiting = await dispatchJob(id)
    expect(waiting).toMatchObject({
      status: 'queued', attempts: 1, lastError: 'the calling service answered 500',
    })
    expect(waiting.runAt.getTime()).toBeGreaterThan(Date.now() + 10_000)
    expect((await returnRow(ctx, id)).isCalled).toBe('queued')

    await retryNow(id)

    expect(fake.callsTo(customer.phone).map((c) => c.callSid === undefined)).toEqual([true, false])
    expect((await returnRow(ctx, id)).isCalled).toBe('initiated')
    expect((await dispatchJob(id)).status).toBe('done')
  })

  test('a hanging service times out and is retried; an answer without callSid too', async () => {
    const customer = await newCustomer()
    fake.answerNext(customer.phone, 'hang')
    fake.answerNext(customer.phone, 'garbage')
    const { id } = await openReturn(ctx, customer)

    await worker.drain()
    const timedOut = await dispatchJob(id)
    expect(timedOut.lastError).toBe('the calling service did not answer within 400 ms')
    await retryNow(id)
    const garbled = await dispatchJob(id)
    expect(garbled.lastError).toBe('the calling service answered without a valid callSid')
    await retryNow(id)

    expect((await returnRow(ctx, id)).isCalled).toBe('initiated')
    expect(fake.callsTo(customer.phone)).toHaveLength(3)
  })

  test('429 with Retry-After is retried after the delay the service asked for', async () => {
    const customer = await newCustomer()
    fake.answerNext(customer.phone, 'rate-limited')
    const { id } = await openReturn(ctx, customer)

    await worker.drain()

    const job = await dispatchJob(id)
    expect(job.status).toBe('queued')
    expect(job.runAt.getTime()).toBeLessThan(Date.now() + 5_000)
  })

  test('a 4xx refusal fails the call at once with the reason', async () => {
    const customer = await newCustomer()
    fake.answerNext(customer.phone, 'error-400')
    const { id } = await openReturn(ctx, customer)

    await worker.drain()

    expect((await dispatchJob(id)).status).toBe('failed')
    const reason = 'the calling service refused the call (400)'
    const row = await returnRow(ctx, id)
    expect(row).toMatchObject({ isCalled: 'failed', callSid: null, callFailureReason: reason })
    const events = await eventsOf(ctx, id)
    expect(events.at(-1)).toMatchObject({
      type: 'call.failed', data: { status: 'failed', reason },
    })
    expect(fake.callsTo(customer.phone)).toHaveLength(1)
  })

  test('after the last attempt the call is marked failed with the last reason', async () => {
    const customer = await newCustomer()
    fake.answerNext(customer.phone, 'error-500', 3)
    const { id } = await openReturn(ctx, customer)

    await worker.drain()
    await retryNow(id)
    expect((await returnRow(ctx, id)).isCalled).toBe('queued')
    await retryNow(id)

    expect(fake.callsTo(customer.phone)).toHaveLength(3)
    expect((await dispatchJob(id)).status).toBe('failed')
    expect(await returnRow(ctx, id)).toMatchObject({
      isCalled: 'failed', callFailureReason: 'the calling service answered 500',
    })
    expect((await eventTypes(ctx, id)).filter((type) => type === 'call.failed')).toHaveLength(1)
  })

  test('regression: a retry after a crash past the stored callSid called twice', async () => {
    const customer = await newCustomer()
    const { id } = await openReturn(ctx, customer)
    await worker.drain()
    expect(fake.callsTo(customer.phone)).toHaveLength(1)

    // The worker died after storing the callSid but before marking the job done.
    const job = await dispatchJob(id)
    await ctx.database.db.update(jobs).set({
      status: 'running', lockedBy: 'crashed-worker', lockedUntil: sql`now() - interval '1 second'`,
    }).where(eq(jobs.id, job.id))
    await worker.drain()

    expect(fake.callsTo(customer.phone)).toHaveLength(1)
    expect((await dispatchJob(id)).status).toBe('done')
    expect((await eventTypes(ctx, id)).filter((type) => type === 'call.initiated')).toHaveLength(1)
  })

  test('a request whose call already finished is not called', async () => {
    await worker.stop() // so the NOTIFY of the new job does not run it before the update
    const customer = await newCustomer()
    const { id } = await openReturn(ctx, customer)
    await ctx.database.db.update(returnRequests).set({ isCalled: 'failed' })
      .where(eq(returnRequests.id, id))

    startWorker()
    await worker.drain()

    expect(fake.callsTo(customer.phone)).toHaveLength(0)
    expect((await dispatchJob(id)).status).toBe('done')
  })
})
