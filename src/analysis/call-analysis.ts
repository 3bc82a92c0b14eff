import { and, desc, eq, sql } from 'drizzle-orm'
import type { AppDeps } from '../app-deps'
import { recordCallEvent } from '../calls/events'
import type { Database } from '../db/client'
import {
  jobs, orders, products, returnRequests, type AnalysisStatus, type TranscriptLine,
} from '../db/schema'
import { RetryLaterError } from '../jobs/errors'
import { backoff } from '../jobs/worker'
import { generateContent, truncate, type GeminiOutcome } from './gemini'
import { CALL_ANALYSIS_PROMPT_VERSION, callAnalysisPrompt } from './prompts'
import { CallAnalysis } from './schemas'
import { parseStructured, toGeminiSchema } from './structured'

/** The job kind the return callbacks enqueue when a call completes with a transcript. */
export const ANALYSIS_JOB = 'analysis.call'

const responseSchema = toGeminiSchema(CallAnalysis)

interface CallToAnalyse {
  id: string
  analysisStatus: AnalysisStatus
  orderNumber: string
  productName: string
  title: string
  reason: string
  description: string | null
  transcript: TranscriptLine[] | null
}

/** How an analysis ended, as stored on the return request. */
type Ending =
  | { status: 'completed'; analysis: CallAnalysis; raw: string }
  | { status: 'failed' | 'blocked' | 'unavailable'; reason: string; raw: string | null }

/**
 * Runs the analysis of one return call. Gemini is called only while the request's analysis
 * is `pending` and this job is the latest run, and the result is written with a conditional
 * update in one transaction with its feed event: a retried or stale job never pays for an
 * analysis that is already stored. Throws to be retried (429: after the delay Gemini asked
 * for; 5xx and network errors: with backoff).
 */
export async function analyseCall(deps: AppDeps, jobId: number, returnRequestId: string) {
  const { db } = deps.database
  const log = deps.logger.child({ returnRequestId, jobId })

  const call = await loadCall(db, returnRequestId)
  if (!call || call.analysisStatus !== 'pending') {
    const reason = call ? `status is ${call.analysisStatus}` : 'no such request'
    log.info('analysis.skipped', { reason })
    return
  }
  if (!(await isLatestRun(db, jobId, returnRequestId))) {
    log.info('analysis.skipped', { reason: 'a newer run supersedes this job' })
    return
  }

  const ending = await analyse(deps, call)
  const stored = await storeEnding(deps, call, ending)
  log.info(stored ? 'analysis.stored' : 'analysis.already_stored', { status: ending.status })
}

/** Marks a pending analysis failed once its job gives up (for example after repeated 429s). */
export async function failAnalysis(deps: AppDeps, returnRequestId: string, reason: string) {
  const call = await loadCall(deps.database.db, returnRequestId)
  if (!call) return
  await storeEnding(deps, call, { status: 'failed', reason: `Gave up: ${reason}`, raw: null })
}

async function analyse(deps: AppDeps, call: CallToAnalyse): Promise<Ending> {
  if (!call.transcript || call.transcript.length === 0) {
    return { status: 'failed', reason: 'The call has no transcript to analyse', raw: null }
  }

  const prompt = callAnalysisPrompt({ ...call, transcript: call.transcript })
  const outcome = await generateContent(deps.config.gemini, prompt, { responseSchema })
  return endingOf(outcome)
}

function endingOf(outcome: GeminiOutcome): Ending {
  switch (outcome.status) {
    case 'ok': {
      const parsed = parseStructured(CallAnalysis, outcome.text)
      const raw = truncate(outcome.text)
      return parsed.ok
        ? { status: 'completed', analysis: parsed.value, raw }
        : { status: 'failed', reason: parsed.reason, raw }
    }
    case 'blocked':
      return { status: 'blocked', reason: outcome.reason, raw: outcome.raw }
    case 'empty':
      return { status: 'failed', reason: outcome.reason, raw: outcome.raw }
    case 'timeout':
      // Not retried: Gemini may have done (and billed) the work; an admin can re-run it.
      return { status: 'failed', reason: outcome.reason, raw: null }
    case 'unavailable':
      return { status: 'unavailable', reason: outcome.reason, raw: null }
    case 'rate-limited':
      throw new RetryLaterError(outcome.reason, outcome.retryAfterMs ?? backoff(1, 5000, 60_000))
    case 'failed':
      if (outcome.transient) throw new Error(outcome.reason)
      return { status: 'failed', reason: outcome.reason, raw: null }
  }
}

async function storeEnding(deps: AppDeps, call: CallToAnalyse, ending: Ending): Promise<boolean> {
  const { model } = deps.config.gemini
  const common = { analysisModel: model, analysisPromptVersion: CALL_ANALYSIS_PROMPT_VERSION,
    analyzedAt: new Date(), updatedAt: new Date() }
  const fields = ending.status === 'completed'
    ? { ...common, analysisStatus: ending.status, aiSummary: ending.analysis.summary,
      aiAnalysis: ending.analysis, analysisError: null, analysisRaw: ending.raw }
    : { ...common, analysisStatus: ending.status, analysisError: ending.reason,
      analysisRaw: ending.raw }

  return deps.database.db.transaction(async (tx) => {
    const updated = await tx
      .update(returnRequests)
      .set(fields)
      .where(and(eq(returnRequests.id, call.id), eq(returnRequests.analysisStatus, 'pending')))
      .returning({ id: returnRequests.id })
    if (updated.length === 0) return false

    await recordCallEvent(tx, {
      type: ending.status === 'completed' ? 'analysis.ready' : 'analysis.failed',
      returnRequestId: call.id,
      orderNumber: call.orderNumber,
      data: ending.status === 'completed'
        ? { analysisStatus: ending.status, summary: ending.analysis.summary,
          recommendedOutcome: ending.analysis.recommendedOutcome, analysis: ending.analysis,
          model, promptVersion: CALL_ANALYSIS_PROMPT_VERSION }
        : { analysisStatus: ending.status, reason: ending.reason },
    })
    return true
  })
}

async function loadCall(db: Database, id: string): Promise<CallToAnalyse | undefined> {
  const [row] = await db
    .select({
      id: returnRequests.id,
      analysisStatus: returnRequests.analysisStatus,
      orderNumber: orders.orderNumber,
      productName: products.name,
      title: returnRequests.title,
      reason: returnRequests.reason,
      description: returnRequests.description,
      transcript: returnRequests.transcript,
    })
    .from(returnRequests)
    .innerJoin(orders, eq(orders.id, returnRequests.orderId))
    .innerJoin(products, eq(products.id, returnRequests.productId))
    .where(eq(returnRequests.id, id))
  return row
}

/** A job is stale when an admin queued a newer run of the same request after it. */
async function isLatestRun(db: Database, jobId: number, returnRequestId: string) {
  const [latest] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.kind, ANALYSIS_JOB), forRequest(returnRequestId)))
    .orderBy(desc(jobs.id))
    .limit(1)
  return !latest || latest.id === jobId
}

export const forRequest = (returnRequestId: string) =>
  sql`${jobs.payload}->>'returnRequestId' = ${returnRequestId}`
