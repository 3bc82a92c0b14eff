import type { AppDeps } from '../app-deps'
import { PermanentJobError } from '../jobs/errors'
import type { JobHandler } from '../jobs/worker'
import { ANALYSIS_JOB, analyseCall, failAnalysis } from './call-analysis'

/** Background jobs of the analysis area: `analysis.call` analyses a finished return call. */
export function analysisJobHandlers(deps: AppDeps): Record<string, JobHandler> {
  if (!deps.config.gemini.apiKey) {
    deps.logger.warn('analysis.unavailable', {
      message: 'GEMINI_API_KEY is not set: call analyses are stored as "unavailable" and '
        + 'review insights answer 503',
    })
  }

  return {
    [ANALYSIS_JOB]: {
      run: async (job) => analyseCall(deps, job.id, returnRequestIdOf(job.payload)),
      onFailed: async (job, reason) => {
        const id = job.payload.returnRequestId
        if (typeof id === 'string') await failAnalysis(deps, id, reason)
      },
    },
  }
}

function returnRequestIdOf(payload: Record<string, unknown>): string {
  const id = payload.returnRequestId
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new PermanentJobError('The job has no valid returnRequestId')
  }
  return id
}
