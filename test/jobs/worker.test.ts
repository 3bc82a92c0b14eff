import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { jobs, type JobRow } from '../../src/db/schema'
import { PermanentJobError, RetryLaterError } from '../../src/jobs/errors'
import { enqueueJob } from '../../src/jobs/queue'
import { startJobWorker, type JobHandler } from '../../src/jobs/worker'
import { createTestContext, type TestContext } from '../support/harness'

let ctx: TestContext

beforeAll(async () => {
  ctx = await createTestContext({ QUEUE_POLL_MS: '60000' })
})

afterAll(async () => {
  await ctx.close()
})

const uniqueKind = () => `test.${crypto.randomUUID()}`

async function jobOf(kind: string): Promise<JobRow> {
  const [row] = await ctx.database.db.select().from(jobs).where(eq(jobs.kind, kind))
  return row!
}

/** Makes a retried job due now instead of after its backoff. */
async function makeDue(kind: string) {
  await ctx.database.db.update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.kind, kind))
}

describe('durable job queue', () => {
  test('a dedupe key queues the work once', async () => {
    const kind = uniqueKind()
    const key = `dedupe-${crypto.randomUUID()}`
    expect(await enqueueJob(ctx.database.db, { kind, payload: {}, dedupeKey: key })).toBe(true)
    expect(await enqueueJob(ctx.database.db, { kind, payload: {}, dedupeKey: key })).toBe(false)

    const rows = await ctx.database.db.select().from(jobs).where(eq(jobs.kind, kind))
    expect(rows).toHaveLength(1)
  })

  test('a job that succeeds runs once and is marked done', async () => {
    const kind = uniqueKind()
    const seen: unknown[] = []
    await enqueueJob(ctx.database.db, { kind, payload: { n: 1 } })

    const handler = { run: async (job: JobRow) => void seen.push(job.payload) }
    const worker = startJobWorker(ctx.deps, { [kind]: handler })
    await worker.drain()
    await worker.drain()
    await worker.stop()

    expect(seen).toEqual([{ n: 1 }])
    expect((await jobOf(kind)).status).toBe('done')
  })

  test('a failing job is retried later and fails for good after its last attempt', async () => {
    const kind = uniqueKind()
    const failures: string[] = []
    let runs = 0
    const handler: JobHandler = {
      run: async () => {
        runs += 1
        throw new Error(`boom ${runs}`)
      },
      onFailed: async (_job, reason) => void failures.push(reason),
    }
    await enqueueJob(ctx.database.db, { kind, payload: {}, maxAttempts: 3 })
    const worker = startJobWorker(ctx.deps, { [kind]: handler }, { baseBackoffMs: 60_000 })

    await worker.drain()
    const afterFirst = await jobOf(kind)
    expect(afterFirst.status).toBe('queued')
    expect(afterFirst.runAt.getTime()).toBeGreaterThan(Date.now() + 10_000)
    expect(afterFirst.lastError).toBe('boom 1')

    for (let attempt = 2; attempt <= 3; attempt++) {
      await makeDue(kind)
      await worker.drain()
    }
    await worker.stop()

    const last = await jobOf(kind)
    expect(runs).toBe(3)
    expect(last.status).toBe('failed')
    expect(failures).toEqual(['boom 3'])
  })

  test('RetryLaterError sets the delay; PermanentJobError fails at once', async () => {
    const later = uniqueKind()
    const permanent = uniqueKind()
    await enqueueJob(ctx.database.db, { kind: later, payload: {} })
    await enqueueJob(ctx.database.db, { kind: permanent, payload: {} })

    const worker = startJobWorker(ctx.deps, {
      [later]: { run: async () => { throw new RetryLaterError('slow down', 120_000) } },
      [permanent]: { run: async () => { throw new PermanentJobError('bad data') } },
    })
    await worker.drain()
    await worker.stop()

    const delayed = await jobOf(later)
    expect(delayed.status).toBe('queued')
    expect(delayed.runAt.getTime()).toBeGreaterThan(Date.now() + 100_000)
    expect((await jobOf(permanent)).status).toBe('failed')
  })

  test('a job whose worker died is reclaimed once its lease expires', async () => {
    const kind = uniqueKind()
    await enqueueJob(ctx.database.db, { kind, payload: {} })
    await ctx.database.db.update(jobs).set({
      status: 'running',
      attempts: 1,
      lockedBy: 'dead-worker',
      lockedUntil: sql`now() - interval '1 second'`,
    }).where(eq(jobs.kind, kind))

    let runs = 0
    const worker = startJobWorker(ctx.deps, { [kind]: { run: async () => void (runs += 1) } })
    await worker.drain()
    await worker.stop()

    expect(runs).toBe(1)
    const row = await jobOf(kind)
    expect(row.status).toBe('done')
    expect(row.attempts).toBe(2)
  })

  test('two workers sharing the queue run each job exactly once', async () => {
    const kind = uniqueKind()
    for (let i = 0; i < 40; i++) await enqueueJob(ctx.database.db, { kind, payload: { i } })

    const seen: number[] = []
    const handler: JobHandler = {
      run: async (job) => {
        await Bun.sleep(2)
        seen.push(job.payload.i as number)
      },
    }
    const a = startJobWorker(ctx.deps, { [kind]: handler }, { concurrency: 3 })
    const b = startJobWorker(ctx.deps, { [kind]: handler }, { concurrency: 3 })
    await Promise.all([a.drain(), b.drain()])
    await Promise.all([a.stop(), b.stop()])

    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i))
  })
})
