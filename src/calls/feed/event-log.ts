import { and, asc, getTableColumns, gt, lte, max, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { callEvents } from '../../db/schema'
import { toFeedEvent, type FeedEvent } from './messages'

type Reader = Pick<Database, 'select'>

/**
 * What a read could see of transactions: every transaction id below `xmin` had ended, and
 * those from `xmin` up to `xmax` may still have been running (PostgreSQL's pg_snapshot).
 */
export interface TransactionHorizon {
  xmin: bigint
  xmax: bigint
}

export interface EventBatch {
  events: FeedEvent[]
  /** The horizon of the read that found the events; undefined when it found none. */
  horizon: TransactionHorizon | undefined
}

/** The latest event id; 0 when there is none yet. */
export async function latestSeq(db: Reader): Promise<number> {
  const [position] = await db.select({ seq: max(callEvents.id) }).from(callEvents)
  return Number(position?.seq ?? 0)
}

/** Events after `after` up to `upTo` included, oldest first, at most `limit`. */
export async function eventsBetween(
  db: Reader,
  after: number,
  upTo: number,
  limit: number,
): Promise<FeedEvent[]> {
  const rows = await db
    .select()
    .from(callEvents)
    .where(and(gt(callEvents.id, after), lte(callEvents.id, upTo)))
    .orderBy(asc(callEvents.id))
    .limit(limit)
  return rows.map(toFeedEvent)
}

/**
 * Events after `after`, oldest first, at most `limit`, with the horizon of the same statement:
 * it tells whether a missing id may still commit or was rolled back.
 */
export async function eventsAfter(db: Reader, after: number, limit: number): Promise<EventBatch> {
  const rows = await db
    .select({
      ...getTableColumns(callEvents),
      horizon: sql<string>`pg_current_snapshot()::text`,
    })
    .from(callEvents)
    .where(gt(callEvents.id, after))
    .orderBy(asc(callEvents.id))
    .limit(limit)

  const first = rows[0]
  return {
    events: rows.map(({ horizon: _, ...row }) => toFeedEvent(row)),
    horizon: first ? parseHorizon(first.horizon) : undefined,
  }
}

/** The ids after `after` up to `upTo` that this read cannot see (uncommitted or rolled back). */
export async function invisibleIds(db: Reader, after: number, upTo: number): Promise<number[]> {
  if (upTo <= after) return []

  const rows = await db
    .select({ id: callEvents.id })
    .from(callEvents)
    .where(and(gt(callEvents.id, after), lte(callEvents.id, upTo)))
  const visible = new Set(rows.map((row) => row.id))
  const missing: number[] = []
  for (let id = after + 1; id <= upTo; id++) if (!visible.has(id)) missing.push(id)
  return missing
}

/** `xmin:xmax:xip,...` as pg_current_snapshot() prints it. */
function parseHorizon(text: string): TransactionHorizon {
  const [xmin, xmax] = text.split(':')
  return { xmin: BigInt(xmin ?? '0'), xmax: BigInt(xmax ?? '0') }
}
