import { describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { users } from '../../src/db/schema'
import { SignJWT } from 'jose'
import { call, createAccount, signToken, TEST_JWT_SECRET } from '../support/harness'
import { useTestContext } from '../support/suite'

const ctx = useTestContext()

const me = (token?: string, headers: Record<string, string> = {}) =>
  call(ctx, 'GET', '/api/users/me', { token, headers })

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('GET /api/users/me', () => {
  test('answers { user } for the bearer of a valid token', async () => {
    const account = await createAccount(ctx, 'seller')
    const res = await me(account.token)

    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      user: {
        id: account.id,
        name: account.name,
        email: account.email,
        phone: account.phone,
        role: 'seller',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      },
    })
  })

  test('without a token: 401', async () => {
    const res = await me()
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('UNAUTHENTICATED')
  })

  test('an expired token: 401', async () => {
    const account = await createAccount(ctx)
    const res = await me(await signToken(account.id, { expiresInSeconds: -10 }))
    expect(res.status).toBe(401)
  })

  test('a malformed token: 401', async () => {
    for (const token of ['not-a-token', 'abc.def.ghi', 'a'.repeat(5000)]) {
      const res = await me(token)
      expect(res.status).toBe(401)
    }
    const basic = await me(undefined, { authorization: 'Basic dXNlcjpwYXNz' })
    expect(basic.status).toBe(401)
  })

  test('a token signed with another secret: 401', async () => {
    const account = await createAccount(ctx)
    const forged = await signToken(account.id, { secret: 'another-secret-entirely-0123456789' })
    expect((await me(forged)).status).toBe(401)
  })

  test('an unsigned token (alg none) claiming an admin: 401', async () => {
    const admin = await createAccount(ctx, 'admin')
    const now = Math.floor(Date.now() / 1000)
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${
      base64url({ sub: admin.id, role: 'admin', exp: now + 600 })}.`
    expect((await me(unsigned)).status).toBe(401)
  })

  test('the token of a deleted account: 401', async () => {
    const account = await createAccount(ctx)
    await ctx.database.db.delete(users).where(eq(users.id, account.id))

    const res = await me(account.token)
    expect(res.status).toBe(401)
  })

  test('a token whose subject is not an id: 401, not 500', async () => {
    const res = await me(await signToken("1' or '1'='1"))
    expect(res.status).toBe(401)

    const dashes = await me(await signToken('-'.repeat(36)))
    expect(dashes.status).toBe(401)
  })

  test('regression: a correctly signed token without an expiry is refused', async () => {
    const account = await createAccount(ctx)
    const forever = await new SignJWT({ sub: account.id })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(TEST_JWT_SECRET))
    expect((await me(forever)).status).toBe(401)
  })

  test('the role shown is the current one, not the one in the token', async () => {
    const account = await createAccount(ctx, 'customer')
    await ctx.database.db.update(users).set({ role: 'seller' }).where(eq(users.id, account.id))

    const res = await me(account.token)
    expect(res.body.user.role).toBe('seller')
  })
})
