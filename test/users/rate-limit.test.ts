import { describe, expect, test } from 'bun:test'
import { FixedWindowLimiter } from '../../src/http/rate-limit'
import { call, createAccount, uniquePhone } from '../support/harness'
import { useTestContext } from '../support/suite'
import { withSettings } from './variant'

const ctx = useTestContext()

const from = (address: string) => ({ 'x-forwarded-for': address })

describe('login and registration limits', () => {
  test('the 4th login on one account in a window gets 429 with Retry-After', async () => {
    const limited = withSettings(ctx, { RATE_LIMIT_PER_ACCOUNT: '3' })
    const victim = await createAccount(limited)
    const other = await createAccount(limited)
    const attempt = (phone: string, password = 'wrong-password') =>
      call(limited, 'POST', '/api/users/login', { body: { phone, password } })

    for (let i = 0; i < 3; i += 1) expect((await attempt(victim.phone)).status).toBe(401)

    const blocked = await attempt(victim.phone, victim.password)
    expect(blocked.status).toBe(429)
    expect(blocked.body.error.code).toBe('RATE_LIMITED')
    const retryAfter = Number(blocked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(limited.config.rateLimit.windowSeconds)

    expect((await attempt(other.phone, other.password)).status).toBe(200)
  })

  test('the account limit counts one number however it is formatted', async () => {
    const limited = withSettings(ctx, { RATE_LIMIT_PER_ACCOUNT: '2' })
    const account = await createAccount(limited)
    const spaced = `${account.phone.slice(0, 2)} ${account.phone.slice(2)}`
    const attempt = (phone: string) => call(limited, 'POST', '/api/users/login', {
      body: { phone, password: 'wrong-password' },
    })

    await attempt(account.phone)
    await attempt(spaced)
    expect((await attempt(`${spaced.slice(0, 6)}-${spaced.slice(6)}`)).status).toBe(429)
  })

  test('the 4th registration attempt for one phone gets 429', async () => {
    const limited = withSettings(ctx, { RATE_LIMIT_PER_ACCOUNT: '3' })
    const phone = uniquePhone()
    const attempt = (p: string) => call(limited, 'POST', '/api/users/register', {
      body: { name: 'Spam', password: 'password-123', phone: p },
    })

    expect((await attempt(phone)).status).toBe(201)
    expect((await attempt(phone)).status).toBe(409)
    expect((await attempt(phone)).status).toBe(409)
    const blocked = await attempt(phone)
    expect(blocked.status).toBe(429)
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/)

    expect((await attempt(uniquePhone())).status).toBe(201)
  })

  test('the 4th login from one address gets 429; another address is unaffected', async () => {
    const limited = withSettings(ctx, { RATE_LIMIT_PER_ADDRESS: '3', TRUST_PROXY_HOPS: '1' })
    const account = await createAccount(limited)
    const attempt = (address: string, password = 'wrong-password') =>
      call(limited, 'POST', '/api/users/login', {
        body: { phone: uniquePhone(), password }, headers: from(address),
      })

    for (let i = 0; i < 3; i += 1) expect((await attempt('198.51.100.7')).status).toBe(401)
    expect((await attempt('198.51.100.7')).status).toBe(429)

    const elsewhere = await call(limited, 'POST', '/api/users/login', {
      body: { phone: account.phone, password: account.password }, headers: from('198.51.100.8'),
    })
    expect(elsewhere.status).toBe(200)
  })

  test('without a trusted proxy, X-Forwarded-For cannot dodge the address limit', async () => {
    const limited = withSettings(ctx, { RATE_LIMIT_PER_ADDRESS: '2' })
    const attempt = (address: string) => call(limited, 'POST', '/api/users/login', {
      body: { phone: uniquePhone(), password: 'wrong-password' }, headers: from(address),
    })

    await attempt('203.0.113.1')
    await attempt('203.0.113.2')
    expect((await attempt('203.0.113.3')).status).toBe(429)
  })

  test('registration and login are counted separately', async () => {
    const limited = withSettings(ctx, { RATE_LIMIT_PER_ADDRESS: '1' })
    const phone = uniquePhone()
    const register = await call(limited, 'POST', '/api/users/register', {
      body: { name: 'Once', password: 'password-123', phone },
    })
    expect(register.status).toBe(201)

    const login = await call(limited, 'POST', '/api/users/login', {
      body: { phone, password: 'password-123' },
    })
    expect(login.status).toBe(200)
  })
})

describe('FixedWindowLimiter', () => {
  test('allows the limit, refuses beyond it, and allows again when the window ends', () => {
    let now = 1_000_000
    const limiter = new FixedWindowLimiter({ limit: 2, windowSeconds: 60 }, { now: () => now })

    expect(limiter.hit('a')).toBe(0)
    expect(limiter.hit('a')).toBe(0)
    expect(limiter.hit('a')).toBe(60)
    now += 45_500
    expect(limiter.hit('a')).toBe(15)
    expect(limiter.hit('b')).toBe(0)

    now += 14_500
    expect(limiter.hit('a')).toBe(0)
  })

  test('forgets expired windows', () => {
    let now = 0
    const limiter = new FixedWindowLimiter({ limit: 5, windowSeconds: 1 }, { now: () => now })
    for (let i = 0; i < 100; i += 1) limiter.hit(`key-${i}`)
    expect(limiter.size).toBe(100)

    now += 1_000
    limiter.hit('fresh')
    expect(limiter.size).toBe(1)
  })

  test('regression: a flood of distinct keys cannot grow memory past maxKeys', () => {
    let now = 0
    const limiter = new FixedWindowLimiter(
      { limit: 5, windowSeconds: 600 }, { maxKeys: 1000, now: () => now },
    )
    for (let i = 0; i < 50_000; i += 1) {
      now += 1
      limiter.hit(`flood-${i}`)
    }
    expect(limiter.size).toBe(1000)
  })
})
