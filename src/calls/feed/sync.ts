import type { Database } from '../../db/client'
import { eventsBetween, latestSeq } from './event-log'
import { loadSnapshot } from './snapshot'
import type { FeedSubscriber } from './subscriber'

export interface SyncRequest {
  /** The last seq the client processed, when it resumes. */
  since: number | undefined
  replayLimit: number
  /**
   * The hub's position, read after the subscriber was added: every event up to it was
   * broadcast (or given up on) before, every later one reaches the subscriber live.
   */
  settled: number
}

/**
 * Brings a new client up to date before it goes live: the events after `since` when it
 * resumes and is at most `replayLimit` behind, else a snapshot of the calls (with `resync`
 * saying why when it asked for a replay it cannot have). Live events that arrive meanwhile
 * are held by the subscriber and sent after, without duplicates.
 */
export async function syncNewSubscriber(
  db: Database,
  subscriber: FeedSubscriber,
  { since, replayLimit, settled }: SyncRequest,
): Promise<void> {
  let resync: 'too-far-behind' | 'unknown-seq' | undefined
  if (since !== undefined) {
    const latest = await latestSeq(db)
    const missed = since <= latest
      ? await eventsBetween(db, since, latest, replayLimit + 1)
      : undefined
    if (missed && missed.length <= replayLimit) {
      // Events after the hub's position reach the subscriber live, in order.
      const replay = missed.filter((event) => event.seq <= settled)
      const position = Math.max(since, settled)
      subscriber.lastSeq = since
      for (const event of replay) subscriber.deliver(event.seq, JSON.stringify(event))
      subscriber.sendControl(control('resumed', position, { replayed: replay.length }))
      subscriber.goLive(position)
      return
    }
    resync = missed ? 'too-far-behind' : 'unknown-seq'
  }

  const snapshot = await loadSnapshot(db, settled)
  subscriber.sendControl(control('snapshot', snapshot.seq, {
    active: snapshot.active,
    activeTotal: snapshot.activeTotal,
    recent: snapshot.recent,
    truncated: snapshot.truncated,
    pending: snapshot.pending,
    ...(resync ? { resync } : {}),
  }))
  subscriber.goLive(snapshot.seq, snapshot.pending)
}

/** Messages about the stream itself share the event envelope, without a call. */
function control(type: 'snapshot' | 'resumed', seq: number, data: Record<string, unknown>) {
  return JSON.stringify({
    type, seq, time: new Date().toISOString(), returnRequestId: null, orderNumber: null, data,
  })
}
