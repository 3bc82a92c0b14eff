import type { Database } from '../../db/client'
import { eventsSince, latestSeq, loadSnapshot } from './snapshot'
import type { FeedSubscriber } from './subscriber'

/**
 * Brings a new client up to date before it goes live: the events after `since` when it
 * resumes and is at most `replayLimit` behind, else a snapshot of the calls (with `resync`
 * saying why when it asked for a replay it cannot have). Live events that arrive meanwhile
 * are held by the subscriber and sent after, without duplicates.
 */
export async function syncNewSubscriber(
  db: Database,
  subscriber: FeedSubscriber,
  since: number | undefined,
  replayLimit: number,
): Promise<void> {
  let resync: 'too-far-behind' | 'unknown-seq' | undefined
  if (since !== undefined) {
    const latest = await latestSeq(db)
    const missed = since <= latest ? await eventsSince(db, since, replayLimit + 1) : undefined
    if (missed && missed.length <= replayLimit) {
      subscriber.lastSeq = since
      for (const event of missed) subscriber.deliver(event.seq, JSON.stringify(event))
      subscriber.sendControl(control('resumed', subscriber.lastSeq, { replayed: missed.length }))
      subscriber.goLive(subscriber.lastSeq)
      return
    }
    resync = missed ? 'too-far-behind' : 'unknown-seq'
  }

  const snapshot = await loadSnapshot(db)
  subscriber.sendControl(control('snapshot', snapshot.seq, {
    active: snapshot.active,
    recent: snapshot.recent,
    ...(resync ? { resync } : {}),
  }))
  subscriber.goLive(snapshot.seq)
}

/** Messages about the stream itself share the event envelope, without a call. */
function control(type: 'snapshot' | 'resumed', seq: number, data: Record<string, unknown>) {
  return JSON.stringify({
    type, seq, time: new Date().toISOString(), returnRequestId: null, orderNumber: null, data,
  })
}
