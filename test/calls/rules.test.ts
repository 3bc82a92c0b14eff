import { describe, expect, test } from 'bun:test'
import { callbackAuthenticator, signCallback } from '../../src/calls/callback-auth'
import { maskPhone } from '../../src/calls/facts'
import { buildFirstMessage, buildPrompt } from '../../src/calls/prompts'
import { canAdvance, finalCallStatuses } from '../../src/calls/status'
import { newTranscriptLines } from '../../src/calls/transcript'
import { callStatuses } from '../../src/db/schema'
import { AppError } from '../../src/shared/errors'

describe('call status order', () => {
  test('moves strictly forward and never out of a final status', () => {
    expect(canAdvance('queued', 'initiated')).toBe(true)
    expect(canAdvance('initiated', 'in-progress')).toBe(true)
    expect(canAdvance('in-progress', 'completed')).toBe(true)
    expect(canAdvance('ringing', 'no-answer')).toBe(true)
    expect(canAdvance('in-progress', 'ringing')).toBe(false)
    expect(canAdvance('ringing', 'ringing')).toBe(false)
    for (const final of finalCallStatuses) {
      for (const next of callStatuses) expect(canAdvance(final, next)).toBe(false)
    }
  })
})

describe('transcript merge', () => {
  const a = { type: 'agent' as const, text: 'Hi', timestamp: '2025-01-01T00:00:01.000Z' }
  const b = { type: 'user' as const, text: 'Hello', timestamp: '2025-01-01T00:00:02.000Z' }
  const b2 = { ...b, timestamp: '2025-01-01T00:00:05.000Z' }

  test('appends only lines not stored yet, in the order received', () => {
    expect(newTranscriptLines([a], [a, b])).toEqual([b])
    expect(newTranscriptLines([a, b], [a, b])).toEqual([])
    expect(newTranscriptLines([a], [b, b])).toEqual([b])
    expect(newTranscriptLines([a, b], [b2])).toEqual([b2])
  })
})

describe('call script templates', () => {
  const facts = {
    customerName: 'Ana María López', orderNumber: 'ORD-42', productName: 'Desk lamp',
    reason: 'It flickers', description: 'Started on day two.\nGets worse when warm.',
  }

  test('the prompt carries every fact and a returns-team persona', () => {
    const prompt = buildPrompt(facts)
    const every = ['Ana María López', 'ORD-42', 'Desk lamp', 'It flickers', 'Gets worse']
    for (const fact of every) {
      expect(prompt).toContain(fact)
    }
    expect(prompt).toContain('returns team')
    expect(prompt).toContain('never ask for passwords')
    expect(buildFirstMessage(facts)).toBe(
      'Hello Ana, this is Alex from the Amazon Eye returns team. '
      + 'I\'m calling about your return request for the Desk lamp from order ORD-42. '
      + 'Do you have a couple of minutes?')
  })

  test('a very long description is clipped', () => {
    const prompt = buildPrompt({ ...facts, description: 'x'.repeat(5000) })
    expect(prompt.length).toBeLessThan(2500)
  })
})

describe('phone masking for logs', () => {
  test('keeps the country prefix and last two digits only', () => {
    expect(maskPhone('+14155550123')).toBe('+14*******23')
    expect(maskPhone('+123')).toBe('***')
  })
})

describe('HMAC callback signatures', () => {
  const secret = 'unit-secret'
  const noUsers = async () => undefined
  const jwt = { verify: async () => false as const }
  const path = '/api/orders/returns/call/CA1/status'
  const headersFor = (rawBody: string, timestamp: number) => ({
    'x-signature': `sha256=${signCallback(secret, timestamp, path, rawBody)}`,
    'x-signature-timestamp': String(timestamp),
  })

  test('within five minutes only; regression: a signature at the edge was replayable', async () => {
    let now = 1_700_000_000_000
    const check = callbackAuthenticator(secret, noUsers, () => now)
    const rawBody = '{"isCalled":"ringing"}'
    const at = now / 1000

    await check({ headers: headersFor(rawBody, at - 300), path, rawBody, jwt })
    await check({ headers: headersFor(rawBody, at + 300), path, rawBody, jwt })
    const refused = async (timestamp: number) => {
      const error = await check({ headers: headersFor(rawBody, timestamp), path, rawBody, jwt })
        .then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).status).toBe(401)
    }
    await refused(at - 301)
    await refused(at + 301)
    await refused(at - 300)

    // Once its window has passed, a remembered signature is forgotten and still refused.
    now += 10 * 60_000
    await refused(at - 300)
  })

  test('the signature covers the exact bytes of the body', async () => {
    const check = callbackAuthenticator(secret, noUsers)
    const at = Math.floor(Date.now() / 1000)
    const headers = headersFor('{"isCalled":"ringing"}', at)
    const error = await check({ headers, path, rawBody: '{"isCalled": "ringing"}', jwt })
      .then(() => undefined, (e: unknown) => e)
    expect((error as AppError).message).toBe('The signature does not match')
  })
})
