import type { AppDeps } from '../app-deps'
import type { JobHandler } from '../jobs/worker'

/** Background jobs of the analysis area (being built). */
export function analysisJobHandlers(_deps: AppDeps): Record<string, JobHandler> {
  return {}
}
