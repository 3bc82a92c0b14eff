import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { writeBackup } from '../../src/backup/backup'
import { openBackupInput } from '../../src/backup/input'
import { openBackupOutput } from '../../src/backup/output'
import { prepareRestore, type RestoreOptions, type RestoreResult } from '../../src/backup/restore'
import { quoteIdent } from '../../src/backup/row-sql'
import { backupTables } from '../../src/backup/tables'
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../src/db/client'

export type Driver = 'pglite' | 'postgres'

/** The embedded database always; PostgreSQL too when DATABASE_URL points at a server. */
export const drivers: Driver[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']

/** The driver the command-line tests spawn against. */
export const commandDriver: Driver = process.env.DATABASE_URL ? 'postgres' : 'pglite'

/**
 * A database of its own for one test: on PostgreSQL a freshly created `ae_backup_<random>`
 * (never the shared test database: restores empty every table), on the embedded driver an
 * in-memory instance or a directory.
 */
export interface Scratch {
  database: DatabaseHandle
  /** Environment for a command run against this database (the test's handle closed). */
  env: Record<string, string>
  /** Closes the test's handle so a spawned command can open the database. */
  release(): Promise<void>
  /** Opens the test's handle again after `release`. */
  reopen(): Promise<DatabaseHandle>
  drop(): Promise<void>
}

export async function createScratch(driver: Driver, options: { onDisk?: boolean } = {}) {
  return driver === 'postgres' ? postgresScratch() : pgliteScratch(options.onDisk ?? false)
}

function adminUrl(): string {
  const url = new URL(process.env.DATABASE_URL!)
  url.pathname = '/postgres'
  return url.toString()
}

async function postgresScratch(): Promise<Scratch> {
  const name = `ae_backup_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()

  const url = new URL(process.env.DATABASE_URL!)
  url.pathname = `/${name}`
  const open = async () => {
    const handle = await openDatabase({
      databaseUrl: url.toString(), dataDir: '', maxConnections: 4,
    })
    await migrateDatabase(handle)
    return handle
  }

  return scratchOf(open, { DATABASE_URL: url.toString(), DATA_DIR: '' }, async () => {
    const dropper = postgres(adminUrl(), { max: 1, onnotice: () => {} })
    await dropper.unsafe(`drop database if exists ${name} with (force)`)
    await dropper.end()
  })
}

async function pgliteScratch(onDisk: boolean): Promise<Scratch> {
  const dir = onDisk ? await mkdtemp(join(tmpdir(), 'ae-backup-db-')) : undefined
  const open = async () => {
    const handle = await openDatabase({ databaseUrl: undefined, dataDir: dir ?? 'memory://' })
    await migrateDatabase(handle)
    return handle
  }

  return scratchOf(open, { DATABASE_URL: '', DATA_DIR: dir ?? '' }, async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })
}

/** A scratch database: `open` (re)opens it, `remove` deletes it once it is closed. */
async function scratchOf(
  open: () => Promise<DatabaseHandle>,
  env: Record<string, string>,
  remove: () => Promise<void>,
): Promise<Scratch> {
  const scratch: Scratch = {
    database: await open(),
    env,
    release: () => scratch.database.close(),
    async reopen() {
      scratch.database = await open()
      return scratch.database
    },
    async drop() {
      await scratch.database.close().catch(() => undefined)
      await remove()
    },
  }
  return scratch
}

/** Runs SQL whose result is rows of one column, on either driver. */
export async function queryColumn<T = unknown>(
  database: DatabaseHandle,
  statement: string,
): Promise<T[]> {
  if (database.kind === 'postgres') {
    const rows = await database.raw!.unsafe(statement)
    return rows.map((row) => Object.values(row)[0] as T)
  }
  const { rows } = await database.pglite!.query<Record<string, T>>(statement)
  return rows.map((row) => Object.values(row)[0] as T)
}

export async function execute(database: DatabaseHandle, statement: string): Promise<void> {
  if (database.kind === 'postgres') await database.raw!.unsafe(statement)
  else await database.pglite!.exec(statement)
}

/**
 * Every row of every table in PostgreSQL's own text form (the record's output: exact numerics,
 * NULL apart from '', timestamps in UTC with microseconds), sorted. Independent of the backup
 * encoding, so comparing two dumps compares the data itself.
 */
export async function dumpAll(database: DatabaseHandle): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {}
  for (const table of backupTables) {
    const statement = `select t::text as row from ${quoteIdent(table.name)} t order by 1`
    dump[table.name] = await inUtc(database, statement)
  }
  return dump
}

async function inUtc(database: DatabaseHandle, statement: string): Promise<string[]> {
  if (database.kind === 'postgres') {
    return database.raw!.begin(async (tx) => {
      await tx.unsafe(`set local timezone = 'UTC'`)
      await tx.unsafe('set local extra_float_digits = 3')
      const rows = await tx.unsafe(statement)
      return rows.map((row) => String(row.row))
    }) as Promise<string[]>
  }
  await database.pglite!.exec(`set timezone = 'UTC'; set extra_float_digits = 3`)
  const { rows } = await database.pglite!.query<{ row: string }>(statement)
  return rows.map((row) => row.row)
}

export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'ae-backup-'))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/** Backs `database` up into `file` through the service. */
export async function backupTo(database: DatabaseHandle, file: string, gzip = false) {
  return writeBackup(database, await openBackupOutput(file, { gzip }))
}

/** Restores `file` into `database` through the service. */
export async function restoreFrom(
  database: DatabaseHandle,
  file: string,
  options: Partial<RestoreOptions> = {},
): Promise<RestoreResult> {
  const prepared = await prepareRestore(await openBackupInput(file))
  return prepared.run(database, { dryRun: false, ...options })
}

const root = join(import.meta.dir, '../..')

function commandLine(script: 'backup' | 'restore', args: string[]): string[] {
  return ['bun', join(root, `src/cli/${script}.ts`), ...args]
}

/** Starts one of the commands with the given environment; stdout and stderr are piped. */
export function spawnCli(
  script: 'backup' | 'restore',
  args: string[],
  env: Record<string, string>,
) {
  return Bun.spawn(commandLine(script, args), {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
}

/**
 * Runs one of the commands to its end and collects its output. `wrap` turns the command line
 * into another (to run it under a shell with limits).
 */
export async function runCli(
  script: 'backup' | 'restore',
  args: string[],
  env: Record<string, string>,
  stdin?: ReadableStream,
  cwd = root,
  wrap: (command: string[]) => string[] = (command) => command,
) {
  await mkdir(cwd, { recursive: true })
  const child = Bun.spawn(wrap(commandLine(script, args)), {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdin: stdin ?? 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).arrayBuffer(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  return { exitCode, stdout: new Uint8Array(stdout), stderr }
}
