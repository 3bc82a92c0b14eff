import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { DatabaseHandle } from '../db/client'

/**
 * Raw SQL and COPY on either driver, for bulk writes the query builder cannot express.
 * PostgreSQL streams COPY FROM STDIN over the untouched postgres.js client; the embedded
 * database reads the same text through PGlite's `/dev/blob`.
 */
export interface RawSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>
  /** Loads rows in COPY text format (tab-separated, `\N` for null, one row per line). */
  copyIn(table: string, columns: readonly string[], data: string): Promise<void>
}

export interface RawDatabase extends RawSession {
  transaction<T>(work: (session: RawSession) => Promise<T>): Promise<T>
  /** How many transactions may usefully run at once. */
  parallelism: number
}

export function rawDatabase(handle: DatabaseHandle): RawDatabase {
  if (handle.raw) return postgresRaw(handle.raw)
  if (handle.pglite) return pgliteRaw(handle.pglite)
  throw new Error('The database handle has neither a raw client nor an embedded instance')
}

type PostgresSql = NonNullable<DatabaseHandle['raw']>
type PostgresLike = Pick<PostgresSql, 'unsafe'>

function postgresSession(sql: PostgresLike): RawSession {
  return {
    query: async <T>(text: string, params: unknown[] = []) =>
      [...(await sql.unsafe(text, params as never[]))] as T[],
    async copyIn(table, columns, data) {
      const target = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`)
        .writable()
      await pipeline(Readable.from([data]), target)
    },
  }
}

function postgresRaw(sql: PostgresSql): RawDatabase {
  return {
    ...postgresSession(sql),
    parallelism: 4,
    transaction: (work) =>
      sql.begin((tx) => work(postgresSession(tx as unknown as PostgresLike))) as never,
  }
}

type Pglite = NonNullable<DatabaseHandle['pglite']>
type PgliteLike = Pick<Pglite, 'query'>

function pgliteSession(db: PgliteLike): RawSession {
  return {
    query: async <T>(text: string, params: unknown[] = []) =>
      (await db.query<T>(text, params)).rows,
    async copyIn(table, columns, data) {
      const statement = `copy ${table} (${columns.join(', ')}) from '/dev/blob'`
      await db.query(statement, [], { blob: new Blob([data]) })
    },
  }
}

function pgliteRaw(pglite: Pglite): RawDatabase {
  return {
    ...pgliteSession(pglite),
    parallelism: 1,
    transaction: (work) => pglite.transaction((tx) => work(pgliteSession(tx))),
  }
}

const copyEscapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** Escapes a value for COPY's text format. */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => copyEscapes[c]!) : value
}
