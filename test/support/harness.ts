import { SignJWT } from 'jose'
import { createApp } from '../../src/app'
import type { AppDeps } from '../../src/app-deps'
import { loadConfig, type Config } from '../../src/config'
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../src/db/client'
import { users, type UserRole } from '../../src/db/schema'
import { createLogger } from '../../src/shared/logger'

export const TEST_JWT_SECRET = 'test-secret-for-the-suite-only-0123456789'

/**
 * A fresh app over a migrated database: the embedded PostgreSQL in memory, or the
 * PostgreSQL of DATABASE_URL when set (shared, so tests create their own uniquely named data).
 */
export interface TestContext {
  app: ReturnType<typeof createApp>
  deps: AppDeps
  database: DatabaseHandle
  config: Config
  close(): Promise<void>
}

export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: process.env.DATABASE_URL,
    RATE_LIMIT_PER_ADDRESS: '1000',
    RATE_LIMIT_PER_ACCOUNT: '1000',
    ...env,
  })
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? config.dataDir : 'memory://',
    template: config.databaseUrl ? undefined : await migratedTemplate(),
  })
  await migrateDatabase(database)

  const deps: AppDeps = { config, database, logger: createLogger(config.logLevel) }
  return {
    app: createApp(deps),
    deps,
    database,
    config,
    close: () => database.close(),
  }
}

let template: Promise<Blob> | undefined

/**
 * A dump of a freshly migrated embedded database, made once per test process: restoring it
 * is much cheaper than replaying the migrations for every test file.
 */
function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const scratch = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://' })
    await migrateDatabase(scratch)
    const dump = await scratch.pglite!.dumpDataDir('none')
    await scratch.close()
    return dump
  })()
  return template
}

export interface TestResponse<T = any> {
  status: number
  body: T
  headers: Headers
}

export interface RequestOptions {
  body?: unknown
  token?: string
  headers?: Record<string, string>
  /** A raw body sent as is (with the content type of `headers`). */
  rawBody?: string
}

/** Sends a request through the app in-process and parses the JSON answer. */
export async function call<T = any>(
  ctx: TestContext,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...options.headers }
  let body: string | undefined = options.rawBody
  if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  if (body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(body))
  if (options.token) headers.authorization = `Bearer ${options.token}`

  const response = await ctx.app.handle(
    new Request(`http://localhost${path}`, { method, headers, body }),
  )
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    // Non-JSON answers (HTML pages) are returned as text.
  }
  return { status: response.status, body: parsed as T, headers: response.headers }
}

let counter = 0

// Real area codes: registration validates numbers with libphonenumber, which refuses
// unassigned ones such as +1 200 or N11 codes such as +1 211.
const areaCodes = ['202', '206', '212', '213', '214', '303', '305', '312', '404', '415',
  '503', '512', '602', '615', '617', '646', '702', '713', '718', '801']
const lineStart = Math.floor(Math.random() * 10_000)

/** A unique, valid E.164 number per call, so tests on a shared database never collide. */
export function uniquePhone(): string {
  counter += 1
  const area = areaCodes[Math.floor(Math.random() * areaCodes.length)]
  const exchange = 200 + Math.floor(Math.random() * 800)
  const line = String((lineStart + counter) % 10_000).padStart(4, '0')
  return `+1${area}${exchange}${line}`
}

export function uniqueEmail(prefix = 'user'): string {
  counter += 1
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}-${counter}@example.com`
}

export async function signToken(
  userId: string,
  options: { secret?: string; expiresInSeconds?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ sub: userId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET))
}

export interface TestAccount {
  id: string
  role: UserRole
  phone: string
  email: string
  name: string
  password: string
  token: string
}

/** Inserts an account straight into the database and signs a token for it. */
export async function createAccount(
  ctx: TestContext,
  role: UserRole = 'customer',
  overrides: Partial<{ name: string; phone: string | null; email: string }> = {},
): Promise<TestAccount> {
  const password = 'correct-horse-battery-1'
  const phone = overrides.phone === undefined ? uniquePhone() : overrides.phone
  const email = overrides.email ?? uniqueEmail(role)
  const name = overrides.name ?? `Test ${role}`

  const [row] = await ctx.database.db.insert(users).values({
    name,
    email,
    phone,
    role,
    // Cheap parameters: tests create many accounts and never measure hashing.
    passwordHash: await Bun.password.hash(password, {
      algorithm: 'argon2id', memoryCost: 4096, timeCost: 2,
    }),
  }).returning({ id: users.id })

  const id = row!.id
  return { id, role, phone: phone ?? '', email, name, password, token: await signToken(id) }
}
