import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { AppDeps } from '../app-deps'
import type { Transaction } from '../db/client'
import { orders, returnRequests, type JobRow } from '../db/schema'
import { PermanentJobError } from '../jobs/errors'
import type { JobHandler } from '../jobs/worker'
import type { CallingService, PlaceCallRequest } from './calling-service'
import { recordCallEvent } from './events'
import { loadCallFacts, maskPhone, type CallFacts } from './facts'
import { buildFirstMessage, buildPrompt } from './prompts'
import { canAdvance, isFinalCallStatus } from './status'

/** The job that places a return request's outbound call. */
export const CALL_DISPATCH_JOB = 'call.dispatch'

/** One dispatch job per return request, whatever happens. */
export const callDispatchKey = (returnRequestId: string) => `call:${returnRequestId}`

const MAX_REASON_LENGTH = 500

/**
 * Places the call of a return request. Idempotent: a request that already has a call id
 * (a retry after a crash following the store) or a finished call is left alone. Failures are
 * thrown so the worker retries with backoff; after the last attempt the call is marked failed.
 */
export function callDispatchHandler(deps: AppDeps, service: CallingService): JobHandler {
  const log = deps.logger.child({ job: CALL_DISPATCH_JOB, callingService: service.kind })

  return {
    async run(job) {
      const returnRequestId = returnRequestIdOf(job)
      const facts = await loadCallFacts(deps.database.db, returnRequestId)
      if (!facts) throw new PermanentJobError('the return request no longer exists')

      if (facts.callSid !== null || isFinalCallStatus(facts.isCalled)) {
        log.info('call.dispatch_skipped', { returnRequestId, isCalled: facts.isCalled })
        return
      }
      if (!facts.phone) throw new PermanentJobError('no phone number')

      log.info('call.dispatching', {
        returnRequestId, number: maskPhone(facts.phone), attempt: job.attempts,
      })
      const placed = await service.place(callRequest(deps, facts, facts.phone), returnRequestId)
      const stored = await storePlacedCall(deps, service, facts, placed.callSid)
      log.info(stored ? 'call.placed' : 'call.placed_twice', { returnRequestId })
    },

    async onFailed(job, reason) {
      const returnRequestId = returnRequestIdOf(job)
      await markDispatchFailed(deps, returnRequestId, reason.slice(0, MAX_REASON_LENGTH))
      log.warn('call.dispatch_failed', { returnRequestId, reason })
    },
  }
}

function callRequest(deps: AppDeps, facts: CallFacts, number: string): PlaceCallRequest {
  const base = deps.config.publicBaseUrl.replace(/\/+$/, '')
  return {
    number,
    prompt: buildPrompt(facts),
    first_message: buildFirstMessage(facts),
    callback_url: `${base}/api/orders/returns/${facts.returnRequestId}/call-status`,
  }
}

/**
 * Stores the call id with `initiated` (unless a callback already moved the call further) and
 * records `call.initiated`, in one transaction. Returns false when another attempt stored a
 * call id first, which only a lease expiring mid-request can cause.
 */
async function storePlacedCall(
  deps: AppDeps,
  service: CallingService,
  facts: CallFacts,
  callSid: string,
): Promise<boolean> {
  return deps.database.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ isCalled: returnRequests.isCalled, callSid: returnRequests.callSid })
      .from(returnRequests)
      .where(eq(returnRequests.id, facts.returnRequestId))
      .for('update')
    if (!current || current.callSid !== null) return false

    const advance = canAdvance(current.isCalled, 'initiated')
    await tx
      .update(returnRequests)
      .set({
        callSid,
        ...(advance ? { isCalled: 'initiated' as const, callFailureReason: null } : {}),
        callStartedAt: sql`coalesce(${returnRequests.callStartedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(eq(returnRequests.id, facts.returnRequestId))

    if (advance) {
      await recordCallEvent(tx, {
        type: 'call.initiated',
        returnRequestId: facts.returnRequestId,
        orderNumber: facts.orderNumber,
        data: { status: 'initiated', previous: current.isCalled },
      })
    }
    await service.afterPlaced?.(tx, { returnRequestId: facts.returnRequestId, callSid })
    return true
  })
}

/** After the last attempt: the call is failed with the reason, unless it got placed after all. */
async function markDispatchFailed(deps: AppDeps, returnRequestId: string, reason: string) {
  await deps.database.db.transaction(async (tx) => {
    const [failed] = await tx
      .update(returnRequests)
      .set({
        isCalled: 'failed',
        callFailureReason: reason,
        callEndedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(
        eq(returnRequests.id, returnRequestId),
        isNull(returnRequests.callSid),
        inArray(returnRequests.isCalled, ['pending', 'queued']),
      ))
      .returning({ id: returnRequests.id, orderId: returnRequests.orderId })
    if (!failed) return

    const orderNumber = await orderNumberOf(tx, failed.orderId)
    await recordCallEvent(tx, {
      type: 'call.failed',
      returnRequestId,
      orderNumber,
      data: { status: 'failed', reason },
    })
  })
}

async function orderNumberOf(tx: Transaction, orderId: string): Promise<string> {
  const [order] = await tx.select({ orderNumber: orders.orderNumber })
    .from(orders).where(eq(orders.id, orderId))
  return order?.orderNumber ?? ''
}

function returnRequestIdOf(job: JobRow): string {
  const id = job.payload.returnRequestId
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new PermanentJobError('the job has no valid returnRequestId')
  }
  return id
}
