import { afterAll, describe, expect, test } from 'bun:test'
import { resolve } from 'node:path'
import { callJobHandlers } from '../../src/calls/jobs'
import { startJobWorker } from '../../src/jobs/worker'
import { createAccount } from '../support/harness'
import { startFakeCallingService } from '../support/fake-calling-service'
import { useTestContext } from '../support/suite'
import { jobsOf, returnRow } from '../returns/support'
import { openReturn } from './support'

const fake = startFakeCallingService()
const ctx = useTestContext({ QUEUE_POLL_MS: '60000', CALLING_SERVICE_URL: fake.url })

afterAll(() => fake.stop())

describe('a crash between opening the return and placing the call loses nothing', () => {
  test('with no worker the call waits queued; two restarted workers place it once', async () => {
    const customer = await createAccount(ctx)
    const { id } = await openReturn(ctx, customer)

    await Bun.sleep(200)
    expect(fake.callsTo(customer.phone)).toHaveLength(0)
    expect((await jobsOf(ctx, 'call.dispatch', id))[0]!.status).toBe('queued')

    const a = startJobWorker(ctx.deps, callJobHandlers(ctx.deps))
    const b = startJobWorker(ctx.deps, callJobHandlers(ctx.deps))
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()])
    await Promise.all([a.stop(), b.stop()])

    expect(fake.callsTo(customer.phone)).toHaveLength(1)
    expect((await returnRow(ctx, id)).callSid).toBe(fake.callsTo(customer.phone)[0]!.callSid!)
  })

  test.skipIf(!process.env.DATABASE_URL)(
    'a second API process on the same PostgreSQL places the call exactly once',
    async () => {
      const customer = await createAccount(ctx)
      const { id } = await openReturn(ctx, customer)
      expect(fake.callsTo(customer.phone)).toHaveLength(0)

      const second = Bun.spawn([process.execPath, resolve(import.meta.dir, '../../src/index.ts')], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          HOST: '127.0.0.1',
          PORT: '0',
          DATABASE_URL: process.env.DATABASE_URL,
          CALLING_SERVICE_URL: fake.url,
          QUEUE_POLL_MS: '100',
        },
        stdout: 'ignore',
        stderr: 'ignore',
      })
      try {
        await fake.waitForCalls(customer.phone, 1, 20_000)
        const deadline = Date.now() + 10_000
        while ((await returnRow(ctx, id)).callSid === null && Date.now() < deadline) {
          await Bun.sleep(50)
        }
      } finally {
        second.kill('SIGTERM')
        await second.exited
      }

      // This process's worker now finds nothing left to do for the request.
      const local = startJobWorker(ctx.deps, callJobHandlers(ctx.deps))
      await local.drain()
      await local.stop()

      expect(fake.callsTo(customer.phone)).toHaveLength(1)
      expect((await returnRow(ctx, id))).toMatchObject({
        isCalled: 'initiated', callSid: fake.callsTo(customer.phone)[0]!.callSid!,
      })
      expect((await jobsOf(ctx, 'call.dispatch', id))[0]!.status).toBe('done')
    },
  )
})
