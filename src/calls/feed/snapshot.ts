import { asc, desc, eq, gt, inArray, max } from 'drizzle-orm'
import type { Database } from '../../db/client'
import {
  callEvents, orders, products, returnRequests, users, type CallStatus,
} from '../../db/schema'
import { toFeedEvent, type FeedEvent } from './messages'

/** Calls whose status can still change; the snapshot lists them all (up to a bound). */
export const activeCallStatuses: CallStatus[] = ['queued', 'initiated', 'ringing', 'in-progress']
const finishedCallStatuses: CallStatus[] = ['completed', 'failed', 'busy', 'no-answer']

const MAX_ACTIVE = 200
const MAX_RECENT = 20

/** A call as the snapshot shows it to admins, transcript so far included. */
export interface SnapshotCall {
  returnRequestId: string
  orderNumber: string
  customerName: string
  productName: string
  title: string
  reason: string
  callStatus: CallStatus
  callFailureReason: string | null
  transcript: unknown[]
  analysisStatus: string
  aiSummary: string | null
  aiAnalysis: unknown
  callStartedAt: string | null
  callEndedAt: string | null
  updatedAt: string
}

export interface Snapshot {
  /** The feed's position when the snapshot was read: live events continue after it. */
  seq: number
  active: SnapshotCall[]
  /** The latest finished calls, so a fresh console has something to show. */
  recent: SnapshotCall[]
}

/**
 * Reads the active and recent calls and the feed's position in one repeatable-read
 * transaction, so the calls reflect exactly the events up to `seq` that had committed.
 */
export async function loadSnapshot(db: Database): Promise<Snapshot> {
  return db.transaction(async (tx) => {
    const [position] = await tx.select({ seq: max(callEvents.id) }).from(callEvents)
    const active = await callsWithStatus(tx, activeCallStatuses, MAX_ACTIVE)
    const recent = await callsWithStatus(tx, finishedCallStatuses, MAX_RECENT)
    return { seq: Number(position?.seq ?? 0), active, recent }
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' })
}

async function callsWithStatus(
  db: Pick<Database, 'select'>,
  statuses: CallStatus[],
  limit: number,
): Promise<SnapshotCall[]> {
  const rows = await db
    .select({
      returnRequestId: returnRequests.id,
      orderNumber: orders.orderNumber,
      customerName: users.name,
      productName: products.name,
      title: returnRequests.title,
      reason: returnRequests.reason,
      callStatus: returnRequests.isCalled,
      callFailureReason: returnRequests.callFailureReason,
      transcript: returnRequests.transcript,
      analysisStatus: returnRequests.analysisStatus,
      aiSummary: returnRequests.aiSummary,
      aiAnalysis: returnRequests.aiAnalysis,
      callStartedAt: returnRequests.callStartedAt,
      callEndedAt: returnRequests.callEndedAt,
      updatedAt: returnRequests.updatedAt,
    })
    .from(returnRequests)
    .innerJoin(orders, eq(orders.id, returnRequests.orderId))
    .innerJoin(products, eq(products.id, returnRequests.productId))
    .innerJoin(users, eq(users.id, returnRequests.userId))
    .where(inArray(returnRequests.isCalled, statuses))
    .orderBy(desc(returnRequests.updatedAt))
    .limit(limit)

  return rows.map((row) => ({
    ...row,
    transcript: Array.isArray(row.transcript) ? row.transcript : [],
    callStartedAt: row.callStartedAt?.toISOString() ?? null,
    callEndedAt: row.callEndedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  }))
}

/** The latest event id; 0 when there is none yet. */
export async function latestSeq(db: Database): Promise<number> {
  const [position] = await db.select({ seq: max(callEvents.id) }).from(callEvents)
  return Number(position?.seq ?? 0)
}

/** Events after `since`, oldest first, at most `limit`. */
export async function eventsSince(
  db: Database,
  since: number,
  limit: number,
): Promise<FeedEvent[]> {
  const rows = await db
    .select()
    .from(callEvents)
    .where(gt(callEvents.id, since))
    .orderBy(asc(callEvents.id))
    .limit(limit)
  return rows.map(toFeedEvent)
}

/** The events with these ids, oldest first (ids that do not exist are skipped). */
export async function eventsById(db: Database, ids: number[]): Promise<FeedEvent[]> {
  const rows = await db
    .select()
    .from(callEvents)
    .where(inArray(callEvents.id, ids))
    .orderBy(asc(callEvents.id))
  return rows.map(toFeedEvent)
}
