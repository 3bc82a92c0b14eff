import type { AppDeps } from '../app-deps'
import type { JobHandler } from '../jobs/worker'

/** Background jobs of the calls area (being built). */
export function callJobHandlers(_deps: AppDeps): Record<string, JobHandler> {
  return {}
}
