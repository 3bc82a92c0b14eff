import { describe, expect, test } from 'bun:test'
import { eq, or } from 'drizzle-orm'
import { users } from '../../src/db/schema'
import { call, uniqueEmail, uniquePhone } from '../support/harness'
import { useTestContext } from '../support/suite'

const ctx = useTestContext()

const register = (body: unknown) => call(ctx, 'POST', '/api/users/register', { body })

/** Formats +14155552671 the way people type it: +1 (415) 555-2671. */
const typed = (e164: string) =>
  `+1 (${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`

async function rowsWith(phone?: string, email?: string) {
  const conditions = [
    ...(phone ? [eq(users.phone, phone)] : []),
    ...(email ? [eq(users.email, email)] : []),
  ]
  return ctx.database.db.select().from(users).where(or(...conditions))
}

describe('POST /api/users/register: success', () => {
  test('creates a customer, answers { user, token } with the phone in E.164', async () => {
    const phone = uniquePhone()
    const res = await register({ name: 'Ada', password: 'password-123', phone: typed(phone) })

    expect(res.status).toBe(201)
    expect(res.body.user).toMatchObject({ name: 'Ada', phone, email: null, role: 'customer' })
    expect(res.body.user.createdAt).toMatch(/Z$/)
    expect(res.body.user.passwordHash).toBeUndefined()
    expect(JSON.stringify(res.body)).not.toContain('argon2')
    expect(res.body.token.split('.')).toHaveLength(3)

    const me = await call(ctx, 'GET', '/api/users/me', { token: res.body.token })
    expect(me.body.user.id).toBe(res.body.user.id)
  })

  test('stores an argon2id hash, never the password', async () => {
    const phone = uniquePhone()
    await register({ name: 'Hash', password: 'password-123', phone })

    const [row] = await rowsWith(phone)
    expect(row!.passwordHash).toStartWith('$argon2id$')
    expect(row!.passwordHash).not.toContain('password-123')
  })

  test('a seller may register as seller; email is lower-cased', async () => {
    const email = uniqueEmail('Seller').toUpperCase()
    const res = await register({
      name: 'Shop', password: 'password-123', phone: uniquePhone(), email, role: 'seller',
    })

    expect(res.status).toBe(201)
    expect(res.body.user.role).toBe('seller')
    expect(res.body.user.email).toBe(email.toLowerCase())
  })

  test('email alone is enough', async () => {
    const res = await register({ name: 'Mail', password: 'password-123', email: uniqueEmail() })
    expect(res.status).toBe(201)
    expect(res.body.user.phone).toBeNull()
  })

  test('international numbers with dots and spaces are normalised', async () => {
    const local = String(Math.floor(Math.random() * 9000) + 1000)
    const res = await register({
      name: 'London', password: 'password-123', phone: `+44 20.7946 ${local}`,
    })

    expect(res.status).toBe(201)
    expect(res.body.user.phone).toBe(`+44207946${local}`)
  })
})

describe('POST /api/users/register: bad input gets 400 naming the field and writes nothing', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['role admin', { role: 'admin' }, 'role'],
    ['an unknown role', { role: 'owner' }, 'role'],
    ['an extra field', { isAdmin: true }, 'isAdmin'],
    ['NUL byte in name', { name: 'Ada\u0000Admin' }, 'name'],
    ['NUL byte in password', { password: 'password\u0000123' }, 'password'],
    ['a name of 101 characters', { name: 'n'.repeat(101) }, 'name'],
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a control character in name', { name: 'Ada\u0007' }, 'name'],
    ['a 7-character password', { password: 'short12' }, 'password'],
    ['a 129-character password', { password: 'p'.repeat(129) }, 'password'],
    ['a phone without +country code', { phone: '(212) 555-0123' }, 'phone'],
    ['a phone with letters', { phone: '+1 212 555 CALL' }, 'phone'],
    ['a phone of wrong length', { phone: '+1 212 555 01' }, 'phone'],
    ['an unassigned area code', { phone: '+1 211 555 0123' }, 'phone'],
    ['an oversized phone', { phone: '+1' + '2'.repeat(40) }, 'phone'],
    ['an email without domain', { email: 'ada@' }, 'email'],
    ['an email of 255 characters', { email: `${'a'.repeat(60)}@${'b'.repeat(190)}.com` }, 'email'],
    ['a number as name', { name: 42 }, 'name'],
  ]

  for (const [title, change, field] of cases) {
    test(title, async () => {
      const phone = uniquePhone()
      const email = uniqueEmail()
      const valid = { name: 'Valid', password: 'password-123', phone, email }
      const res = await register({ ...valid, ...change })

      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
      expect(res.body.error.details[0].field).toBe(field)
      expect(await rowsWith(phone, email)).toHaveLength(0)
    })
  }

  test('neither phone nor email', async () => {
    const res = await register({ name: 'Nobody', password: 'password-123' })
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('phone')
  })

  test('malformed JSON gets 400 MALFORMED_REQUEST', async () => {
    const res = await call(ctx, 'POST', '/api/users/register', {
      rawBody: '{"name":"Ada","password":',
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('MALFORMED_REQUEST')
  })

  test('an empty body gets 400', async () => {
    const res = await call(ctx, 'POST', '/api/users/register', {
      rawBody: '', headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(400)
  })

  test('a __proto__ key carrying role admin is refused, not merged', async () => {
    const phone = uniquePhone()
    const res = await call(ctx, 'POST', '/api/users/register', {
      rawBody: JSON.stringify({ name: 'Proto', password: 'password-123', phone })
        .replace('{', '{"__proto__":{"role":"admin"},'),
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('__proto__')
    expect(await rowsWith(phone)).toHaveLength(0)
  })

  test('a JSON array or string instead of an object gets 400', async () => {
    for (const rawBody of ['[]', '"Ada"', 'null']) {
      const res = await call(ctx, 'POST', '/api/users/register', {
        rawBody,
        headers: { 'content-type': 'application/json' },
      })
      expect(res.status).toBe(400)
    }
  })

  test('a form-encoded body gets 415', async () => {
    const phone = uniquePhone()
    const res = await call(ctx, 'POST', '/api/users/register', {
      rawBody: `name=Ada&password=password-123&phone=${encodeURIComponent(phone)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(415)
    expect(await rowsWith(phone)).toHaveLength(0)
  })
})

describe('POST /api/users/register: duplicates', () => {
  test('a taken phone number gets 409 naming phone, however it is formatted', async () => {
    const phone = uniquePhone()
    expect((await register({ name: 'First', password: 'password-123', phone })).status).toBe(201)

    const res = await register({ name: 'Second', password: 'password-123', phone: typed(phone) })
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('CONFLICT')
    expect(res.body.error.details[0].field).toBe('phone')
  })

  test('a taken email gets 409 naming email, whatever its case', async () => {
    const email = uniqueEmail()
    await register({ name: 'First', password: 'password-123', email })

    const res = await register({
      name: 'Second', password: 'password-123', phone: uniquePhone(), email: email.toUpperCase(),
    })
    expect(res.status).toBe(409)
    expect(res.body.error.details[0].field).toBe('email')
  })

  test('regression: concurrent registrations of one phone make one account', async () => {
    const phone = uniquePhone()
    const attempts = Array.from({ length: 6 }, (_, i) =>
      register({ name: `Racer ${i}`, password: 'password-123', phone }))
    const statuses = (await Promise.all(attempts)).map((res) => res.status).sort()

    expect(statuses).toEqual([201, 409, 409, 409, 409, 409])
    expect(await rowsWith(phone)).toHaveLength(1)
  })
})
