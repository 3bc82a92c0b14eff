import { describe, expect, test } from 'bun:test'
import { recordCallEvent, type NewCallEvent } from '../../src/calls/events'
import { GAP_WAIT_MS } from '../../src/calls/feed/hub'
import { callEvents } from '../../src/db/schema'
import { useAccount } from '../support/suite'
import { useFeedServer, type FeedClient } from './support'

const feed = useFeedServer()
const ctx = feed.ctx
const admin = useAccount(ctx, 'admin')
const onPostgres = Boolean(process.env.DATABASE_URL)

function connect(query = ''): Promise<FeedClient> {
  return feed.open(query, { protocols: ['calls.v1', `bearer.${admin.token}`] })
}

const statusEvent = (returnRequestId: string, status: string): NewCallEvent => ({
  type: 'call.status', returnRequestId, orderNumber: 'ORD-ORDER', data: { status },
})

const seqsOf = (client: FeedClient, id: string) =>
  client.messages.filter((message) => message.returnRequestId === id).map((message) => message.seq)

/**
 * Records an event in a transaction left open until `commit()`: its id is taken now, and
 * events recorded meanwhile get later ids but commit first.
 */
async function slowEvent(event: NewCallEvent) {
  let commit!: () => void
  let taken!: (seq: number) => void
  const seq = new Promise<number>((resolve) => (taken = resolve))
  const open = new Promise<void>((resolve) => (commit = resolve))
  const done = ctx.database.db.transaction(async (tx) => {
    taken(await recordCallEvent(tx, event))
    await open
  })
  return { seq: await seq, commit: async () => { commit(); await done } }
}

describe('GET /ws/calls: no committed event is skipped', () => {
  test('regression: events whose notification was lost (LISTEN reconnecting) never reached '
    + 'live clients; the hub now catches up by id', async () => {
    const client = await connect()
    await client.next((message) => message.type === 'snapshot')

    // Inserted without pg_notify, as if the LISTEN connection had been down at the time.
    const id = crypto.randomUUID()
    const [row] = await ctx.database.db.insert(callEvents).values({
      type: 'call.status', returnRequestId: id, orderNumber: 'ORD-LOST',
      data: { status: 'ringing' },
    }).returning({ id: callEvents.id })
    const event = await client.next((message) => message.returnRequestId === id, 5_000)
    expect(event.seq).toBe(row!.id)
  })

  test.skipIf(!onPostgres)('the hub survives its LISTEN connection being cut', async () => {
    const client = await connect()
    await client.next((message) => message.type === 'snapshot')

    await ctx.database.raw!`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`
    const id = crypto.randomUUID()
    const seq = await recordCallEvent(ctx.database.db, statusEvent(id, 'ringing'))
    await client.next((message) => message.seq === seq, 10_000)
  })

  test('an event rolled back does not hold up the ones after it', async () => {
    const client = await connect()
    await client.next((message) => message.type === 'snapshot')
    await ctx.database.db.transaction(async (tx) => {
      await recordCallEvent(tx, statusEvent(crypto.randomUUID(), 'ringing'))
      tx.rollback()
    }).catch(() => {})

    const started = performance.now()
    const seq = await recordCallEvent(ctx.database.db, statusEvent(crypto.randomUUID(), 'ringing'))
    await client.next((message) => message.seq === seq)
    // The embedded database has no other transaction: the gap is known rolled back at once.
    if (!onPostgres) expect(performance.now() - started).toBeLessThan(GAP_WAIT_MS)
  })
})

// The embedded database runs one transaction at a time: events cannot commit out of order.
describe.skipIf(!onPostgres)('GET /ws/calls: events committing out of id order', () => {
  test('regression: an event committing after a later-numbered one reached no live client; '
    + 'now both arrive, in id order', async () => {
    const client = await connect()
    await client.next((message) => message.type === 'snapshot')
    const id = crypto.randomUUID()

    const slow = await slowEvent(statusEvent(id, 'initiated'))
    const fast = await recordCallEvent(ctx.database.db, statusEvent(id, 'ringing'))
    await Bun.sleep(300)
    expect(seqsOf(client, id)).toEqual([])

    await slow.commit()
    await client.next((message) => message.seq === fast)
    expect(seqsOf(client, id)).toEqual([slow.seq, fast])
  })

  test('regression: a client whose snapshot was read while an earlier event was committing '
    + 'missed it; now the snapshot lists it as pending and it follows', async () => {
    const id = crypto.randomUUID()
    const slow = await slowEvent(statusEvent(id, 'initiated'))
    const fast = await recordCallEvent(ctx.database.db, statusEvent(id, 'ringing'))

    const client = await connect()
    const snapshot = await client.next((message) => message.type === 'snapshot')
    expect(snapshot.seq).toBeGreaterThanOrEqual(fast)
    expect(snapshot.data.pending).toContain(slow.seq)

    await slow.commit()
    await client.next((message) => message.seq === slow.seq)
    expect(seqsOf(client, id)).toEqual([slow.seq])
  })

  test('a client resuming while an earlier event is committing gets both, in order', async () => {
    const id = crypto.randomUUID()
    const before = await recordCallEvent(ctx.database.db, statusEvent(id, 'queued'))
    const slow = await slowEvent(statusEvent(id, 'initiated'))
    const fast = await recordCallEvent(ctx.database.db, statusEvent(id, 'ringing'))

    const client = await connect(`?since=${before - 1}`)
    await client.next((message) => message.type === 'resumed')
    await slow.commit()
    await client.next((message) => message.seq === fast)
    expect(seqsOf(client, id)).toEqual([before, slow.seq, fast])
  })
})
