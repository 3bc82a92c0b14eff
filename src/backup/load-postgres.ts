import type { Writable } from 'node:stream'
import type postgres from 'postgres'
import type { DatabaseHandle } from '../db/client'
import {
  DryRunRollback, loadError, type CopySink, type CopyTarget, type LoadSession, type SessionOptions,
} from './load-session'
import { quoteIdent } from './row-sql'
import type { BackupTable } from './tables'

/** How long the restore waits for the API's locks before giving up (rather than hanging). */
const lockTimeout = '30s'

export async function withPostgresSession<T>(
  database: DatabaseHandle,
  options: SessionOptions,
  work: (session: LoadSession) => Promise<T>,
): Promise<T> {
  try {
    const result = await database.raw!.begin(async (tx) => {
      await tx.unsafe(`set local lock_timeout = '${lockTimeout}'`)
      const copies = new OpenCopies()
      try {
        const result = await work(postgresSession(tx, copies))
        if (!options.commit) throw new DryRunRollback(result)
        return result
      } catch (error) {
        // postgres.js refuses every query (ROLLBACK included) while a COPY is open.
        copies.abortAll()
        throw error
      }
    })
    return result as T
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as T
    throw error
  }
}

/** The COPY streams not ended yet; a failure sends CopyFail on each so ROLLBACK can run. */
class OpenCopies {
  private readonly streams = new Set<Writable>()

  add(stream: Writable): void {
    this.streams.add(stream)
    stream.once('close', () => this.streams.delete(stream))
  }

  abortAll(): void {
    for (const stream of this.streams) stream.destroy(new Error('restore aborted'))
    this.streams.clear()
  }
}

function postgresSession(tx: postgres.TransactionSql, copies: OpenCopies): LoadSession {
  const targets = new Map<string, CopyTarget>()
  let rebuild: string[] = []

  return {
    async clear(tables) {
      await tx.unsafe(`truncate table ${tables.map((table) => quoteIdent(table.name)).join(', ')}`)
      rebuild = await setAsideForBulkLoad(tx, tables)
    },

    async copy(target) {
      targets.set(target.table.name, target)
      return openCopy(tx, target, copies)
    },

    async finishLoad() {
      for (const statement of rebuild) {
        try {
          await tx.unsafe(statement)
        } catch (error) {
          const target = targets.get((error as { table_name?: string }).table_name ?? '')
          throw target ? loadError(error, target, 0, target.lines.size - 1) : error
        }
      }
      rebuild = []
    },

    async resetSequences(tables) {
      for (const statement of sequenceResets(tables)) await tx.unsafe(statement)
    },

    async run(statement) {
      await tx.unsafe(statement)
    },

    async countRows(table) {
      const [row] = await tx.unsafe(`select count(*)::int as count from ${quoteIdent(table.name)}`)
      return Number(row?.count ?? 0)
    },
  }
}

/**
 * Drops the tables' non-unique indexes and foreign keys (inside the transaction) and returns
 * the statements that rebuild them, as pg_restore does for a full restore: one sort per index
 * and one join per key after the load cost far less than maintaining them row by row. Primary
 * keys and unique indexes stay, so a duplicate is still reported with its line.
 */
async function setAsideForBulkLoad(
  tx: postgres.TransactionSql,
  tables: readonly BackupTable[],
): Promise<string[]> {
  const names = tables.map((table) => table.name)
  const indexes = await tx<{ name: string; definition: string }[]>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class t on t.oid = i.indrelid
    where t.relnamespace = current_schema()::regnamespace and t.relname = any(${names})
      and not i.indisunique and not i.indisprimary`
  const keys = await tx<{ name: string; table: string; definition: string }[]>`
    select k.conname as name, k.conrelid::regclass::text as table,
      pg_get_constraintdef(k.oid) as definition
    from pg_constraint k join pg_class t on t.oid = k.conrelid
    where k.contype = 'f' and t.relnamespace = current_schema()::regnamespace
      and t.relname = any(${names})`

  for (const key of keys) {
    await tx.unsafe(`alter table ${key.table} drop constraint ${quoteIdent(key.name)}`)
  }
  for (const index of indexes) await tx.unsafe(`drop index ${index.name}`)

  return [
    ...indexes.map((index) => index.definition),
    ...keys.map((key) =>
      `alter table ${key.table} add constraint ${quoteIdent(key.name)} ${key.definition}`),
  ]
}

/** setval statements for every serial column of `tables`; shared with the embedded driver. */
export function sequenceResets(tables: readonly BackupTable[]): string[] {
  return tables.flatMap((table) => table.columns
    .filter((column) => column.serial)
    .map((column) => {
      const name = quoteIdent(table.name)
      const col = quoteIdent(column.name)
      const literal = `'${name.replaceAll("'", "''")}'`
      return `select setval(pg_get_serial_sequence(${literal}, '${column.name}'), ` +
        `coalesce(max(${col}), 0) + 1, false) from ${name}`
    }))
}

async function openCopy(
  tx: postgres.TransactionSql,
  target: CopyTarget,
  copies: OpenCopies,
): Promise<CopySink> {
  const columns = target.columns.map((column) => quoteIdent(column.name)).join(', ')
  const stream = await tx
    .unsafe(`copy ${quoteIdent(target.table.name)} (${columns}) from stdin`)
    .writable() as unknown as Writable & { count?: number }
  copies.add(stream)

  // The first error PostgreSQL reports (it stops reading the COPY there).
  let failure: unknown
  const failed = new Promise<never>((_, reject) => {
    stream.once('error', (error) => {
      failure = error
      reject(error)
    })
  })
  failed.catch(() => undefined)
  const raise = (): never => {
    throw loadError(failure, target, 0, target.lines.size - 1)
  }

  return {
    async write(text) {
      if (failure) raise()
      if (stream.write(Buffer.from(text))) return
      await Promise.race([new Promise((resolve) => stream.once('drain', resolve)), failed])
        .catch(raise)
    },

    async end() {
      if (failure) raise()
      const finished = new Promise((resolve) => stream.once('finish', resolve))
      stream.end()
      await Promise.race([finished, failed]).catch(raise)
      return Number(stream.count ?? target.lines.size)
    },
  }
}
