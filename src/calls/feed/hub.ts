import type { DatabaseHandle } from '../../db/client'
import type { Logger } from '../../shared/logger'
import { CALL_EVENTS_CHANNEL } from '../events'
import { eventsAfter, latestSeq, type EventBatch, type TransactionHorizon } from './event-log'
import { FeedCloseCode, type FeedEvent } from './messages'
import type { FeedSubscriber } from './subscriber'

/** Events read per query. */
const FETCH_BATCH = 500
/** A read without a notification: catches up after a dropped LISTEN connection. */
const CATCH_UP_MS = 1_000
/** How soon a read is retried while an earlier id is missing and may still commit. */
const GAP_RETRY_MS = 20
/** The longest the feed waits for a missing id before it goes on without it. */
export const GAP_WAIT_MS = 2_000

/** Ids missing before a committed event, first seen at `seenAt` under `horizon`. */
interface Gap {
  first: number
  seenAt: number
  horizon: TransactionHorizon
}

/**
 * The process's one LISTEN on `call_events`. Notifications (and a read every second, in case
 * the LISTEN connection dropped) wake a reader that fetches the events after the last one
 * broadcast, in id order, serialises each once and offers it to every local subscriber
 * without waiting on any of them.
 *
 * Ids are taken before commit, so an event can commit after a later-numbered one. The reader
 * never skips past a missing id while the transaction that may hold it could still commit:
 * it waits until every transaction running when the gap was seen has ended (the id was then
 * rolled back), or at most GAP_WAIT_MS.
 */
export class CallFeedHub {
  private readonly subscribers = new Set<FeedSubscriber>()
  private listening: Promise<void> | undefined
  private unlisten: (() => Promise<void>) | undefined
  private timer: ReturnType<typeof setInterval> | undefined
  private retry: ReturnType<typeof setTimeout> | undefined
  /** Every event up to this id was broadcast, or given up on. */
  private settled = 0
  private gap: Gap | undefined
  private reading = false
  private readAgain = false
  private stopped = false

  constructor(
    private readonly database: DatabaseHandle,
    private readonly log: Logger,
  ) {}

  /** Resolves once notifications flow, so nothing committed afterwards can be missed. */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('The call feed has stopped'))

    this.listening ??= this.listen().catch((error: unknown) => {
      this.listening = undefined
      throw error
    })
    return this.listening
  }

  /** The id up to which every event was broadcast: a new subscriber syncs up to it. */
  get position(): number {
    return this.settled
  }

  add(subscriber: FeedSubscriber): void {
    this.subscribers.add(subscriber)
  }

  remove(subscriber: FeedSubscriber): void {
    this.subscribers.delete(subscriber)
  }

  get size(): number {
    return this.subscribers.size
  }

  /** Serialises an event once and offers it to every subscriber; never waits on a socket. */
  broadcast(seq: number, text: string): void {
    for (const subscriber of this.subscribers) subscriber.offer(seq, text)
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    clearTimeout(this.retry)
    await this.listening?.catch(() => {})
    await this.unlisten?.()
    for (const subscriber of this.subscribers) {
      subscriber.close(FeedCloseCode.goingAway, 'server stopping')
    }
    this.subscribers.clear()
  }

  private async listen(): Promise<void> {
    const unlisten = await this.database.listen(CALL_EVENTS_CHANNEL, (payload) => {
      if (Number(payload) > this.settled) this.wake()
    })
    this.unlisten = unlisten
    // Read after LISTEN: what commits from now on is notified, what committed before is not
    // for live delivery (new subscribers read it themselves).
    this.settled = await latestSeq(this.database.db)
    this.timer = setInterval(() => this.wake(), CATCH_UP_MS)
    this.timer.unref?.()
    this.log.info('feed.listening', { channel: CALL_EVENTS_CHANNEL, seq: this.settled })
  }

  private wake(): void {
    if (this.stopped) return
    if (this.reading) {
      this.readAgain = true
      return
    }
    void this.read()
  }

  private async read(): Promise<void> {
    this.reading = true
    try {
      do {
        this.readAgain = false
        const batch = await eventsAfter(this.database.db, this.settled, FETCH_BATCH)
        const complete = this.deliver(batch)
        if (complete && batch.events.length === FETCH_BATCH) this.readAgain = true
      } while (this.readAgain && !this.stopped)
    } catch (error) {
      // Nothing is lost: the next read (notification or timer) starts from the same id.
      this.log.error('feed.fetch_failed', { err: error as Error, after: this.settled })
    } finally {
      this.reading = false
    }
  }

  /** Broadcasts the batch in id order up to a gap that may still fill; false if it stopped. */
  private deliver({ events, horizon }: EventBatch): boolean {
    for (const event of events) {
      if (event.seq !== this.settled + 1 && !this.gapClosed(event, horizon!)) {
        this.retrySoon()
        return false
      }
      this.settled = event.seq
      this.gap = undefined
      this.broadcast(event.seq, JSON.stringify(event))
    }
    return true
  }

  /** Whether the ids before `next` can be passed over: rolled back, or waited for long enough. */
  private gapClosed(next: FeedEvent, horizon: TransactionHorizon): boolean {
    const first = this.settled + 1
    if (this.gap?.first !== first) this.gap = { first, seenAt: Date.now(), horizon }

    // Every transaction that could have been running when the gap was seen has ended, and
    // its events are not there: they were rolled back.
    if (horizon.xmin >= this.gap.horizon.xmax) return true
    if (Date.now() - this.gap.seenAt < GAP_WAIT_MS) return false

    this.log.warn('feed.gap_skipped', { from: first, to: next.seq - 1, waitedMs: GAP_WAIT_MS })
    return true
  }

  private retrySoon(): void {
    if (this.retry || this.stopped) return
    this.retry = setTimeout(() => {
      this.retry = undefined
      this.wake()
    }, GAP_RETRY_MS)
  }
}
