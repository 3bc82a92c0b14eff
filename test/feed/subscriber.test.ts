import { describe, expect, test } from 'bun:test'
import { FeedSubscriber, type FeedSocket } from '../../src/calls/feed/subscriber'

/** A socket that reports backpressure while `congested` is set. */
function fakeSocket() {
  const socket = {
    sent: [] as string[],
    congested: false,
    terminated: false,
    closed: undefined as { code?: number; reason?: string } | undefined,
    send(data: string) {
      socket.sent.push(data)
      return socket.congested ? -1 : data.length
    },
    close(code?: number, reason?: string) {
      socket.closed = { code, reason }
    },
    terminate() {
      socket.terminated = true
    },
  }
  return socket satisfies FeedSocket
}

const limits = { maxQueuedMessages: 3, maxQueuedChars: 1000 }

describe('FeedSubscriber', () => {
  test('holds live events during the initial sync and sends them after, without duplicates', () => {
    const socket = fakeSocket()
    const subscriber = new FeedSubscriber(socket, limits)
    subscriber.offer(5, 'e5')
    subscriber.offer(4, 'e4')
    subscriber.sendControl('snapshot@4')
    subscriber.goLive(4)
    subscriber.offer(6, 'e6')
    subscriber.offer(6, 'e6')
    expect(socket.sent).toEqual(['snapshot@4', 'e5', 'e6'])
  })

  test('after a snapshot, events below its seq that had not committed still go out, once', () => {
    const socket = fakeSocket()
    const subscriber = new FeedSubscriber(socket, limits)
    subscriber.offer(7, 'e7')
    subscriber.sendControl('snapshot@8')
    subscriber.goLive(8, [7])
    subscriber.offer(8, 'e8')
    subscriber.offer(7, 'e7')
    subscriber.offer(9, 'e9')
    expect(socket.sent).toEqual(['snapshot@8', 'e7', 'e9'])
    expect(subscriber.lastSeq).toBe(9)
  })

  test('queues while the socket is congested and flushes in order on drain', () => {
    const socket = fakeSocket()
    const subscriber = new FeedSubscriber(socket, limits)
    subscriber.goLive(0)
    socket.congested = true
    subscriber.offer(1, 'e1')
    subscriber.offer(2, 'e2')
    subscriber.offer(3, 'e3')
    expect(socket.sent).toEqual(['e1'])
    expect(subscriber.queuedMessages).toBe(2)

    socket.congested = false
    subscriber.drain()
    expect(socket.sent).toEqual(['e1', 'e2', 'e3'])
    expect(subscriber.queuedMessages).toBe(0)
  })

  test('a client over its queue limit is terminated and reported', () => {
    const socket = fakeSocket()
    const overflowed: FeedSubscriber[] = []
    const subscriber = new FeedSubscriber(socket, limits, (which) => void overflowed.push(which))
    subscriber.goLive(0)
    socket.congested = true
    for (let seq = 1; seq <= 5; seq++) subscriber.offer(seq, `e${seq}`)

    expect(socket.terminated).toBe(true)
    expect(overflowed).toEqual([subscriber])
    subscriber.offer(6, 'e6')
    expect(socket.sent).toEqual(['e1'])
  })

  test('a client whose held events overflow during the sync is terminated', () => {
    const socket = fakeSocket()
    const subscriber = new FeedSubscriber(socket, limits)
    for (let seq = 1; seq <= 4; seq++) subscriber.offer(seq, `e${seq}`)
    expect(socket.terminated).toBe(true)
  })

  test('a message the socket drops ends the subscription', () => {
    const socket = { ...fakeSocket(), send: () => 0 }
    let terminated = false
    socket.terminate = () => void (terminated = true)
    const subscriber = new FeedSubscriber(socket, limits)
    subscriber.goLive(0)
    subscriber.offer(1, 'e1')
    expect(terminated).toBe(true)
  })
})
