import { describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { recordCallEvent } from '../../src/calls/events'
import { FeedSessions } from '../../src/calls/feed/sessions'
import { FeedSubscriber, type FeedSocket } from '../../src/calls/feed/subscriber'
import type { Database } from '../../src/db/client'
import { users } from '../../src/db/schema'
import { createLogger } from '../../src/shared/logger'
import { createAccount, type TestAccount } from '../support/harness'
import { useFeedServer, type FeedClient } from './support'

const CHECK_MS = 100
const feed = useFeedServer({ FEED_ACCOUNT_CHECK_MS: String(CHECK_MS) })
const ctx = feed.ctx

async function connect(account: TestAccount): Promise<FeedClient> {
  const client = await feed.open('', { protocols: ['calls.v1', `bearer.${account.token}`] })
  await client.next((message) => message.type === 'snapshot')
  return client
}

/** Records an event and waits until `witness` has it, so it went out to every socket. */
async function broadcastTo(witness: FeedClient): Promise<string> {
  const id = crypto.randomUUID()
  await recordCallEvent(ctx.database.db, {
    type: 'call.transcript', returnRequestId: id, orderNumber: 'ORD-SECRET',
    data: { lines: [{ type: 'user', text: 'My card ends in 4242', timestamp: '2025-01-01' }] },
  })
  await witness.next((message) => message.returnRequestId === id)
  return id
}

describe('GET /ws/calls: accounts of open sockets are checked again', () => {
  test('regression: a demoted admin kept receiving the feed until the token expired; '
    + 'now closed with 4003', async () => {
    const demoted = await createAccount(ctx, 'admin')
    const other = await createAccount(ctx, 'admin')
    const client = await connect(demoted)
    const witness = await connect(other)

    await ctx.database.db.update(users).set({ role: 'customer' }).where(eq(users.id, demoted.id))
    const started = performance.now()
    expect(await client.closed).toEqual({ code: 4003, reason: 'admin role revoked' })
    expect(performance.now() - started).toBeLessThan(CHECK_MS * 20)

    const afterwards = await broadcastTo(witness)
    expect(client.messages.some((message) => message.returnRequestId === afterwards)).toBe(false)
    expect(witness.ws.readyState).toBe(WebSocket.OPEN)
  })

  test('regression: a deleted account kept receiving the feed; now closed with 4003', async () => {
    const deleted = await createAccount(ctx, 'admin')
    const client = await connect(deleted)

    await ctx.database.db.delete(users).where(eq(users.id, deleted.id))
    expect(await client.closed).toEqual({ code: 4003, reason: 'account deleted' })
  })

  test('an admin who stays admin keeps the socket across checks', async () => {
    const admin = await createAccount(ctx, 'admin')
    const client = await connect(admin)
    await Bun.sleep(CHECK_MS * 4)
    await broadcastTo(client)
    expect(client.ws.readyState).toBe(WebSocket.OPEN)
  })
})

describe('FeedSessions', () => {
  const socket = (): FeedSocket & { closedWith?: number } => {
    const fake: FeedSocket & { closedWith?: number } = {
      send: (data) => data.length,
      close: (code) => void (fake.closedWith = code),
      terminate: () => {},
    }
    return fake
  }

  test('one query checks every open socket, whatever their number', async () => {
    let queries = 0
    const db = {
      select: () => ({
        from: () => ({
          where: async () => {
            queries += 1
            return [{ id: 'admin-a', role: 'admin' }, { id: 'seller-b', role: 'seller' }]
          },
        }),
      }),
    } as unknown as Database
    const sessions = new FeedSessions(db, 60_000, createLogger('silent'))
    const limits = { maxQueuedMessages: 10, maxQueuedChars: 1000 }
    const sockets = [socket(), socket(), socket(), socket()]
    const owners = ['admin-a', 'admin-a', 'seller-b', 'gone-c']
    sockets.forEach((fake, index) => {
      const user = {
        id: owners[index]!, role: 'admin' as const, name: '', email: null, phone: null,
      }
      sessions.open(`ws-${index}`, new FeedSubscriber(fake, limits), { user, expiresAt: undefined })
    })

    await sessions.checkAccounts()
    sessions.stop()
    expect(queries).toBe(1)
    expect(sockets.map((fake) => fake.closedWith)).toEqual([undefined, undefined, 4003, 4003])
  })
})
