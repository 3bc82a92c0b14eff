import { beforeAll, describe, expect, test } from 'bun:test'
import net from 'node:net'
import { createApp } from '../../src/app'
import { recordCallEvent } from '../../src/calls/events'
import { createLogger, type Logger } from '../../src/shared/logger'
import { createAccount } from '../support/harness'
import { useTestContext } from '../support/suite'
import { openFeed, rawUpgrade } from './support'

// Enough data to fill the kernel buffers of the stalled connection (a few MB on loopback)
// and then its queue; bursts of BATCH events must fit in a healthy client's queue.
const EVENTS = 500
const BATCH = 25
const QUEUE_LIMIT = 200
const PADDING = 'x'.repeat(32 * 1024)
let app: ReturnType<typeof createApp>
let base: string
const warnings: string[] = []

const ctx = useTestContext({ FEED_CLIENT_QUEUE_LIMIT: String(QUEUE_LIMIT) }, {
  beforeClose: async () => {
    await app.stop(true)
  },
})

beforeAll(() => {
  const logger: Logger = {
    ...createLogger('silent'),
    warn: (event) => void warnings.push(event),
    child: () => logger,
  }
  app = createApp({ ...ctx.deps, logger }).listen({ hostname: '127.0.0.1', port: 0 })
  base = `127.0.0.1:${app.server!.port}`
})

/** A websocket client that completes the handshake and then never reads again. */
async function stalledClient(token: string): Promise<net.Socket> {
  const { socket, head } = await rawUpgrade(base, [
    `Sec-WebSocket-Protocol: calls.v1, bearer.${token}`,
  ])
  expect(head).toStartWith('HTTP/1.1 101')
  socket.pause()
  return socket
}

describe('GET /ws/calls under backpressure', () => {
  test('a stalled client is cut off and never delays or drops events for the others', async () => {
    const admin = await createAccount(ctx, 'admin')
    const fast = await openFeed(`ws://${base}/ws/calls`, {
      protocols: ['calls.v1', `bearer.${admin.token}`],
    })
    await fast.next((message) => message.type === 'snapshot')
    const stalled = await stalledClient(admin.token)

    const id = crypto.randomUUID()
    const recorded: number[] = []
    for (let batch = 0; batch < EVENTS / BATCH; batch++) {
      await ctx.database.db.transaction(async (tx) => {
        for (let index = 0; index < BATCH; index++) {
          recorded.push(await recordCallEvent(tx, {
            type: 'call.transcript', returnRequestId: id, orderNumber: 'ORD-SLOW',
            data: { lines: [{ type: 'user', text: PADDING, timestamp: new Date().toISOString() }] },
          }))
        }
      })
      // The embedded database runs on this thread and the fast client lives here too: let
      // the event loop do socket I/O between batches as a separate client process would.
      await Bun.sleep(20)
    }
    const committed = performance.now()

    const last = recorded.at(-1)!
    await fast.next((message) => message.seq === last, 30_000)
    expect(performance.now() - committed).toBeLessThan(2_000)
    const received = fast.messages.filter((message) => message.returnRequestId === id)
    expect(received.map((message) => message.seq)).toEqual(recorded)
    expect(warnings.filter((event) => event === 'feed.client_too_slow')).toHaveLength(1)

    stalled.destroy()
    fast.close()
  })
})
