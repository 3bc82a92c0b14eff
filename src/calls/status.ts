import type { CallStatus } from '../db/schema'

/**
 * How far along a call is. Statuses only ever move to a higher rank; the four final
 * statuses share the top rank, so a finished call never changes again.
 */
const rank: Record<CallStatus, number> = {
  pending: 0,
  queued: 1,
  initiated: 2,
  ringing: 3,
  'in-progress': 4,
  completed: 5,
  failed: 5,
  busy: 5,
  'no-answer': 5,
}

export const finalCallStatuses: readonly CallStatus[] = ['completed', 'failed', 'busy', 'no-answer']

/** The statuses a calling service may report in a callback. */
export const reportableCallStatuses = [
  'pending', 'initiated', 'ringing', 'in-progress', 'completed', 'failed', 'busy', 'no-answer',
] as const satisfies readonly CallStatus[]
export type ReportedCallStatus = (typeof reportableCallStatuses)[number]

export function isFinalCallStatus(status: CallStatus): boolean {
  return finalCallStatuses.includes(status)
}

/** True when a call in `current` may move to `next`: strictly forward, never out of a final one. */
export function canAdvance(current: CallStatus, next: CallStatus): boolean {
  return !isFinalCallStatus(current) && rank[next] > rank[current]
}
