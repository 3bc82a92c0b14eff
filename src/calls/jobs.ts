import type { AppDeps } from '../app-deps'
import type { JobHandler } from '../jobs/worker'
import { httpCallingService, type CallingService } from './calling-service'
import { CALL_DISPATCH_JOB, callDispatchHandler } from './dispatch'
import { CALL_SIMULATE_JOB, simulatedCallingService, simulatorStepHandler } from './simulator'

/**
 * Background jobs of the calls area: placing calls, and the steps of simulated calls. The
 * calling service is the real one when CALLING_SERVICE_URL is set, else the simulator.
 */
export function callJobHandlers(deps: AppDeps): Record<string, JobHandler> {
  return {
    [CALL_DISPATCH_JOB]: callDispatchHandler(deps, callingServiceFor(deps)),
    // Always registered, so simulated calls in flight finish after a switch to a real service.
    [CALL_SIMULATE_JOB]: simulatorStepHandler(deps),
  }
}

function callingServiceFor(deps: AppDeps): CallingService {
  const { calling } = deps.config
  if (calling.serviceUrl) return httpCallingService({ ...calling, serviceUrl: calling.serviceUrl })

  deps.logger.info('calls.simulator', {
    message: 'CALLING_SERVICE_URL is not set: outbound calls are simulated',
    stepMs: calling.simulatorStepMs,
  })
  return simulatedCallingService(deps)
}
