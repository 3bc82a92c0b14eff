import { and, count, eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { jobs, returnRequests } from '../db/schema'
import { enqueueJob } from '../jobs/queue'
import { conflict, notFound } from '../shared/errors'
import { ANALYSIS_JOB, forRequest } from './call-analysis'

export interface RerunQueued {
  returnRequestId: string
  analysisStatus: 'pending'
  run: number
}

/**
 * Queues a fresh analysis of a finished call's stored transcript (no new phone call).
 * The request row is locked so concurrent re-runs queue one job; each run has its own dedupe
 * key, and the earlier result stays visible until the new one replaces it.
 */
export async function requestAnalysisRerun(
  db: Database,
  returnRequestId: string,
  maxAttempts: number,
): Promise<RerunQueued> {
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select({
        status: returnRequests.analysisStatus,
        lines: sql<number>`case when jsonb_typeof(${returnRequests.transcript}) = 'array'
          then jsonb_array_length(${returnRequests.transcript}) else 0 end`.mapWith(Number),
      })
      .from(returnRequests)
      .where(eq(returnRequests.id, returnRequestId))
      .for('update')

    if (!request) throw notFound('Return request')
    if (request.lines === 0) throw conflict('The call has no transcript to analyse yet')
    if (request.status === 'pending') throw conflict('An analysis of this call is already queued')

    const [previous] = await tx
      .select({ runs: count() })
      .from(jobs)
      .where(and(eq(jobs.kind, ANALYSIS_JOB), forRequest(returnRequestId)))
    const run = Math.max(1, previous?.runs ?? 0) + 1

    await tx
      .update(returnRequests)
      .set({ analysisStatus: 'pending', updatedAt: new Date() })
      .where(eq(returnRequests.id, returnRequestId))
    await enqueueJob(tx, {
      kind: ANALYSIS_JOB,
      payload: { returnRequestId, run },
      dedupeKey: `${ANALYSIS_JOB}:${returnRequestId}:run-${run}`,
    }, maxAttempts)

    return { returnRequestId, analysisStatus: 'pending' as const, run }
  })
}
