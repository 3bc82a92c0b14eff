import { analysisJobHandlers } from '../analysis/jobs'
import type { AppDeps } from '../app-deps'
import { callJobHandlers } from '../calls/jobs'
import { startJobWorker, type JobWorker } from './worker'

/** Starts the background worker with every area's job handlers. */
export function startBackgroundWork(deps: AppDeps): JobWorker {
  return startJobWorker(deps, {
    ...callJobHandlers(deps),
    ...analysisJobHandlers(deps),
  })
}
