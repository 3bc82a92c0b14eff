import { analysisJobHandlers } from '../analysis/jobs'
import type { AppDeps } from '../app-deps'
import { callJobHandlers } from '../calls/jobs'
import { startJobWorker, type JobWorker } from './worker'

/** Starts the background worker with every area's job handlers. */
export function startBackgroundWork(deps: AppDeps): JobWorker {
  // A claimed job must outlive its slowest request (a Gemini call) before others reclaim it.
  const leaseMs = Math.max(60_000, deps.config.gemini.timeoutMs * 2)
  return startJobWorker(deps, {
    ...callJobHandlers(deps),
    ...analysisJobHandlers(deps),
  }, { leaseMs })
}
