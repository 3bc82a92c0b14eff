import { count, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import {
  orders, products, returnRequests, users, type CallStatus, type TranscriptLine,
} from '../../db/schema'
import { invisibleIds, latestSeq } from './event-log'

/** Calls whose status can still change; the snapshot lists the most recently updated. */
export const activeCallStatuses: CallStatus[] = ['queued', 'initiated', 'ringing', 'in-progress']
const finishedCallStatuses: CallStatus[] = ['completed', 'failed', 'busy', 'no-answer']

// Bounds of the one message a client gets on connect: at most 70 calls of 20 lines of at most
// 2,000 characters (the transcript's line limit), about 3 MB, well below a client's queue cap.
const MAX_ACTIVE = 50
const MAX_RECENT = 20
/** Transcript lines per call: the last ones; the console fetches the rest when it opens one. */
export const TRANSCRIPT_TAIL = 20
/** Ids below the snapshot's seq checked for events still committing when it was read. */
const MAX_LATE_RANGE = 5_000

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
  /** The last TRANSCRIPT_TAIL lines. */
  transcript: TranscriptLine[]
  /** How many lines the whole transcript has. */
  transcriptLines: number
  transcriptTruncated: boolean
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
  /** The most recently updated active calls, at most MAX_ACTIVE. */
  active: SnapshotCall[]
  /** How many calls are active in all. */
  activeTotal: number
  /** The latest finished calls, so a fresh console has something to show. */
  recent: SnapshotCall[]
  /** Some active calls or transcript lines were left out. */
  truncated: boolean
  /** Ids up to `seq` not committed when the snapshot was read: they follow if they commit. */
  pending: number[]
}

/**
 * Reads the active and recent calls and the feed's position in one repeatable-read
 * transaction, so the calls reflect exactly the events up to `seq` that had committed, and
 * lists the ids after `settled` (what the hub has broadcast) that had not.
 */
export async function loadSnapshot(db: Database, settled: number): Promise<Snapshot> {
  return db.transaction(async (tx) => {
    const seq = await latestSeq(tx)
    const pending = await invisibleIds(tx, Math.max(settled, seq - MAX_LATE_RANGE), seq)
    const active = await callsWithStatus(tx, activeCallStatuses, MAX_ACTIVE)
    const activeTotal = await countWithStatus(tx, activeCallStatuses)
    const recent = await callsWithStatus(tx, finishedCallStatuses, MAX_RECENT)
    const truncated = activeTotal > active.length
      || [...active, ...recent].some((call) => call.transcriptTruncated)
    return { seq, active, activeTotal, recent, truncated, pending }
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' })
}

const isArray = sql`jsonb_typeof(${returnRequests.transcript}) = 'array'`

/** The last lines of the transcript, cut in the database so long ones never load whole. */
const transcriptTail = sql`case when ${isArray} then jsonb_path_query_array(
  ${returnRequests.transcript}, ${`$[last-${TRANSCRIPT_TAIL - 1} to last]`}::jsonpath)
  else '[]'::jsonb end`.mapWith(returnRequests.transcript)

const transcriptLength = sql<number>`case when ${isArray}
  then jsonb_array_length(${returnRequests.transcript}) else 0 end`.mapWith(Number)

async function countWithStatus(db: Pick<Database, 'select'>, statuses: CallStatus[]) {
  const [row] = await db
    .select({ total: count() })
    .from(returnRequests)
    .where(inArray(returnRequests.isCalled, statuses))
  return row?.total ?? 0
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
      transcript: transcriptTail,
      transcriptLines: transcriptLength,
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
    transcript: row.transcript ?? [],
    transcriptTruncated: row.transcriptLines > (row.transcript?.length ?? 0),
    callStartedAt: row.callStartedAt?.toISOString() ?? null,
    callEndedAt: row.callEndedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  }))
}
