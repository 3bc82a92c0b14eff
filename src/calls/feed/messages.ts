import type { CallEventRow } from '../../db/schema'

/** One event as the feed sends it; `seq` is the event's id, the position clients resume from. */
export interface FeedEvent {
  type: string
  seq: number
  time: string
  returnRequestId: string
  orderNumber: string
  data: Record<string, unknown>
}

export function toFeedEvent(row: CallEventRow): FeedEvent {
  return {
    type: row.type,
    seq: row.id,
    time: row.createdAt.toISOString(),
    returnRequestId: row.returnRequestId,
    orderNumber: row.orderNumber,
    data: row.data,
  }
}

/**
 * Close codes the feed uses. A client reconnects with `?since=<last seq>` after 1001, 1011 and
 * 4008; after 4001 and 4003 it must sign in again.
 */
export const FeedCloseCode = {
  /** The server is stopping. */
  goingAway: 1001,
  /** Events could not be read: reconnect to get them from the replay. */
  interrupted: 1011,
  /** The token expired while connected: log in again. */
  tokenExpired: 4001,
  /** The account was deleted or is no longer an admin. */
  accessRevoked: 4003,
  /** The client fell too far behind the live stream. */
  tooSlow: 4008,
} as const
