import { and, eq, inArray, lte, or, sql } from 'drizzle-orm'
import type { AppDeps } from '../app-deps'
import { jobs, type JobRow } from '../db/schema'
import { PermanentJobError, RetryLaterError } from './errors'
import { JOBS_CHANNEL } from './queue'

export interface JobHandler {
  /** Does the work; throw to retry with backoff (or RetryLaterError / PermanentJobError). */
  run(job: JobRow): Promise<void>
  /** Called once when the job has failed for good, with the last error's message. */
  onFailed?(job: JobRow, reason: string): Promise<void>
}

export interface WorkerOptions {
  concurrency?: number
  /** How long a claimed job stays invisible to other workers before it is reclaimed. */
  leaseMs?: number
  baseBackoffMs?: number
  maxBackoffMs?: number
}

export interface JobWorker {
  /** Claims and runs due jobs until none is left; returns how many ran. For tests and CLIs. */
  drain(): Promise<number>
  stop(): Promise<void>
}

/**
 * Runs jobs from the durable queue. Rows are claimed with FOR UPDATE SKIP LOCKED so any number
 * of API processes can share the queue; a job whose worker died is reclaimed once its lease
 * runs out, so a crash between enqueueing and running loses nothing.
 */
export function startJobWorker(
  deps: AppDeps,
  handlers: Record<string, JobHandler>,
  options: WorkerOptions = {},
): JobWorker {
  const workerId = `${process.pid}-${crypto.randomUUID().slice(0, 8)}`
  const concurrency = options.concurrency ?? 4
  // Longer than any handler may run (the calling service and Gemini requests time out sooner),
  // short enough that a crashed worker's calls are placed again within a minute.
  const leaseMs = options.leaseMs ?? 60_000
  const kinds = Object.keys(handlers)
  const log = deps.logger.child({ worker: workerId })
  const db = deps.database.db

  let stopped = false
  let running: Promise<number> | undefined
  let wakeAgain = false

  const claim = async (limit: number): Promise<JobRow[]> => {
    const due = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(
        inArray(jobs.kind, kinds),
        or(
          and(eq(jobs.status, 'queued'), lte(jobs.runAt, sql`now()`)),
          and(eq(jobs.status, 'running'), lte(jobs.lockedUntil, sql`now()`)),
        ),
      ))
      .orderBy(jobs.runAt, jobs.id)
      .limit(limit)
      .for('update', { skipLocked: true })

    return db
      .update(jobs)
      .set({
        status: 'running',
        attempts: sql`${jobs.attempts} + 1`,
        lockedBy: workerId,
        lockedUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
        updatedAt: sql`now()`,
      })
      .where(inArray(jobs.id, due))
      .returning()
  }

  const finish = async (job: JobRow, error: unknown) => {
    if (error === undefined) {
      await db.update(jobs)
        .set({ status: 'done', lockedBy: null, lockedUntil: null, updatedAt: sql`now()` })
        .where(eq(jobs.id, job.id))
      return
    }

    const reason = error instanceof Error ? error.message : String(error)
    const permanent = error instanceof PermanentJobError
    if (permanent || job.attempts >= job.maxAttempts) {
      await db.update(jobs)
        .set({ status: 'failed', lastError: reason, lockedBy: null, lockedUntil: null,
          updatedAt: sql`now()` })
        .where(eq(jobs.id, job.id))
      log.warn('job.failed', { jobId: job.id, kind: job.kind, attempts: job.attempts, reason })
      await handlers[job.kind]?.onFailed?.(job, reason)
      return
    }

    const delayMs = error instanceof RetryLaterError
      ? error.delayMs
      : backoff(job.attempts, options.baseBackoffMs ?? 1000, options.maxBackoffMs ?? 5 * 60_000)
    await db.update(jobs)
      .set({
        status: 'queued',
        lastError: reason,
        lockedBy: null,
        lockedUntil: null,
        runAt: sql`now() + ${`${delayMs} milliseconds`}::interval`,
        updatedAt: sql`now()`,
      })
      .where(eq(jobs.id, job.id))
    const { id: jobId, kind, attempts } = job
    log.info('job.retry', { jobId, kind, attempts, delayMs, reason })
  }

  const runOne = async (job: JobRow) => {
    const handler = handlers[job.kind]
    let failure: unknown
    try {
      await handler!.run(job)
    } catch (error) {
      failure = error ?? new Error('job failed')
    }
    try {
      await finish(job, failure)
    } catch (error) {
      // The lease will expire and another attempt will run; nothing is lost.
      log.error('job.finish_failed', { jobId: job.id, err: error as Error })
    }
  }

  const drainOnce = async (): Promise<number> => {
    let total = 0
    while (!stopped) {
      const claimed = await claim(concurrency)
      if (claimed.length === 0) break
      await Promise.all(claimed.map(runOne))
      total += claimed.length
    }
    return total
  }

  /** One drain at a time per worker; a wake-up during a drain triggers one more pass. */
  const drain = async (): Promise<number> => {
    if (running) {
      wakeAgain = true
      return running
    }
    running = (async () => {
      let total = 0
      do {
        wakeAgain = false
        total += await drainOnce()
      } while (wakeAgain && !stopped)
      return total
    })().finally(() => {
      running = undefined
    })
    return running
  }

  const tick = () => {
    if (stopped) return
    drain().catch((error: unknown) => log.error('job.poll_failed', { err: error as Error }))
  }

  const timer = setInterval(tick, deps.config.queue.pollMs)
  let unlisten: (() => Promise<void>) | undefined
  deps.database.listen(JOBS_CHANNEL, tick)
    .then((stop) => {
      unlisten = stop
      if (stopped) void stop()
    })
    .catch((error: unknown) => log.warn('job.listen_failed', { err: error as Error }))
  queueMicrotask(tick)

  return {
    drain,
    async stop() {
      stopped = true
      clearInterval(timer)
      await unlisten?.()
      await running
    },
  }
}

/** Exponential backoff with jitter: base * 2^(attempt-1), capped. */
export function backoff(attempt: number, baseMs: number, maxMs: number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exponential / 2 + Math.random() * (exponential / 2))
}
