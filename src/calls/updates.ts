import { eq, sql } from 'drizzle-orm'
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core'
import type { AppDeps } from '../app-deps'
import type { Transaction } from '../db/client'
import {
  orders, returnRequests, type CallStatus, type TranscriptLine,
} from '../db/schema'
import { enqueueJob } from '../jobs/queue'
import { notFound } from '../shared/errors'
import { recordCallEvent } from './events'
import type { CallUpdateResult } from './schemas'
import { canAdvance, isFinalCallStatus, type ReportedCallStatus } from './status'
import { assertTranscriptFits, newTranscriptLines } from './transcript'

/** The analysis engineer's job; enqueued when a call completes with a transcript. */
export const ANALYSIS_JOB = 'analysis.call'

/** A callback names its call by the calling service's id or by the return request's id. */
export type CallTarget = { callSid: string } | { returnRequestId: string }

export interface CallUpdate {
  isCalled: ReportedCallStatus
  transcript?: TranscriptLine[]
  reason?: string
}

interface LockedCall {
  id: string
  orderNumber: string
  isCalled: CallStatus
  transcript: TranscriptLine[] | null
  callStartedAt: Date | null
}

/**
 * Applies a calling-service callback: the one path for HTTP callbacks and the simulator.
 * In one transaction with the row locked: the status moves only forward (a finished call
 * never changes), new transcript lines are appended, an event is recorded per change, and a
 * call completing with a transcript queues its analysis. A repeated callback changes nothing.
 */
export async function applyCallUpdate(
  deps: AppDeps,
  target: CallTarget,
  update: CallUpdate,
): Promise<CallUpdateResult> {
  const result = await deps.database.db.transaction(async (tx) => {
    const call = await lockCall(tx, target)
    if (!call) throw notFound('callSid' in target ? 'Call' : 'Return request')

    const stored = call.transcript ?? []
    const fresh = isFinalCallStatus(call.isCalled)
      ? []
      : newTranscriptLines(stored, update.transcript ?? [])
    assertTranscriptFits(stored, fresh)

    const advance = canAdvance(call.isCalled, update.isCalled)
    if (!advance && fresh.length === 0) {
      const unchanged = { isCalled: call.isCalled, changed: false, appendedLines: 0 }
      return { id: call.id, from: call.isCalled, ...unchanged }
    }

    const next = advance ? update.isCalled : call.isCalled
    const transcript = [...stored, ...fresh]
    await tx
      .update(returnRequests)
      .set({
        ...(fresh.length > 0 ? { transcript } : {}),
        ...(advance ? statusChanges(call, next, transcript, update.reason) : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(returnRequests.id, call.id))

    await recordChanges(tx, call, fresh, advance ? next : undefined, transcript, update.reason)
    const appendedLines = fresh.length
    return { id: call.id, from: call.isCalled, isCalled: next, changed: true, appendedLines }
  })

  const { from, ...answer } = result
  if (answer.changed) {
    deps.logger.info('call.updated', {
      returnRequestId: answer.id, from, to: answer.isCalled, appendedLines: answer.appendedLines,
    })
  }
  return answer
}

async function lockCall(tx: Transaction, target: CallTarget): Promise<LockedCall | undefined> {
  const [call] = await tx
    .select({
      id: returnRequests.id,
      orderNumber: orders.orderNumber,
      isCalled: returnRequests.isCalled,
      transcript: returnRequests.transcript,
      callStartedAt: returnRequests.callStartedAt,
    })
    .from(returnRequests)
    .innerJoin(orders, eq(orders.id, returnRequests.orderId))
    .where('callSid' in target
      ? eq(returnRequests.callSid, target.callSid)
      : eq(returnRequests.id, target.returnRequestId))
    .for('update', { of: returnRequests })
  return call
}

function statusChanges(
  call: LockedCall,
  next: CallStatus,
  transcript: TranscriptLine[],
  reason: string | undefined,
): PgUpdateSetSource<typeof returnRequests> {
  const final = isFinalCallStatus(next)
  const failed = final && next !== 'completed'
  return {
    isCalled: next,
    callFailureReason: failed ? (reason ?? defaultFailureReason(next)) : null,
    ...(call.callStartedAt === null ? { callStartedAt: sql`now()` } : {}),
    ...(final ? { callEndedAt: sql`now()` } : {}),
    ...(next === 'completed' && transcript.length > 0 ? { analysisStatus: 'pending' } : {}),
  }
}

async function recordChanges(
  tx: Transaction,
  call: LockedCall,
  fresh: TranscriptLine[],
  next: CallStatus | undefined,
  transcript: TranscriptLine[],
  reason: string | undefined,
) {
  const event = { returnRequestId: call.id, orderNumber: call.orderNumber }
  // Lines first, so a feed shows the last words before the call ends.
  if (fresh.length > 0) {
    await recordCallEvent(tx, { ...event, type: 'call.transcript', data: { lines: fresh } })
  }
  if (next === undefined) return

  if (next === 'completed') {
    await recordCallEvent(tx, {
      ...event, type: 'call.completed', data: { status: next, lines: transcript.length },
    })
    if (transcript.length > 0) {
      await enqueueJob(tx, {
        kind: ANALYSIS_JOB,
        payload: { returnRequestId: call.id },
        dedupeKey: `${ANALYSIS_JOB}:${call.id}`,
      })
    }
  } else if (isFinalCallStatus(next)) {
    await recordCallEvent(tx, {
      ...event, type: 'call.failed',
      data: { status: next, reason: reason ?? defaultFailureReason(next) },
    })
  } else {
    await recordCallEvent(tx, {
      ...event,
      type: next === 'initiated' ? 'call.initiated' : 'call.status',
      data: { status: next, previous: call.isCalled },
    })
  }
}

function defaultFailureReason(status: CallStatus): string {
  if (status === 'busy') return 'the line was busy'
  if (status === 'no-answer') return 'nobody answered'
  return 'the calling service reported a failure'
}
