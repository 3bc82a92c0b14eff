import type { AppDeps } from '../app-deps'
import type { TranscriptLine } from '../db/schema'
import { enqueueJob } from '../jobs/queue'
import type { JobHandler } from '../jobs/worker'
import type { CallingService } from './calling-service'
import { loadCallFacts } from './facts'
import { buildFirstMessage, firstName, type CallScriptFacts } from './prompts'
import { isFinalCallStatus } from './status'
import { applyCallUpdate, type CallUpdate } from './updates'

/** One step of a simulated call; each step is its own job, due `simulatorStepMs` later. */
export const CALL_SIMULATE_JOB = 'call.simulate'

interface StepPayload {
  returnRequestId: string
  callSid: string
  step: number
  /** When the simulated call began; transcript timestamps count from it. */
  startedAt: string
}

/**
 * The built-in calling service used without CALLING_SERVICE_URL. Placing a call hands out a
 * `SIM…` call id; the call then plays as a chain of durable jobs, one per step, each applying
 * its update through `applyCallUpdate` exactly as an HTTP callback does. No timer lives in
 * memory, so stopping the worker leaves nothing running, and a crash resumes the call.
 */
export function simulatedCallingService(deps: AppDeps): CallingService {
  return {
    kind: 'simulator',
    async place() {
      return { callSid: `SIM${crypto.randomUUID().replaceAll('-', '')}` }
    },
    async afterPlaced(tx, call) {
      await enqueueStep(deps, tx, {
        ...call, step: 0, startedAt: new Date().toISOString(),
      })
    },
  }
}

/** Plays one step of a simulated call and queues the next, until the call has finished. */
export function simulatorStepHandler(deps: AppDeps): JobHandler {
  return {
    async run(job) {
      const payload = job.payload as unknown as StepPayload
      const facts = await loadCallFacts(deps.database.db, payload.returnRequestId)
      if (!facts || facts.callSid !== payload.callSid) return

      const stepMs = deps.config.calling.simulatorStepMs
      const script = simulatedCall(facts, new Date(payload.startedAt), stepMs)
      const update = script[payload.step]
      if (!update) return

      const result = await applyCallUpdate(deps, { callSid: payload.callSid }, update)
      if (isFinalCallStatus(result.isCalled) || payload.step + 1 >= script.length) return
      await enqueueStep(deps, deps.database.db, { ...payload, step: payload.step + 1 })
    },
  }
}

async function enqueueStep(
  deps: AppDeps,
  db: Parameters<typeof enqueueJob>[0],
  payload: StepPayload,
) {
  await enqueueJob(db, {
    kind: CALL_SIMULATE_JOB,
    payload: { ...payload },
    // One job per step: a retried step never queues its successor twice.
    dedupeKey: `${CALL_SIMULATE_JOB}:${payload.callSid}:${payload.step}`,
    runAt: new Date(Date.now() + deps.config.calling.simulatorStepMs),
    maxAttempts: 3,
  })
}

/**
 * The scripted call, as the callbacks a calling service would send: initiated, ringing, then
 * in progress with one more transcript line per step (each callback carries the transcript
 * so far), then completed. Deterministic, so a retried step sends identical lines.
 */
export function simulatedCall(
  facts: CallScriptFacts,
  startedAt: Date,
  stepMs: number,
): CallUpdate[] {
  const spoken = conversation(facts)
  const gapMs = Math.max(stepMs, 1000)
  const lines: TranscriptLine[] = spoken.map(([type, text], index) => ({
    type,
    text,
    timestamp: new Date(startedAt.getTime() + (index + 2) * gapMs).toISOString(),
  }))

  return [
    { isCalled: 'initiated' },
    { isCalled: 'ringing' },
    ...lines.map((_, index) => ({
      isCalled: 'in-progress' as const,
      transcript: lines.slice(0, index + 1),
    })),
    { isCalled: 'completed', transcript: lines },
  ]
}

function conversation(facts: CallScriptFacts): ['agent' | 'user', string][] {
  const name = firstName(facts.customerName)
  const problem = facts.description?.trim() || facts.reason
  return [
    ['agent', buildFirstMessage(facts)],
    ['user', `Yes, this is ${name}. Sure, go ahead.`],
    ['agent', `Thank you. I can see you'd like to return the ${facts.productName} because of `
      + `"${clip(facts.reason, 200)}". Could you tell me a little more about what happened?`],
    ['user', clip(problem, 400)],
    ['agent', 'I\'m sorry about that. Would you prefer a refund or a replacement?'],
    ['user', 'A refund would be best, thanks.'],
    ['agent', `Understood. Our returns team will review the request for order `
      + `${facts.orderNumber} and confirm by email. Is there anything else I can help with?`],
    ['user', 'No, that\'s everything. Thanks for calling.'],
    ['agent', `Thank you, ${name}. Have a great day. Goodbye.`],
  ]
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`
}
