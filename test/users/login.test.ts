import { describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { users } from '../../src/db/schema'
import { call, createAccount, uniqueEmail, uniquePhone } from '../support/harness'
import { useTestContext } from '../support/suite'
import { withSettings } from './variant'

const ctx = useTestContext()

const login = (body: unknown) => call(ctx, 'POST', '/api/users/login', { body })

async function hashOf(id: string): Promise<string> {
  const [row] = await ctx.database.db.select().from(users).where(eq(users.id, id))
  return row!.passwordHash
}

/** An account as the older Express version left it: a bcrypt hash. */
async function legacyAccount(password: string) {
  const phone = uniquePhone()
  const [row] = await ctx.database.db.insert(users).values({
    name: 'Legacy',
    phone,
    email: uniqueEmail('legacy'),
    passwordHash: await Bun.password.hash(password, { algorithm: 'bcrypt', cost: 4 }),
  }).returning()
  return row!
}

describe('POST /api/users/login: success', () => {
  test('by phone, in any typed format: { user, token } and the token opens /me', async () => {
    const account = await createAccount(ctx, 'seller')
    const { phone } = account
    const spaced = `${phone.slice(0, 2)} ${phone.slice(2, 5)}-${phone.slice(5)}`
    const res = await login({ phone: spaced, password: account.password })

    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ id: account.id, role: 'seller', phone: account.phone })
    expect(res.body.user.passwordHash).toBeUndefined()

    const me = await call(ctx, 'GET', '/api/users/me', { token: res.body.token })
    expect(me.status).toBe(200)
    expect(me.body.user.id).toBe(account.id)
  })

  test('by email, whatever its case', async () => {
    const account = await createAccount(ctx)
    const res = await login({ email: account.email.toUpperCase(), password: account.password })

    expect(res.status).toBe(200)
    expect(res.body.user.id).toBe(account.id)
  })

  test('the token carries the subject, the role and the configured expiry', async () => {
    const short = withSettings(ctx, { JWT_EXPIRES_IN: '15m' })
    const account = await createAccount(short, 'seller')
    const res = await call(short, 'POST', '/api/users/login', {
      body: { phone: account.phone, password: account.password },
    })
    const claims = JSON.parse(Buffer.from(res.body.token.split('.')[1], 'base64url').toString())

    expect(claims.sub).toBe(account.id)
    expect(claims.role).toBe('seller')
    expect(claims.exp - claims.iat).toBe(15 * 60)
  })
})

describe('POST /api/users/login: legacy bcrypt hashes', () => {
  test('a bcrypt hash verifies and is upgraded to argon2id', async () => {
    const legacy = await legacyAccount('old-system-pass')
    expect(legacy.passwordHash).toStartWith('$2b$04$')

    const res = await login({ phone: legacy.phone, password: 'old-system-pass' })
    expect(res.status).toBe(200)
    expect(await hashOf(legacy.id)).toStartWith('$argon2id$')

    const again = await login({ phone: legacy.phone, password: 'old-system-pass' })
    expect(again.status).toBe(200)
  })

  test('a wrong password on a bcrypt account gets 401 and leaves the hash alone', async () => {
    const legacy = await legacyAccount('old-system-pass')
    const res = await login({ phone: legacy.phone, password: 'not-the-password' })

    expect(res.status).toBe(401)
    expect(await hashOf(legacy.id)).toBe(legacy.passwordHash)
  })
})

describe('POST /api/users/login: numbers stored by the older system', () => {
  // +1 555-01xx numbers are fictional: libphonenumber calls them invalid, registration refuses
  // them, yet the older system stored them and their owners must be able to log in.
  const storedPhone = '+15550100002'
  const password = 'legacy-pass-123'

  test('regression: logging in by a number libphonenumber calls invalid was a 400', async () => {
    const passwordHash = await Bun.password.hash(password, { algorithm: 'bcrypt', cost: 4 })
    // On a shared PostgreSQL the row may remain from an earlier run: take it over.
    const [row] = await ctx.database.db.insert(users)
      .values({ name: 'Imported', phone: storedPhone, passwordHash })
      .onConflictDoUpdate({ target: users.phone, set: { passwordHash } })
      .returning()

    for (const typed of [storedPhone, '+1 (555) 010-0002']) {
      const res = await login({ phone: typed, password })
      expect(`${typed}: ${res.status}`).toBe(`${typed}: 200`)
      expect(res.body.user).toMatchObject({ id: row!.id, phone: storedPhone })
    }
    expect((await login({ phone: storedPhone, password: 'not-the-password' })).status).toBe(401)
  })

  test('registration still refuses such a number', async () => {
    const res = await call(ctx, 'POST', '/api/users/register', {
      body: { name: 'New', phone: '+15550100003', password },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.details[0]).toMatchObject({
      field: 'phone', message: 'is not a valid phone number',
    })
  })
})

describe('POST /api/users/login: failures', () => {
  test('unknown account and wrong password get the same 401', async () => {
    const account = await createAccount(ctx)
    const wrong = await login({ phone: account.phone, password: 'wrong-password' })
    const unknown = await login({ phone: uniquePhone(), password: account.password })

    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(unknown.body.error.code).toBe('UNAUTHENTICATED')
    expect(unknown.body.error.message).toBe(wrong.body.error.message)
  })

  test('regression: an unknown account is not answered faster (enumeration)', async () => {
    const account = await createAccount(ctx)
    const timed = async (body: unknown) => {
      const started = performance.now()
      await login(body)
      return performance.now() - started
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[1]!

    // Warm the dummy hash first; then take medians of three.
    await login({ phone: uniquePhone(), password: 'whatever-123' })
    const wrong: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 3; i += 1) {
      wrong.push(await timed({ phone: account.phone, password: 'wrong-password' }))
      unknown.push(await timed({ phone: uniquePhone(), password: 'wrong-password' }))
    }

    // Without the dummy verification an unknown account answers in ~1% of the time.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.4)
  })

  test('an unreadable stored hash counts as a wrong password, not a 500', async () => {
    const [row] = await ctx.database.db.insert(users).values({
      name: 'Broken', phone: uniquePhone(), passwordHash: 'plain-text-from-somewhere',
    }).returning()
    const res = await login({ phone: row!.phone, password: 'plain-text-from-somewhere' })
    expect(res.status).toBe(401)
  })

  const phone = '+12125550100'
  const password = 'password-123'
  const bad: [string, Record<string, unknown>, string][] = [
    ['neither phone nor email', { password }, 'phone'],
    ['both phone and email', { phone, email: 'a@example.com', password }, 'phone'],
    ['no password', { phone }, 'password'],
    ['an extra role field', { phone, password, role: 'admin' }, 'role'],
    ['a NUL byte in the password', { phone, password: 'pass\u0000word' }, 'password'],
    ['a password of 129 characters', { phone, password: 'p'.repeat(129) }, 'password'],
    ['a phone without country code', { phone: '212 555 0100', password }, 'phone'],
    ['an oversized email', { email: `${'a'.repeat(250)}@x.com`, password }, 'email'],
  ]
  for (const [title, body, field] of bad) {
    test(`${title} gets 400 naming ${field}`, async () => {
      const res = await login(body)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
      expect(res.body.error.details[0].field).toBe(field)
    })
  }

  test('malformed JSON gets 400 and a text body 415', async () => {
    const broken = await call(ctx, 'POST', '/api/users/login', {
      rawBody: '{"phone":', headers: { 'content-type': 'application/json' },
    })
    expect(broken.status).toBe(400)
    expect(broken.body.error.code).toBe('MALFORMED_REQUEST')

    const text = await call(ctx, 'POST', '/api/users/login', {
      rawBody: 'phone=1', headers: { 'content-type': 'text/plain' },
    })
    expect(text.status).toBe(415)
  })
})
