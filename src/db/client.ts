import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { lockDataDir } from './data-dir-lock'
import * as schema from './schema'

/** The query builder both drivers share; code typed against it runs on either. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]

export interface DatabaseHandle {
  db: Database
  kind: 'postgres' | 'pglite'
  /** The connection string, for PostgreSQL. */
  url: string | undefined
  /**
   * A postgres.js client that drizzle never touched, for COPY and raw SQL (drizzle swaps the
   * type parsers of the client it wraps). Undefined on the embedded database.
   */
  raw: postgres.Sql | undefined
  /** The embedded instance, when that is the driver. */
  pglite: PGlite | undefined
  /** Subscribes to a LISTEN channel; returns the function that unsubscribes. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

export interface DatabaseOptions {
  databaseUrl: string | undefined
  dataDir: string
  /** Pool size for PostgreSQL. */
  maxConnections?: number
  /** For the embedded database: start from this dump of a data directory. */
  template?: Blob
}

const migrationsFolder = resolve(import.meta.dir, '../../drizzle')

/** Opens PostgreSQL when a URL is given, else the embedded PostgreSQL in `dataDir`. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.maxConnections ?? 10)
    : openPglite(options.dataDir, options.template)
}

async function openPostgres(url: string, max: number): Promise<DatabaseHandle> {
  const quiet = { onnotice: () => {} }
  const client = postgres(url, { max, ...quiet })
  const raw = postgres(url, { max: Math.max(2, Math.ceil(max / 4)), ...quiet })
  const db = drizzlePostgres(client, { schema }) as unknown as Database

  return {
    db,
    kind: 'postgres',
    url,
    raw,
    pglite: undefined,
    async listen(channel, onPayload) {
      const { unlisten } = await raw.listen(channel, onPayload)
      return unlisten
    },
    async close() {
      await Promise.all([client.end({ timeout: 5 }), raw.end({ timeout: 5 })])
    },
  }
}

async function openPglite(dataDir: string, template?: Blob): Promise<DatabaseHandle> {
  const inMemory = dataDir === 'memory://'
  const dir = inMemory ? dataDir : resolve(dataDir)
  if (!inMemory) mkdirSync(dirname(dir), { recursive: true })
  const unlock = inMemory ? () => {} : lockDataDir(dir)

  let pglite: PGlite
  try {
    pglite = await PGlite.create(dir, { extensions: { pg_trgm }, loadDataDir: template })
  } catch (error) {
    unlock()
    throw error
  }
  const db = drizzlePglite(pglite, { schema }) as unknown as Database

  return {
    db,
    kind: 'pglite',
    url: undefined,
    raw: undefined,
    pglite,
    async listen(channel, onPayload) {
      const unlisten = await pglite.listen(channel, onPayload)
      return () => unlisten()
    },
    async close() {
      await pglite.close()
      unlock()
    },
  }
}

/**
 * Applies pending migrations. On PostgreSQL an advisory lock keeps several processes
 * starting at once from racing each other through the same migration.
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder })
    return
  }

  // A dedicated one-connection client: the session-level lock and the migrator share it,
  // and drizzle may change its parsers without touching the pools the app uses.
  const client = postgres(handle.url!, { max: 1, onnotice: () => {} })
  try {
    await client`select pg_advisory_lock(727274)`
    await migratePostgres(drizzlePostgres(client), { migrationsFolder })
  } finally {
    await client.end({ timeout: 5 })
  }
}

/** The name of the last migration applied, used as the schema version of backups. */
export function latestMigrationTag(): string {
  const journal = require(resolve(migrationsFolder, 'meta/_journal.json')) as {
    entries: { tag: string }[]
  }
  return journal.entries.at(-1)?.tag ?? 'none'
}
