/** What a subscriber needs of a websocket (Bun's ServerWebSocket has all of it). */
export interface FeedSocket {
  /** Bun: bytes sent, -1 when queued under backpressure, 0 when dropped. */
  send(data: string): number
  close(code?: number, reason?: string): void
  terminate(): void
}

export interface SubscriberLimits {
  /** Messages held for a congested client before it is disconnected. */
  maxQueuedMessages: number
  /** Characters held for a congested client before it is disconnected. */
  maxQueuedChars: number
}

interface Held {
  seq: number
  text: string
}

/**
 * One websocket client of the feed. Sending never waits: while the socket is congested
 * (Bun reported backpressure) messages wait in a bounded queue flushed on `drain`, and a
 * client that overflows it is cut off, so one stalled reader costs bounded memory and never
 * holds up the broadcast to everyone else.
 */
export class FeedSubscriber {
  /** The last sequence number handed to this client. */
  lastSeq = 0
  closed = false

  private queue: string[] = []
  private queuedChars = 0
  private congested = false
  /** Live events that arrive while the initial snapshot or replay is being sent. */
  private held: Held[] | undefined = []
  /** Events numbered below the snapshot's seq that had not committed when it was read. */
  private late: Set<number> | undefined

  constructor(
    private readonly socket: FeedSocket,
    private readonly limits: SubscriberLimits,
    private readonly onOverflow: (subscriber: FeedSubscriber) => void = () => {},
  ) {}

  /** A live event from the hub: held during the initial sync, else delivered in order. */
  offer(seq: number, text: string): void {
    if (this.closed) return
    if (!this.held) return this.deliver(seq, text)

    this.held.push({ seq, text })
    if (this.held.length > this.limits.maxQueuedMessages) this.overflow()
  }

  /** Sends one event unless the client already has it (replay and live may overlap). */
  deliver(seq: number, text: string): void {
    if (seq <= this.lastSeq && !this.late?.delete(seq)) return
    this.lastSeq = Math.max(this.lastSeq, seq)
    this.push(text)
  }

  /** Sends a message that carries no sequence of its own (the snapshot). */
  sendControl(text: string): void {
    this.push(text)
  }

  /**
   * Ends the initial sync at `seq`: held live events after it go out in order, and so do the
   * `late` ones below it that the snapshot could not include because they had not committed.
   */
  goLive(seq: number, late: number[] = []): void {
    const held = this.held ?? []
    this.held = undefined
    this.lastSeq = Math.max(this.lastSeq, seq)
    if (late.length > 0) this.late = new Set(late)
    held.sort((a, b) => a.seq - b.seq)
    for (const event of held) this.deliver(event.seq, event.text)
  }

  /** Bun's `drain`: the socket can take more, so flush what waited. */
  drain(): void {
    this.congested = false
    while (this.queue.length > 0 && !this.congested && !this.closed) {
      const text = this.queue.shift()!
      this.queuedChars -= text.length
      this.write(text)
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    this.queue = []
    this.socket.close(code, reason)
  }

  /** Forgets the socket's messages once it closed on its own. */
  detach(): void {
    this.closed = true
    this.queue = []
    this.held = undefined
    this.late = undefined
  }

  get queuedMessages(): number {
    return this.queue.length
  }

  private push(text: string): void {
    if (this.closed) return
    if (!this.congested && this.queue.length === 0) return this.write(text)

    this.queue.push(text)
    this.queuedChars += text.length
    const { maxQueuedMessages, maxQueuedChars } = this.limits
    if (this.queue.length > maxQueuedMessages || this.queuedChars > maxQueuedChars) this.overflow()
  }

  private write(text: string): void {
    const status = this.socket.send(text)
    if (status === -1) this.congested = true
    else if (status === 0) this.overflow()
  }

  private overflow(): void {
    if (this.closed) return
    this.closed = true
    this.queue = []
    this.held = undefined
    // A close frame would wait behind everything the stalled client has not read.
    this.socket.terminate()
    this.onOverflow(this)
  }
}
