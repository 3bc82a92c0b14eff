import { describe, expect, test } from 'bun:test'
import { call, createAccount, createTestContext, signToken } from '../support/harness'
import { signedHeaders } from '../support/fake-calling-service'
import { useAccount } from '../support/suite'
import { eventsOf, eventTypes, jobsOf, returnRow, useReturnsContext } from '../returns/support'
import { line, placedCall, WEBHOOK_SECRET } from './support'

const ctx = useReturnsContext({ CALLING_WEBHOOK_SECRET: WEBHOOK_SECRET })
const customer = useAccount(ctx)
const admin = useAccount(ctx, 'admin')

const bySid = (callSid: string) => `/api/orders/returns/call/${callSid}/status`
const bearer = { authorization: `Bearer ${WEBHOOK_SECRET}` }

/** A callback authenticated with the shared secret as a bearer token. */
const report = (callSid: string, body: unknown) =>
  call(ctx, 'PUT', bySid(callSid), { body, headers: bearer })

/** A callback signed with HMAC, sent with its exact raw body. */
function signed(path: string, body: unknown, options: { secret?: string; timestamp?: number } = {},
) {
  const rawBody = JSON.stringify(body)
  const headers = {
    'content-type': 'application/json',
    ...signedHeaders(options.secret ?? WEBHOOK_SECRET, path, rawBody, options.timestamp),
  }
  return call(ctx, 'PUT', path, { rawBody, headers })
}

describe('callback authentication', () => {
  test('the secret as bearer token, an HMAC signature or an admin token are accepted', async () => {
    const placed = await placedCall(ctx, customer)

    const viaBearer = await report(placed.callSid, { isCalled: 'ringing' })
    expect(viaBearer.status).toBe(200)
    expect(viaBearer.body).toEqual({
      id: placed.id, isCalled: 'ringing', changed: true, appendedLines: 0,
    })

    const viaHmac = await signed(bySid(placed.callSid), { isCalled: 'in-progress' })
    expect(viaHmac.status).toBe(200)

    const viaAdmin = await call(ctx, 'PUT', `/api/orders/returns/${placed.id}/call-status`, {
      body: { isCalled: 'completed' }, token: admin.token,
    })
    expect(viaAdmin.status).toBe(200)
    expect(viaAdmin.body.isCalled).toBe('completed')
  })

  test('forged callbacks are 401 and change nothing', async () => {
    const placed = await placedCall(ctx, customer)
    const body = { isCalled: 'completed' }
    const path = bySid(placed.callSid)
    const now = Math.floor(Date.now() / 1000)
    const forgedJwt = await signToken(admin.id, { secret: 'not-the-secret-of-this-server-0000' })
    const json = { 'content-type': 'application/json' }
    const tampered = {
      ...signedHeaders(WEBHOOK_SECRET, path, JSON.stringify({ isCalled: 'ringing' })), ...json,
    }
    const otherPath = {
      ...signedHeaders(WEBHOOK_SECRET, bySid('CA-another-call'), JSON.stringify(body)), ...json,
    }

    const as = (authorization: string) => ({ authorization })
    const attempts = [
      await call(ctx, 'PUT', path, { body }),
      await call(ctx, 'PUT', path, { body, headers: as('Bearer wrong-secret-0123456789') }),
      await call(ctx, 'PUT', path, { body, headers: as(`Bearer ${WEBHOOK_SECRET}x`) }),
      await call(ctx, 'PUT', path, { body, headers: as(WEBHOOK_SECRET) }),
      await call(ctx, 'PUT', path, { body, token: forgedJwt }),
      await signed(path, body, { secret: 'another-secret' }),
      await call(ctx, 'PUT', path, { rawBody: JSON.stringify(body), headers: tampered }),
      await call(ctx, 'PUT', path, { rawBody: JSON.stringify(body), headers: otherPath }),
      await signed(path, body, { timestamp: now - 301 }),
      await signed(path, body, { timestamp: now + 330 }),
      await call(ctx, 'PUT', path, {
        body, headers: { 'x-signature': 'sha256=abc', 'x-signature-timestamp': String(now) },
      }),
      await call(ctx, 'PUT', path, { body, headers: { 'x-signature-timestamp': String(now) } }),
    ]

    for (const res of attempts) {
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('UNAUTHENTICATED')
    }
    expect((await returnRow(ctx, placed.id)).isCalled).toBe('initiated')
  })

  test('a replayed HMAC signature is refused', async () => {
    const placed = await placedCall(ctx, customer)
    const rawBody = JSON.stringify({ isCalled: 'ringing' })
    const headers = {
      'content-type': 'application/json',
      ...signedHeaders(WEBHOOK_SECRET, bySid(placed.callSid), rawBody),
    }

    const first = await call(ctx, 'PUT', bySid(placed.callSid), { rawBody, headers })
    const replay = await call(ctx, 'PUT', bySid(placed.callSid), { rawBody, headers })

    expect(first.status).toBe(200)
    expect(replay.status).toBe(401)
    expect(replay.body.error.message).toContain('already used')
  })

  test('customers, even the request\'s owner, cannot report call status (403)', async () => {
    const placed = await placedCall(ctx, customer)
    const res = await call(ctx, 'PUT', bySid(placed.callSid), {
      body: { isCalled: 'completed' }, token: customer.token,
    })
    expect(res.status).toBe(403)
    expect((await returnRow(ctx, placed.id)).isCalled).toBe('initiated')
  })

  test('a malformed body is refused before anything else and changes nothing', async () => {
    const placed = await placedCall(ctx, customer)
    const headers = { 'content-type': 'application/json' }
    const stranger = await call(ctx, 'PUT', bySid(placed.callSid), { rawBody: '{nope', headers })
    expect(stranger.status).toBe(400)
    expect(stranger.body.error.code).toBe('MALFORMED_REQUEST')
    expect((await returnRow(ctx, placed.id)).isCalled).toBe('initiated')

    const known = await call(ctx, 'PUT', bySid(placed.callSid), {
      rawBody: '{nope', headers: { ...headers, ...bearer },
    })
    expect(known.status).toBe(400)
    expect(known.body.error.code).toBe('MALFORMED_REQUEST')
  })

  test('without a configured secret only admin tokens work', async () => {
    const bare = await createTestContext({ QUEUE_POLL_MS: '60000' })
    try {
      const owner = await createAccount(bare)
      const boss = await createAccount(bare, 'admin')
      const placed = await placedCall(bare, owner)
      const path = bySid(placed.callSid)
      const rawBody = JSON.stringify({ isCalled: 'ringing' })

      const withSecret = await call(bare, 'PUT', path, { rawBody, headers: {
        'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_SECRET}`,
      } })
      const withHmac = await call(bare, 'PUT', path, { rawBody, headers: {
        'content-type': 'application/json', ...signedHeaders(WEBHOOK_SECRET, path, rawBody),
      } })
      const asAdmin = await call(bare, 'PUT', path, {
        body: { isCalled: 'ringing' }, token: boss.token,
      })

      expect(withSecret.status).toBe(401)
      expect(withHmac.status).toBe(401)
      expect(asAdmin.status).toBe(200)
    } finally {
      await bare.close()
    }
  })
})

describe('call status updates', () => {
  test('unknown callSid or return request is 404; malformed ids are 400', async () => {
    expect((await report('CA-does-not-exist', { isCalled: 'ringing' })).status).toBe(404)
    const byId = await call(ctx, 'PUT', `/api/orders/returns/${crypto.randomUUID()}/call-status`, {
      body: { isCalled: 'ringing' }, headers: bearer,
    })
    expect(byId.status).toBe(404)
    expect((await report('bad%20sid', { isCalled: 'ringing' })).status).toBe(400)
  })

  test('bad bodies are 400 naming the field', async () => {
    const placed = await placedCall(ctx, customer)
    const said = (change: Record<string, unknown>) =>
      ({ isCalled: 'ringing', transcript: [{ ...line('agent', 'hi'), ...change }] })
    const cases: [unknown, string][] = [
      [{ isCalled: 'queued' }, 'isCalled'],
      [{ isCalled: 'answered' }, 'isCalled'],
      [{}, 'isCalled'],
      [{ isCalled: 'ringing', callSid: 'CA2' }, 'callSid'],
      [said({ extra: 1 }), 'transcript.0.extra'],
      [said({ type: 'bot' }), 'transcript.0.type'],
      [said({ timestamp: 'now' }), 'transcript.0.timestamp'],
      [{ isCalled: 'ringing', transcript: [line('agent', 'x'.repeat(2001))] }, 'transcript.0.text'],
      [{ isCalled: 'ringing', transcript: [line('agent', '')] }, 'transcript.0.text'],
      [{ isCalled: 'failed', reason: 'r'.repeat(501) }, 'reason'],
    ]
    for (const [body, field] of cases) {
      const res = await report(placed.callSid, body)
      expect(res.status).toBe(400)
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field)
    }
    expect((await returnRow(ctx, placed.id)).isCalled).toBe('initiated')
  })

  test('transcripts are bounded: more than 500 lines or 200000 characters is a 400', async () => {
    const placed = await placedCall(ctx, customer)
    const many = Array.from({ length: 501 }, (_, i) => line('user', `line ${i}`))
    const tooMany = await report(placed.callSid, { isCalled: 'in-progress', transcript: many })
    expect(tooMany.status).toBe(400)
    expect(tooMany.body.error.details[0].field).toBe('transcript')

    const first = Array.from({ length: 100 }, (_, i) => line('agent', `${i} ${'a'.repeat(1500)}`))
    const fits = await report(placed.callSid, { isCalled: 'in-progress', transcript: first })
    expect(fits.status).toBe(200)
    const more = Array.from({ length: 50 }, (_, i) => line('user', `${i} ${'b'.repeat(1500)}`))
    const tooLong = await report(placed.callSid, { isCalled: 'in-progress', transcript: more })
    expect(tooLong.status).toBe(400)
    expect(tooLong.body.error.details[0].field).toBe('transcript')

    expect((await returnRow(ctx, placed.id)).transcript).toHaveLength(100)
  })

  test('new lines are appended, sent as the whole transcript or only new lines', async () => {
    const placed = await placedCall(ctx, customer)
    const [a, b, c] = [line('agent', 'Hello'), line('user', 'Hi'), line('agent', 'Why return it?')]

    for (const transcript of [[a], [a, b], [c]]) {
      const res = await report(placed.callSid, { isCalled: 'in-progress', transcript })
      expect(res.body.appendedLines).toBe(1)
    }

    expect((await returnRow(ctx, placed.id)).transcript).toEqual([a, b, c])
    const lineEvents = (await eventsOf(ctx, placed.id))
      .filter((event) => event.type === 'call.transcript')
    expect(lineEvents.map((event) => event.data.lines)).toEqual([[a], [b], [c]])
  })

  test('repeating a callback changes nothing and records no event', async () => {
    const placed = await placedCall(ctx, customer)
    const body = { isCalled: 'in-progress', transcript: [line('agent', 'Hello')] }

    expect((await report(placed.callSid, body)).body.changed).toBe(true)
    const before = await eventTypes(ctx, placed.id)
    const row = await returnRow(ctx, placed.id)

    const again = await report(placed.callSid, body)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ changed: false, appendedLines: 0, isCalled: 'in-progress' })
    expect(await eventTypes(ctx, placed.id)).toEqual(before)
    expect((await returnRow(ctx, placed.id)).updatedAt).toEqual(row.updatedAt)
  })

  test('status only moves forward: a late ringing after in-progress is ignored', async () => {
    const placed = await placedCall(ctx, customer)
    await report(placed.callSid, { isCalled: 'in-progress' })

    const late = await report(placed.callSid, { isCalled: 'ringing' })
    expect(late.body).toMatchObject({ changed: false, isCalled: 'in-progress' })
    expect((await report(placed.callSid, { isCalled: 'initiated' })).body.changed).toBe(false)
    expect((await returnRow(ctx, placed.id)).isCalled).toBe('in-progress')
  })

  test('a finished call never goes back nor to another final status, nor takes lines', async () => {
    const placed = await placedCall(ctx, customer)
    const said = [line('agent', 'Hello'), line('user', 'Bye')]
    const done = await report(placed.callSid, { isCalled: 'completed', transcript: said })
    expect(done.status).toBe(200)
    const events = await eventTypes(ctx, placed.id)

    const later = ['ringing', 'in-progress', 'failed', 'no-answer', 'completed', 'pending']
    for (const isCalled of later) {
      const transcript = [...said, line('user', 'more')]
      const res = await report(placed.callSid, { isCalled, transcript })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ isCalled: 'completed', changed: false, appendedLines: 0 })
    }
    expect(await eventTypes(ctx, placed.id)).toEqual(events)
    expect((await returnRow(ctx, placed.id)).transcript).toEqual(said)
  })

  test('completing with a transcript queues the analysis once, in one transaction', async () => {
    const placed = await placedCall(ctx, customer)
    const said = [line('agent', 'Hello'), line('user', 'It broke')]

    const done = await report(placed.callSid, { isCalled: 'completed', transcript: said })
    await report(placed.callSid, { isCalled: 'completed', transcript: said })

    expect(done.body).toMatchObject({ isCalled: 'completed', changed: true, appendedLines: 2 })
    const row = await returnRow(ctx, placed.id)
    expect(row.analysisStatus).toBe('pending')
    expect(row.callEndedAt).toBeInstanceOf(Date)
    const analysis = await jobsOf(ctx, 'analysis.call', placed.id)
    expect(analysis).toHaveLength(1)
    expect(analysis[0]!.payload).toEqual({ returnRequestId: placed.id })
    expect(await eventTypes(ctx, placed.id)).toEqual([
      'return.created', 'call.queued', 'call.transcript', 'call.completed',
    ])
  })

  test('completing without a transcript queues no analysis', async () => {
    const placed = await placedCall(ctx, customer)
    await report(placed.callSid, { isCalled: 'completed' })
    expect((await returnRow(ctx, placed.id)).analysisStatus).toBe('none')
    expect(await jobsOf(ctx, 'analysis.call', placed.id)).toHaveLength(0)
  })

  test('failed, busy and no-answer end the call with a reason and call.failed', async () => {
    const failed = await placedCall(ctx, customer)
    await report(failed.callSid, { isCalled: 'failed', reason: 'carrier error 503' })
    expect((await returnRow(ctx, failed.id)).callFailureReason).toBe('carrier error 503')

    const busy = await placedCall(ctx, customer)
    await report(busy.callSid, { isCalled: 'busy' })
    const row = await returnRow(ctx, busy.id)
    expect(row).toMatchObject({ isCalled: 'busy', callFailureReason: 'the line was busy' })
    expect(row.callEndedAt).toBeInstanceOf(Date)
    const events = await eventsOf(ctx, busy.id)
    expect(events.at(-1)).toMatchObject({ type: 'call.failed', data: { status: 'busy' } })
  })
})
