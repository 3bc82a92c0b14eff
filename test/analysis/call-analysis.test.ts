import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { and, asc, eq, sql } from 'drizzle-orm'
import { analysisJobHandlers } from '../../src/analysis/jobs'
import { CALL_ANALYSIS_PROMPT_VERSION } from '../../src/analysis/prompts'
import { jobs, returnRequests, type JobRow } from '../../src/db/schema'
import { enqueueJob } from '../../src/jobs/queue'
import { startJobWorker, type JobWorker } from '../../src/jobs/worker'
import { createLogger, type Logger } from '../../src/shared/logger'
import { eventsOf, returnRow } from '../returns/support'
import { startFakeGemini, type FakeGeminiReply } from '../support/fake-gemini'
import { call, createAccount, createTestContext } from '../support/harness'
import { useTestContext } from '../support/suite'
import { goodAnalysis, sampleTranscript, seedReturn } from './support'

const MODEL = 'gemini-test-model'
const fake = startFakeGemini()
let worker: JobWorker

const ctx = useTestContext({
  GEMINI_API_KEY: fake.apiKey,
  GEMINI_BASE_URL: fake.baseUrl,
  GEMINI_MODEL: MODEL,
  GEMINI_TIMEOUT_MS: '1000',
  QUEUE_POLL_MS: '60000',
}, { beforeClose: () => worker.stop() })

function startWorker() {
  worker = startJobWorker(ctx.deps, analysisJobHandlers(ctx.deps), { baseBackoffMs: 60_000 })
}

beforeAll(startWorker)

afterAll(() => fake.close())

/** What the return callbacks do when a call completes with a transcript. */
async function queueAnalysis(id: string, maxAttempts = 5) {
  await ctx.database.db.update(returnRequests).set({ analysisStatus: 'pending' })
    .where(eq(returnRequests.id, id))
  await enqueueJob(ctx.database.db, {
    kind: 'analysis.call', payload: { returnRequestId: id }, dedupeKey: `analysis.call:${id}`,
    maxAttempts,
  })
}

const jobsOf = (id: string) => ctx.database.db.select().from(jobs)
  .where(and(eq(jobs.kind, 'analysis.call'), sql`${jobs.payload}->>'returnRequestId' = ${id}`))
  .orderBy(asc(jobs.id))

/** A return with the sample transcript, analysed once while Gemini gives these replies. */
async function analysed(...replies: FakeGeminiReply[]) {
  const seeded = await seedReturn(ctx)
  fake.script(seeded.orderNumber, ...replies)
  await queueAnalysis(seeded.id)
  await worker.drain()
  return seeded
}

/** Makes this request's queued jobs due now instead of after their delay. */
const makeDue = (id: string) => ctx.database.db.update(jobs).set({ runAt: sql`now()` })
  .where(and(eq(jobs.status, 'queued'), sql`${jobs.payload}->>'returnRequestId' = ${id}`))

describe('call analysis with Gemini', () => {
  test('valid JSON is stored with model, prompt version and an event', async () => {
    const seeded = await analysed({ kind: 'json', value: goodAnalysis })

    const row = await returnRow(ctx, seeded.id)
    expect(row.analysisStatus).toBe('completed')
    expect(row.aiSummary).toBe(goodAnalysis.summary)
    expect(row.aiAnalysis).toEqual(goodAnalysis)
    expect(row.analysisModel).toBe(MODEL)
    expect(row.analysisPromptVersion).toBe(CALL_ANALYSIS_PROMPT_VERSION)
    expect(row.analyzedAt).toBeInstanceOf(Date)
    expect(row.analysisError).toBeNull()

    const [sent] = fake.requestsFor(seeded.orderNumber)
    expect(sent!.apiKey).toBe(fake.apiKey)
    expect(sent!.model).toBe(MODEL)
    expect(sent!.body.generationConfig.responseMimeType).toBe('application/json')
    expect(sent!.body.generationConfig.responseSchema.properties.recommendedOutcome.enum)
      .toEqual(['refund', 'replace', 'reject', 'needs_review'])
    expect(sent!.prompt).toContain(sampleTranscript[1]!.text)

    const events = await eventsOf(ctx, seeded.id)
    expect(events.map((event) => event.type)).toEqual(['analysis.ready'])
    expect(events[0]!.data).toMatchObject({ recommendedOutcome: 'refund', model: MODEL })
  })

  test('JSON wrapped in a markdown fence is accepted', async () => {
    const seeded = await analysed({ kind: 'fenced', value: goodAnalysis })

    const row = await returnRow(ctx, seeded.id)
    expect(row.analysisStatus).toBe('completed')
    expect(row.aiAnalysis).toEqual(goodAnalysis)
  })

  test('text that is not JSON fails the analysis and keeps the raw text', async () => {
    const seeded = await analysed({ kind: 'text', text: 'Sure! The customer seems upset.' })

    const row = await returnRow(ctx, seeded.id)
    expect(row.analysisStatus).toBe('failed')
    expect(row.analysisError).toContain('not JSON')
    expect(row.analysisRaw).toBe('Sure! The customer seems upset.')
    expect(row.aiAnalysis).toBeNull()
    expect((await eventsOf(ctx, seeded.id)).map((event) => event.type)).toEqual(['analysis.failed'])
  })

  test('JSON that breaks the schema fails with the offending field named', async () => {
    const wrong = { ...goodAnalysis, recommendedOutcome: 'maybe' }
    const seeded = await analysed({ kind: 'json', value: wrong })

    const row = await returnRow(ctx, seeded.id)
    expect(row.analysisStatus).toBe('failed')
    expect(row.analysisError).toContain('/recommendedOutcome')
    expect(row.analysisRaw).toBe(JSON.stringify(wrong))
  })

  test('a safety block of the prompt or of the answer ends as blocked', async () => {
    for (const on of ['prompt', 'answer'] as const) {
      const seeded = await analysed({ kind: 'safety', on })

      const row = await returnRow(ctx, seeded.id)
      expect(row.analysisStatus).toBe('blocked')
      expect(row.analysisError).toContain('SAFETY')
      expect(row.analysisRaw).toContain('SAFETY')
      expect((await eventsOf(ctx, seeded.id))[0]!.data).toMatchObject({ analysisStatus: 'blocked' })
    }
  })

  test('an empty candidate list fails the analysis', async () => {
    const seeded = await analysed({ kind: 'empty' })

    const row = await returnRow(ctx, seeded.id)
    expect(row.analysisStatus).toBe('failed')
    expect(row.analysisError).toContain('no candidates')
    expect(row.analysisRaw).toContain('"candidates":[]')
  })

  test('a 429 is retried after the delay Gemini asked for, then succeeds', async () => {
    const seeded = await analysed(
      { kind: 'rate-limit', retryDelaySeconds: 7 },
      { kind: 'json', value: goodAnalysis },
    )

    const [waiting] = await jobsOf(seeded.id)
    expect(waiting!.status).toBe('queued')
    const delayMs = waiting!.runAt.getTime() - waiting!.updatedAt.getTime()
    expect(delayMs).toBeGreaterThanOrEqual(6_500)
    expect(delayMs).toBeLessThan(8_000)
    expect((await returnRow(ctx, seeded.id)).analysisStatus).toBe('pending')

    await makeDue(seeded.id)
    await worker.drain()
    expect((await returnRow(ctx, seeded.id)).analysisStatus).toBe('completed')
    expect(fake.requestsFor(seeded.orderNumber)).toHaveLength(2)
  })

  test('repeated 429s end as failed with the reason once the attempts run out', async () => {
    const seeded = await seedReturn(ctx)
    fake.script(seeded.orderNumber,
      { kind: 'rate-limit', retryDelaySeconds: 1 }, { kind: 'rate-limit', retryDelaySeconds: 1 })
    await queueAnalysis(seeded.id, 2)
    await worker.drain()
    await makeDue(seeded.id)
    await worker.drain()

    const row = await returnRow(ctx, seeded.id)
    expect(row.analysisStatus).toBe('failed')
    expect(row.analysisError).toContain('429')
    expect((await jobsOf(seeded.id))[0]!.status).toBe('failed')
    expect((await eventsOf(ctx, seeded.id)).map((event) => event.type)).toEqual(['analysis.failed'])
  })

  test('a 500 is retried with backoff', async () => {
    const seeded = await analysed(
      { kind: 'error', status: 500 },
      { kind: 'fenced', value: goodAnalysis },
    )
    expect((await jobsOf(seeded.id))[0]!.status).toBe('queued')

    await makeDue(seeded.id)
    await worker.drain()
    expect((await returnRow(ctx, seeded.id)).analysisStatus).toBe('completed')
  })

  test('a Gemini that never answers times out and fails the analysis', async () => {
    const seeded = await seedReturn(ctx)
    fake.script(seeded.orderNumber, { kind: 'hang' })
    await queueAnalysis(seeded.id)
    const started = performance.now()
    await worker.drain()

    expect(performance.now() - started).toBeLessThan(5_000)
    const row = await returnRow(ctx, seeded.id)
    expect(row.analysisStatus).toBe('failed')
    expect(row.analysisError).toContain('did not answer within 1000 ms')
  })

  test('regression: a retried job never pays for an analysis already stored', async () => {
    const seeded = await analysed(
      { kind: 'json', value: goodAnalysis },
      { kind: 'json', value: { ...goodAnalysis, summary: 'paid twice' } },
    )

    // As if the worker died after storing the result but before marking the job done.
    await ctx.database.db.update(jobs).set({ status: 'queued', runAt: sql`now()` })
      .where(sql`${jobs.payload}->>'returnRequestId' = ${seeded.id}`)
    await worker.drain()

    expect(fake.requestsFor(seeded.orderNumber)).toHaveLength(1)
    expect((await returnRow(ctx, seeded.id)).aiSummary).toBe(goodAnalysis.summary)
    expect(await eventsOf(ctx, seeded.id)).toHaveLength(1)
  })
})

describe('POST /api/orders/returns/:id/analysis', () => {
  test('an admin re-runs the analysis from the stored transcript, with a new job', async () => {
    const admin = await createAccount(ctx, 'admin')
    const seeded = await analysed(
      { kind: 'text', text: 'oops' },
      { kind: 'json', value: { ...goodAnalysis, recommendedOutcome: 'replace' } },
    )
    expect((await returnRow(ctx, seeded.id)).analysisStatus).toBe('failed')

    // Woken by the new job, a running worker could finish the re-run before the second
    // request (it did on PostgreSQL): stopped, it leaves the re-run queued.
    await worker.stop()
    const response = await call(ctx, 'POST', `/api/orders/returns/${seeded.id}/analysis`,
      { token: admin.token })
    expect(response.status).toBe(202)
    expect(response.body).toEqual({ returnRequestId: seeded.id, analysisStatus: 'pending', run: 2 })

    const again = await call(ctx, 'POST', `/api/orders/returns/${seeded.id}/analysis`,
      { token: admin.token })
    expect(again.status).toBe(409)

    startWorker()
    await worker.drain()
    const row = await returnRow(ctx, seeded.id)
    expect(row.analysisStatus).toBe('completed')
    expect((row.aiAnalysis as { recommendedOutcome: string }).recommendedOutcome).toBe('replace')
    expect(fake.requestsFor(seeded.orderNumber)).toHaveLength(2)
    expect((await jobsOf(seeded.id)).map((job) => job.dedupeKey)).toEqual([
      `analysis.call:${seeded.id}`, `analysis.call:${seeded.id}:run-2`,
    ])
  })

  test('regression: a stale earlier job does not call Gemini once a re-run is queued', async () => {
    const admin = await createAccount(ctx, 'admin')
    const good = { kind: 'json', value: goodAnalysis } as const
    const seeded = await analysed(good, good)

    const rerun = await call(ctx, 'POST', `/api/orders/returns/${seeded.id}/analysis`,
      { token: admin.token })
    expect(rerun.status).toBe(202)
    // The first job is reclaimed as if its worker had died before marking it done.
    const [first] = await jobsOf(seeded.id)
    await ctx.database.db.update(jobs).set({ status: 'queued', runAt: sql`now()` })
      .where(eq(jobs.id, first!.id))
    await worker.drain()

    expect(fake.requestsFor(seeded.orderNumber)).toHaveLength(2)
    expect((await eventsOf(ctx, seeded.id)).map((event) => event.type))
      .toEqual(['analysis.ready', 'analysis.ready'])
  })

  test('refuses strangers, non-admins, bad or unknown ids, calls without transcript', async () => {
    const seeded = await seedReturn(ctx)
    const bare = await seedReturn(ctx, { transcript: null })
    const admin = await createAccount(ctx, 'admin')
    const path = (id: string) => `/api/orders/returns/${id}/analysis`

    expect((await call(ctx, 'POST', path(seeded.id))).status).toBe(401)
    const forged = await call(ctx, 'POST', path(seeded.id), { token: 'not-a-jwt-token' })
    expect(forged.status).toBe(401)
    expect((await call(ctx, 'POST', path(seeded.id), { token: seeded.customer.token })).status)
      .toBe(403)
    const seller = await createAccount(ctx, 'seller')
    expect((await call(ctx, 'POST', path(seeded.id), { token: seller.token })).status).toBe(403)
    expect((await call(ctx, 'POST', path(crypto.randomUUID()), { token: admin.token })).status)
      .toBe(404)
    expect((await call(ctx, 'POST', path('nope'), { token: admin.token })).status).toBe(400)

    const noTranscript = await call(ctx, 'POST', path(bare.id), { token: admin.token })
    expect(noTranscript.status).toBe(409)
    expect(noTranscript.body.error.message).toContain('no transcript')
    expect((await jobsOf(bare.id))).toHaveLength(0)
  })
})

describe('without a Gemini key', () => {
  test('analyses are stored as unavailable after one clear log line', async () => {
    const warnings: string[] = []
    const logger: Logger = {
      ...createLogger('silent'),
      warn: (event) => void warnings.push(event),
      child: () => logger,
    }
    const bare = await createTestContext({ GEMINI_API_KEY: '', QUEUE_POLL_MS: '60000' })
    const handlers = analysisJobHandlers({ ...bare.deps, logger })
    expect(warnings).toEqual(['analysis.unavailable'])

    const seeded = await seedReturn(bare)
    await bare.database.db.update(returnRequests).set({ analysisStatus: 'pending' })
      .where(eq(returnRequests.id, seeded.id))
    // Run the handler directly: a queued job would be claimed by the keyed worker above too.
    const job: JobRow = {
      id: 0, kind: 'analysis.call', payload: { returnRequestId: seeded.id }, dedupeKey: null,
      status: 'running', attempts: 1, maxAttempts: 5, runAt: new Date(), lockedBy: null,
      lockedUntil: null, lastError: null, createdAt: new Date(), updatedAt: new Date(),
    }
    await handlers['analysis.call']!.run(job)

    const row = await returnRow(bare, seeded.id)
    expect(row.analysisStatus).toBe('unavailable')
    expect(row.analysisError).toContain('GEMINI_API_KEY')
    const [event] = await eventsOf(bare, seeded.id)
    expect(event!.data).toMatchObject({ analysisStatus: 'unavailable' })
    expect(warnings).toEqual(['analysis.unavailable'])
    await bare.close()
  })
})
