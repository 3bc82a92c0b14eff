import { sql } from 'drizzle-orm'
import type { Database, Transaction } from '../db/client'
import { callEvents } from '../db/schema'

/** The feed's channel; NOTIFY carries only the event id, far below PostgreSQL's 8000 bytes. */
export const CALL_EVENTS_CHANNEL = 'call_events'

export const callEventTypes = [
  'return.created',
  'call.queued',
  'call.initiated',
  'call.status',
  'call.transcript',
  'call.completed',
  'call.failed',
  'analysis.ready',
  'analysis.failed',
] as const
export type CallEventType = (typeof callEventTypes)[number]

export interface NewCallEvent {
  type: CallEventType
  returnRequestId: string
  orderNumber: string
  /** Small details only (status, reason, the new transcript lines); bounded by the caller. */
  data?: Record<string, unknown>
}

/**
 * Records a call event in the caller's transaction and announces it. The notification is
 * delivered when the transaction commits, so listeners never see an event that rolled back.
 * Returns the event's sequence number.
 */
export async function recordCallEvent(
  db: Database | Transaction,
  event: NewCallEvent,
): Promise<number> {
  const [row] = await db
    .insert(callEvents)
    .values({
      type: event.type,
      returnRequestId: event.returnRequestId,
      orderNumber: event.orderNumber,
      data: event.data ?? {},
    })
    .returning({ id: callEvents.id })

  const id = row!.id
  await db.execute(sql`select pg_notify(${CALL_EVENTS_CHANNEL}, ${String(id)})`)
  return id
}
