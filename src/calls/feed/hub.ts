import type { DatabaseHandle } from '../../db/client'
import type { Logger } from '../../shared/logger'
import { CALL_EVENTS_CHANNEL } from '../events'
import { FeedCloseCode } from './messages'
import { eventsById } from './snapshot'
import type { FeedSubscriber } from './subscriber'

/** Ids fetched per query when notifications pile up. */
const FETCH_BATCH = 500

/**
 * The process's one LISTEN on `call_events`: each NOTIFY carries an event id; ids are
 * fetched in batches and every event is serialised once and offered to each local
 * subscriber without waiting on any of them. LISTEN starts with the first subscriber and
 * stops with the app.
 */
export class CallFeedHub {
  private readonly subscribers = new Set<FeedSubscriber>()
  private listening: Promise<void> | undefined
  private unlisten: (() => Promise<void>) | undefined
  private pending: number[] = []
  private fetching = false
  private stopped = false

  constructor(
    private readonly database: DatabaseHandle,
    private readonly log: Logger,
  ) {}

  /** Resolves once notifications flow, so nothing committed afterwards can be missed. */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('The call feed has stopped'))

    this.listening ??= this.database
      .listen(CALL_EVENTS_CHANNEL, (payload) => this.notified(payload))
      .then((unlisten) => {
        this.unlisten = unlisten
        this.log.info('feed.listening', { channel: CALL_EVENTS_CHANNEL })
      })
      .catch((error: unknown) => {
        this.listening = undefined
        throw error
      })
    return this.listening
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
    await this.listening?.catch(() => {})
    await this.unlisten?.()
    for (const subscriber of this.subscribers) {
      subscriber.close(FeedCloseCode.goingAway, 'server stopping')
    }
    this.subscribers.clear()
  }

  private notified(payload: string): void {
    const id = Number(payload)
    if (!Number.isSafeInteger(id) || id <= 0 || this.stopped) return

    this.pending.push(id)
    if (!this.fetching) void this.fetchPending()
  }

  private async fetchPending(): Promise<void> {
    this.fetching = true
    try {
      while (this.pending.length > 0 && !this.stopped) {
        const ids = this.pending.splice(0, FETCH_BATCH)
        const events = await this.fetch(ids)
        for (const event of events) this.broadcast(event.seq, JSON.stringify(event))
      }
    } finally {
      this.fetching = false
    }
  }

  private async fetch(ids: number[]) {
    try {
      return await eventsById(this.database.db, ids)
    } catch (error) {
      // Those events cannot reach anyone now: close every client so each reconnects with
      // ?since= and gets them from the replay instead of silently missing them.
      this.log.error('feed.fetch_failed', { err: error as Error, events: ids.length })
      for (const subscriber of this.subscribers) {
        subscriber.close(FeedCloseCode.interrupted, 'feed interrupted; reconnect with since')
      }
      return []
    }
  }
}
