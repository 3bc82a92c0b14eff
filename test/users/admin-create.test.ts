import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { eq } from 'drizzle-orm'
import { createApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import { migrateDatabase, openDatabase } from '../../src/db/client'
import { users } from '../../src/db/schema'
import { createLogger } from '../../src/shared/logger'
import {
  call, TEST_JWT_SECRET, uniqueEmail, uniquePhone, type TestContext,
} from '../support/harness'

// Each run of the command opens and migrates a database in a new process.
setDefaultTimeout(60_000)

const command = resolve(import.meta.dir, '../../src/cli/admin-create.ts')
const workDir = mkdtempSync(join(tmpdir(), 'ae-admin-create-'))

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true })
})

interface Run {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs `bun src/cli/admin-create.ts` in a directory without a .env, with only the given
 * variables (plus PATH and HOME), and no terminal on stdin.
 */
async function adminCreate(env: Record<string, string>): Promise<Run> {
  const proc = Bun.spawn([process.execPath, command], {
    cwd: workDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? workDir, ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  return { code, stdout, stderr }
}

/** Where the command writes, and how the app reads the same database afterwards. */
interface Target {
  name: string
  env: Record<string, string>
  /** Opens the app on the target database; the caller closes it before the next run. */
  open(): Promise<TestContext>
}

async function openApp(env: Record<string, string>): Promise<TestContext> {
  const config = loadConfig({
    NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', ...env,
  })
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  await migrateDatabase(database)
  const deps = { config, database, logger: createLogger('silent') }
  return { app: createApp(deps), deps, database, config, close: () => database.close() }
}

const targets: Target[] = [{
  name: 'embedded PostgreSQL in a fresh DATA_DIR',
  env: { DATA_DIR: join(workDir, 'data') },
  open: () => openApp({ DATA_DIR: join(workDir, 'data') }),
}]
if (process.env.DATABASE_URL) {
  const env = { DATABASE_URL: process.env.DATABASE_URL }
  targets.push({ name: 'PostgreSQL of DATABASE_URL', env, open: () => openApp(env) })
}

/** Runs `work` against the target's database with the app, closing it afterwards. */
async function withApp<T>(target: Target, work: (ctx: TestContext) => Promise<T>): Promise<T> {
  const ctx = await target.open()
  try {
    return await work(ctx)
  } finally {
    await ctx.close()
  }
}

const login = (ctx: TestContext, phone: string, password: string) =>
  call(ctx, 'POST', '/api/users/login', { body: { phone, password } })

for (const target of targets) {
  describe(`bun run admin:create on the ${target.name}`, () => {
    test('creates an admin who can log in through the app; a rerun changes nothing', async () => {
      const phone = uniquePhone()
      const spaced = `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5)}`
      const env = {
        ...target.env,
        ADMIN_PHONE: spaced, ADMIN_NAME: 'Root Admin', ADMIN_PASSWORD: ' admin pass 123 ',
        ADMIN_EMAIL: uniqueEmail('Admin'),
      }

      const created = await adminCreate(env)
      expect(created.stderr).toBe('')
      expect(created.code).toBe(0)
      expect(created.stdout).toContain(`Created admin Root Admin (${phone}`)

      const again = await adminCreate(env)
      expect(again.code).toBe(0)
      expect(again.stdout).toContain('already an admin; nothing changed')

      await withApp(target, async (ctx) => {
        const res = await login(ctx, phone, ' admin pass 123 ')
        expect(res.status).toBe(200)
        expect(res.body.user.role).toBe('admin')
        expect(res.body.user.email).toBe(env.ADMIN_EMAIL.toLowerCase())

        const me = await call(ctx, 'GET', '/api/users/me', { token: res.body.token })
        expect(me.body.user.role).toBe('admin')
      })
    })

    test('an existing account is promoted only with ADMIN_PROMOTE=yes, keeping its password',
      promotesOnlyWhenAsked(target))

    test('an email that belongs to another account is refused', async () => {
      const email = uniqueEmail('taken')
      await withApp(target, async (ctx) => {
        await call(ctx, 'POST', '/api/users/register', {
          body: { name: 'Owner', password: 'owner-pass-1', email },
        })
      })

      const run = await adminCreate({
        ...target.env,
        ADMIN_PHONE: uniquePhone(),
        ADMIN_NAME: 'Root',
        ADMIN_PASSWORD: 'admin-pass-1',
        ADMIN_EMAIL: email,
      })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain('email address already exists')
      expect(run.stderr).not.toMatch(/\n\s+at /)
    })
  })
}

/** Registers a customer, then runs the command without and with ADMIN_PROMOTE=yes. */
function promotesOnlyWhenAsked(target: Target) {
  return async () => {
    const phone = uniquePhone()
    await withApp(target, async (ctx) => {
      const res = await call(ctx, 'POST', '/api/users/register', {
        body: { name: 'Shopper', password: 'shopper-pass-1', phone },
      })
      expect(res.status).toBe(201)
    })
    const env = {
      ...target.env, ADMIN_PHONE: phone, ADMIN_NAME: 'Ignored', ADMIN_PASSWORD: 'other-pass-1',
    }

    const refused = await adminCreate(env)
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('"Shopper", role customer')
    expect(refused.stdout).toContain('ADMIN_PROMOTE=yes')
    expect(refused.stderr).toContain('not changed')

    const promoted = await adminCreate({ ...env, ADMIN_PROMOTE: 'yes' })
    expect(promoted.code).toBe(0)
    expect(promoted.stdout).toContain('Promoted Shopper')

    await withApp(target, async (ctx) => {
      const res = await login(ctx, phone, 'shopper-pass-1')
      expect(res.status).toBe(200)
      expect(res.body.user.role).toBe('admin')
    })
  }
}

describe('bun run admin:create refuses bad input with a clear message', () => {
  const valid = {
    ADMIN_PHONE: '+1 212 555 0100', ADMIN_NAME: 'Root', ADMIN_PASSWORD: 'admin-pass-1',
  }
  const dataDir = { DATA_DIR: join(workDir, 'never-opened') }
  const cases: [string, Record<string, string>, string][] = [
    ['a phone without country code', { ADMIN_PHONE: '212 555 0100' }, 'phone: must be in'],
    ['a short password', { ADMIN_PASSWORD: 'short' }, 'password: must be 8 to 128'],
    ['a name of 101 characters', { ADMIN_NAME: 'n'.repeat(101) }, 'name: must be 1 to 100'],
    ['an invalid email', { ADMIN_EMAIL: 'root@' }, 'email: is not a valid'],
    ['an unknown ADMIN_PROMOTE', { ADMIN_PROMOTE: 'maybe' }, 'ADMIN_PROMOTE must be one of'],
    ['a bad configuration', { JWT_EXPIRES_IN: 'soon' }, 'JWT_EXPIRES_IN must look like'],
  ]

  for (const [title, change, message] of cases) {
    test(title, async () => {
      const run = await adminCreate({ ...dataDir, ...valid, ...change })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(message)
      expect(run.stderr).not.toMatch(/\n\s+at /)
    })
  }

  test('missing variables without a terminal are named', async () => {
    const run = await adminCreate({ ...dataDir, ADMIN_NAME: 'Root' })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('set ADMIN_PHONE, ADMIN_PASSWORD')
  })

  test('bad input writes nothing', async () => {
    const phone = uniquePhone()
    const target = targets[0]!
    const run = await adminCreate({
      ...target.env, ADMIN_PHONE: phone, ADMIN_NAME: 'Root', ADMIN_PASSWORD: 'x',
    })
    expect(run.code).toBe(1)

    await withApp(target, async (ctx) => {
      const rows = await ctx.database.db.select().from(users).where(eq(users.phone, phone))
      expect(rows).toHaveLength(0)
    })
  })
})

const script = Bun.which('script')

describe.skipIf(!script)('bun run admin:create on a terminal', () => {
  // The data directory of the first target, already migrated by the tests above.
  const dataDir = join(workDir, 'data')

  test('asks for phone, name and password without echoing the password', async () => {
    const phone = uniquePhone()
    const password = 'Terminal-Secret-42'
    // `script` gives the command a pseudo-terminal, as a person at a console would have.
    const shellCommand = [process.execPath, command].map((part) => `'${part}'`).join(' ')
    const proc = Bun.spawn([script!, '-qec', shellCommand, '/dev/null'], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? '', HOME: workDir, TERM: 'dumb', DATA_DIR: dataDir },
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const output = terminalOutput(proc.stdout)

    const answer = async (prompt: string, text: string) => {
      await output.waitFor(prompt)
      proc.stdin.write(`${text}\r`)
      await proc.stdin.flush()
    }
    await answer('Phone', phone)
    await answer('Name:', 'Console Admin')
    await answer('Password (8-128', password)
    await answer('Password again', password)

    expect(await proc.exited).toBe(0)
    const text = await output.all()
    expect(text).toContain('Created admin Console Admin')
    expect(text).not.toContain(password)

    await withApp({ name: 'terminal', env: {}, open: () => openApp({ DATA_DIR: dataDir }) },
      async (ctx) => {
        const res = await login(ctx, phone, password)
        expect(res.body.user?.role).toBe('admin')
      })
  })
})

/** Collects a stream's text and lets a test wait until some text has appeared. */
function terminalOutput(stream: ReadableStream<Uint8Array>) {
  let text = ''
  let cursor = 0
  const decoder = new TextDecoder()
  const done = (async () => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true })
  })()

  return {
    /** Waits for `needle` after the previous match, so each prompt is answered once. */
    async waitFor(needle: string, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while (text.indexOf(needle, cursor) < 0) {
        if (Date.now() > deadline) throw new Error(`no "${needle}" in: ${text}`)
        await Bun.sleep(20)
      }
      cursor = text.indexOf(needle, cursor) + needle.length
    },
    async all() {
      await done
      return text
    },
  }
}
