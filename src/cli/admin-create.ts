/**
 * `bun run admin:create`: creates an admin account in the configured database (the same
 * DATABASE_URL / DATA_DIR setting as the server). Non-interactive with ADMIN_PHONE,
 * ADMIN_NAME and ADMIN_PASSWORD (ADMIN_EMAIL optional); on a terminal it asks for what is
 * missing, without echoing the password. Exits 1 with a one-line reason on bad input.
 */
import { loadConfig } from '../config'
import { loadAdminSetup, type AdminSetup } from '../config/admin'
import { openMigratedDatabase } from '../db/open'
import { createLogger } from '../shared/logger'
import { ensureAdmin, parseAdminAccount, type AdminOutcome } from '../users/admin'
import type { PublicUser } from '../users/service'

class UsageError extends Error {}

const interactive = Boolean(process.stdin.isTTY)

async function main(): Promise<void> {
  const config = loadConfig()
  const setup = loadAdminSetup()
  const account = parseAdminAccount(await complete(setup))

  const database = await openMigratedDatabase(config, createLogger('warn'))
  try {
    const outcome = await ensureAdmin(database.db, account, (existing) =>
      setup.promote ? Promise.resolve(true) : confirmPromotion(existing))
    if (outcome.kind === 'declined') throw new UsageError('the existing account was not changed')
    report(outcome)
  } finally {
    await database.close()
  }
}

/** Fills what the environment left out by asking on the terminal, or refuses without one. */
async function complete(setup: AdminSetup) {
  const missing = (['phone', 'name', 'password'] as const).filter((key) => !setup[key])
  if (missing.length > 0 && !interactive) {
    const names = missing.map((key) => `ADMIN_${key.toUpperCase()}`).join(', ')
    throw new UsageError(`set ${names} (or run on a terminal to be asked)`)
  }

  const phone = setup.phone ?? await ask('Phone (international, e.g. +14155550123): ')
  const name = setup.name ?? await ask('Name: ')
  const password = setup.password ?? await askPassword()
  return { phone, name, password, ...(setup.email ? { email: setup.email } : {}) }
}

async function askPassword(): Promise<string> {
  const password = await ask('Password (8-128 characters): ', { hidden: true })
  const again = await ask('Password again: ', { hidden: true })
  if (password !== again) throw new UsageError('the two passwords differ')
  return password
}

async function confirmPromotion(existing: PublicUser): Promise<boolean> {
  say(`An account with phone ${existing.phone} exists: "${existing.name}", role ${existing.role}.`)
  if (!interactive) {
    say('Set ADMIN_PROMOTE=yes to make that account an admin (it keeps its name and password).')
    return false
  }
  const answer = await ask('Make it an admin? It keeps its name and password. [y/N] ')
  return /^y(es)?$/i.test(answer.trim())
}

function report(outcome: Exclude<AdminOutcome, { kind: 'declined' }>): void {
  const { user } = outcome
  const who = `${user.name} (${user.phone}, id ${user.id})`
  const messages = {
    created: `Created admin ${who}.`,
    promoted: `Promoted ${who} to admin.`,
    'already-admin': `${who} is already an admin; nothing changed.`,
  }
  say(messages[outcome.kind])
}

/**
 * The message alone, never a stack: bad configuration (ConfigError), bad input (AppError
 * naming the field), a refused promotion (UsageError) or an unreachable database.
 */
function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function say(line: string): void {
  process.stdout.write(`${line}\n`)
}

// Terminal input: characters are collected into lines as they arrive, so answers pasted
// together are not lost; with `hidden` the terminal is in raw mode and echoes nothing.

const lines: string[] = []
let current = ''
let afterCarriageReturn = false

async function ask(question: string, options: { hidden?: boolean } = {}): Promise<string> {
  process.stdout.write(question)
  const hidden = options.hidden ?? false
  if (hidden) process.stdin.setRawMode(true)

  try {
    return await nextLine()
  } finally {
    if (hidden) {
      process.stdin.setRawMode(false)
      process.stdout.write('\n')
    }
  }
}

function take(chunk: Buffer | string): void {
  for (const char of chunk.toString()) {
    if (char === '\u0003') throw new UsageError('cancelled')

    const skip = afterCarriageReturn && char === '\n'
    afterCarriageReturn = char === '\r'
    if (skip) continue

    if (char === '\r' || char === '\n') {
      lines.push(current)
      current = ''
    } else if (char === '\u007f' || char === '\b') {
      current = current.slice(0, -1)
    } else {
      current += char
    }
  }
}

function nextLine(): Promise<string> {
  const stdin = process.stdin
  const ready = lines.shift()
  if (ready !== undefined) return Promise.resolve(ready)

  return new Promise((resolve, reject) => {
    const finish = (outcome: () => void) => {
      stdin.off('data', onData)
      stdin.off('end', onEnd)
      stdin.pause()
      outcome()
    }
    const onEnd = () => finish(() => reject(new UsageError('input ended before an answer')))
    const onData = (chunk: Buffer | string) => {
      try {
        take(chunk)
      } catch (error) {
        return finish(() => reject(error))
      }
      const line = lines.shift()
      if (line !== undefined) finish(() => resolve(line))
    }

    stdin.on('data', onData)
    stdin.on('end', onEnd)
    stdin.resume()
  })
}

try {
  await main()
} catch (error) {
  process.stderr.write(`admin:create: ${reason(error)}\n`)
  process.exit(1)
}
process.exit(0)
