import { describe, expect, test } from 'bun:test'
import { recordCallEvent, type NewCallEvent } from '../../src/calls/events'
import { sampleTranscript, seedReturn } from '../analysis/support'
import { createAccount, signToken } from '../support/harness'
import { useAccount } from '../support/suite'
import { openFeed, rawUpgrade, upgradeHeaders, useFeedServer, type FeedClient } from './support'

const REPLAY_LIMIT = 5
const feed = useFeedServer({ FEED_REPLAY_LIMIT: String(REPLAY_LIMIT) })
const ctx = feed.ctx
const admin = useAccount(ctx, 'admin')

function connect(query = '', protocols?: string[]): Promise<FeedClient> {
  return feed.open(query, { protocols: protocols ?? ['calls.v1', `bearer.${admin.token}`] })
}

const record = (event: NewCallEvent) => recordCallEvent(ctx.database.db, event)

const statusEvent = (returnRequestId: string, status: string): NewCallEvent => ({
  type: 'call.status', returnRequestId, orderNumber: 'ORD-FEED', data: { status },
})

describe('GET /ws/calls: refused before the upgrade', () => {
  const upgrade = (query = '', headers: Record<string, string> = {}) =>
    fetch(`http://${feed.base}/ws/calls${query}`, { headers: { ...upgradeHeaders, ...headers } })

  test('without a token: 401 with the error body, no upgrade', async () => {
    const response = await upgrade()
    expect(response.status).toBe(401)
    expect(response.headers.get('upgrade')).toBeNull()
    expect((await response.json()).error.code).toBe('UNAUTHENTICATED')
  })

  test('forged, wrongly signed and expired tokens: 401', async () => {
    const wrongSecret = await signToken(admin.id, { secret: 'another-secret-entirely-0123456789' })
    const expired = await signToken(admin.id, { expiresInSeconds: -60 })
    for (const token of ['not.a.jwt-at-all', wrongSecret, expired]) {
      expect((await upgrade(`?token=${token}`)).status).toBe(401)
      expect((await upgrade('', { 'sec-websocket-protocol': `calls.v1, bearer.${token}` })).status)
        .toBe(401)
    }
  })

  test('customers and sellers: 403', async () => {
    for (const role of ['customer', 'seller'] as const) {
      const account = await createAccount(ctx, role)
      const response = await upgrade(`?token=${account.token}`)
      expect(response.status).toBe(403)
      expect((await response.json()).error.code).toBe('FORBIDDEN')
    }
  })

  test('regression: a client offering only bearer.<jwt> got its token echoed in the answer; '
    + 'now 400 naming calls.v1', async () => {
    const response = await upgrade('', { 'sec-websocket-protocol': `bearer.${admin.token}` })
    expect(response.status).toBe(400)
    expect(response.headers.get('upgrade')).toBeNull()
    for (const [, value] of response.headers) expect(value).not.toContain(admin.token)
    const body = await response.json()
    expect(body.error.details).toEqual([{
      field: 'sec-websocket-protocol', message: 'offer calls.v1 next to bearer.<jwt>',
    }])
    expect(JSON.stringify(body)).not.toContain(admin.token)
  })

  test('a browser-style client with a bad token never opens', async () => {
    const protocols = ['calls.v1', 'bearer.nope.nope.nope']
    await expect(openFeed(`ws://${feed.base}/ws/calls`, { protocols }))
      .rejects.toThrow('closed before opening')
  })
})

describe('GET /ws/calls: the stream', () => {
  test('an admin connects with the subprotocol, ?token= or the Authorization header', async () => {
    const viaProtocol = await connect()
    expect(viaProtocol.ws.protocol).toBe('calls.v1')
    const viaQuery = await connect(`?token=${admin.token}`, [])
    const viaHeader = await feed.open('', {
      headers: { authorization: `Bearer ${admin.token}` },
    })
    for (const client of [viaProtocol, viaQuery, viaHeader]) {
      const snapshot = await client.next((message) => message.type === 'snapshot')
      expect(snapshot.seq).toBeGreaterThanOrEqual(0)
    }
  })

  test('the 101 answer selects calls.v1 and never carries the token', async () => {
    const offers = [`calls.v1, bearer.${admin.token}`, `bearer.${admin.token}, calls.v1`]
    for (const offer of offers) {
      const { socket, head } = await rawUpgrade(feed.base, [`Sec-WebSocket-Protocol: ${offer}`])
      socket.destroy()
      expect(head).toStartWith('HTTP/1.1 101')
      expect(head.toLowerCase()).toContain('\r\nsec-websocket-protocol: calls.v1')
      expect(head).not.toContain(admin.token)
    }

    const { socket, head } = await rawUpgrade(feed.base, [`Authorization: Bearer ${admin.token}`])
    socket.destroy()
    expect(head).toStartWith('HTTP/1.1 101')
    expect(head.toLowerCase()).not.toContain('sec-websocket-protocol')
  })

  test('the snapshot lists active calls with their transcript so far', async () => {
    const active = await seedReturn(ctx, { isCalled: 'in-progress', transcript: sampleTranscript })
    const finished = await seedReturn(ctx, { isCalled: 'completed' })
    const waiting = await seedReturn(ctx, { isCalled: 'pending', transcript: null })

    const client = await connect()
    const snapshot = await client.next((message) => message.type === 'snapshot')
    const ids = snapshot.data.active
      .map((call: { returnRequestId: string }) => call.returnRequestId)
    expect(ids).toContain(active.id)
    expect(ids).not.toContain(finished.id)
    expect(ids).not.toContain(waiting.id)

    const call = snapshot.data.active.find((item: { returnRequestId: string }) =>
      item.returnRequestId === active.id)
    expect(call).toMatchObject({
      orderNumber: active.orderNumber, productName: active.productName, callStatus: 'in-progress',
      transcript: sampleTranscript, transcriptLines: sampleTranscript.length,
      transcriptTruncated: false,
    })
    expect(snapshot.data.recent.map((item: { returnRequestId: string }) => item.returnRequestId))
      .toContain(finished.id)
  })

  test('live events arrive in the documented envelope', async () => {
    const client = await connect()
    const snapshot = await client.next((message) => message.type === 'snapshot')
    const id = crypto.randomUUID()

    const seq = await ctx.database.db.transaction((tx) => recordCallEvent(tx, {
      type: 'call.transcript', returnRequestId: id, orderNumber: 'ORD-LIVE',
      data: { lines: [sampleTranscript[0]] },
    }))
    const event = await client.next((message) => message.returnRequestId === id)
    expect(event).toEqual({
      type: 'call.transcript', seq, time: expect.any(String), returnRequestId: id,
      orderNumber: 'ORD-LIVE', data: { lines: [sampleTranscript[0]] },
    })
    expect(event.seq).toBeGreaterThan(snapshot.seq)
    expect(new Date(event.time).toISOString()).toBe(event.time)
  })

  test('an event rolled back is never sent', async () => {
    const client = await connect()
    await client.next((message) => message.type === 'snapshot')
    const id = crypto.randomUUID()

    await ctx.database.db.transaction(async (tx) => {
      await recordCallEvent(tx, statusEvent(id, 'ringing'))
      tx.rollback()
    }).catch(() => {})
    const marker = crypto.randomUUID()
    await record(statusEvent(marker, 'ringing'))
    await client.next((message) => message.returnRequestId === marker)
    expect(client.messages.some((message) => message.returnRequestId === id)).toBe(false)
  })

  test('a client resuming with ?since= gets what it missed, then the live stream', async () => {
    const watcher = await connect()
    await watcher.next((message) => message.type === 'snapshot')
    const id = crypto.randomUUID()
    const first = await record(statusEvent(id, 'initiated'))
    await record(statusEvent(id, 'ringing'))
    const third = await record(statusEvent(id, 'in-progress'))
    // Broadcast by the hub: the replay goes up to what it broadcast, the rest follows live.
    await watcher.next((message) => message.seq === third)

    const client = await connect(`?since=${first - 1}`)
    const resumed = await client.next((message) => message.type === 'resumed')
    expect(resumed.data.replayed).toBe(3)
    await record(statusEvent(id, 'completed'))
    await client.next((message) => message.data?.status === 'completed')

    const mine = client.messages.filter((message) => message.returnRequestId === id)
    expect(mine.map((message) => message.data.status))
      .toEqual(['initiated', 'ringing', 'in-progress', 'completed'])
    expect(client.messages.some((message) => message.type === 'snapshot')).toBe(false)
  })

  test('a client too far behind, or ahead of the feed, gets a snapshot to resync', async () => {
    const id = crypto.randomUUID()
    const first = await record(statusEvent(id, 'initiated'))
    for (let index = 0; index < REPLAY_LIMIT; index++) await record(statusEvent(id, 'ringing'))

    const behind = await connect(`?since=${first - 1}`)
    const snapshot = await behind.next((message) => message.type === 'snapshot')
    expect(snapshot.data.resync).toBe('too-far-behind')
    expect(behind.messages.some((message) => message.returnRequestId === id)).toBe(false)

    const ahead = await connect(`?since=${first + 1_000_000}`)
    const fresh = await ahead.next((message) => message.type === 'snapshot')
    expect(fresh.data.resync).toBe('unknown-seq')
  })

  test('since must be digits', async () => {
    for (const since of ['-1', '0x10', '1e3', 'abc']) {
      const url = `http://${feed.base}/ws/calls?since=${since}&token=${admin.token}`
      const response = await fetch(url, { headers: upgradeHeaders })
      expect(response.status).toBe(400)
    }
  })

  test('the socket closes with 4001 when the token expires', async () => {
    const shortLived = await signToken(admin.id, { expiresInSeconds: 2 })
    const client = await connect('', ['calls.v1', `bearer.${shortLived}`])
    expect(await client.closed).toEqual({ code: 4001, reason: 'token expired' })
  })
})
