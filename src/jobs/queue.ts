import { sql } from 'drizzle-orm'
import type { Database, Transaction } from '../db/client'
import { jobs } from '../db/schema'

export const JOBS_CHANNEL = 'jobs'

export interface EnqueueJob {
  kind: string
  payload: Record<string, unknown>
  /** Enqueueing a second job with the same key does nothing: work is queued once. */
  dedupeKey?: string
  runAt?: Date
  maxAttempts?: number
}

/**
 * Adds a job to the durable queue, normally inside the transaction that creates the work so
 * both commit or neither does. Workers are woken through NOTIFY when it commits.
 * Returns false when a job with the same dedupe key already exists.
 */
export async function enqueueJob(
  db: Database | Transaction,
  job: EnqueueJob,
  defaultMaxAttempts = 5,
): Promise<boolean> {
  const inserted = await db
    .insert(jobs)
    .values({
      kind: job.kind,
      payload: job.payload,
      dedupeKey: job.dedupeKey,
      runAt: job.runAt ?? new Date(),
      maxAttempts: job.maxAttempts ?? defaultMaxAttempts,
    })
    .onConflictDoNothing({ target: jobs.dedupeKey })
    .returning({ id: jobs.id })

  if (inserted.length === 0) return false
  await db.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${job.kind})`)
  return true
}
