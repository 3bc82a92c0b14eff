import type { Transaction } from '@electric-sql/pglite'
import type { DatabaseHandle } from '../db/client'
import { sequenceResets } from './load-postgres'
import {
  DryRunRollback, loadError, type CopySink, type CopyTarget, type LoadSession, type SessionOptions,
} from './load-session'
import { quoteIdent } from './row-sql'

/** COPY text gathered before each load into the embedded database. */
const batchChars = 4 * 1024 * 1024

export async function withPgliteSession<T>(
  database: DatabaseHandle,
  options: SessionOptions,
  work: (session: LoadSession) => Promise<T>,
): Promise<T> {
  try {
    return await database.pglite!.transaction(async (tx) => {
      const result = await work(pgliteSession(tx))
      if (!options.commit) throw new DryRunRollback(result)
      return result
    })
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as T
    throw error
  }
}

function pgliteSession(tx: Transaction): LoadSession {
  return {
    async clear(tables) {
      await tx.exec(`truncate table ${tables.map((table) => quoteIdent(table.name)).join(', ')}`)
    },

    copy: async (target) => batchedCopy(tx, target),

    // The embedded database holds little data: its indexes and keys stay in place.
    async finishLoad() {},

    async resetSequences(tables) {
      for (const statement of sequenceResets(tables)) await tx.exec(statement)
    },

    async run(statement) {
      await tx.exec(statement)
    },

    async countRows(table) {
      const { rows } = await tx.query<{ count: number }>(
        `select count(*)::int as count from ${quoteIdent(table.name)}`,
      )
      return rows[0]?.count ?? 0
    },
  }
}

/**
 * The embedded database takes COPY input as a blob: rows are gathered into batches of a few
 * megabytes, each loaded by one COPY statement (inside the restore's transaction).
 */
function batchedCopy(tx: Transaction, target: CopyTarget): CopySink {
  const columns = target.columns.map((column) => quoteIdent(column.name)).join(', ')
  const statement = `copy ${quoteIdent(target.table.name)} (${columns}) from '/dev/blob'`
  let parts: string[] = []
  let chars = 0
  let rows = 0
  let loaded = 0

  const flush = async () => {
    if (rows === 0) return
    const blob = new Blob(parts)
    const firstRow = loaded
    parts = []
    chars = 0
    loaded += rows
    rows = 0
    try {
      await tx.query(statement, [], { blob })
    } catch (error) {
      throw loadError(error, target, firstRow, loaded - 1)
    }
  }

  return {
    async write(text, count) {
      parts.push(text)
      chars += text.length
      rows += count
      if (chars >= batchChars) await flush()
    },
    async end() {
      await flush()
      return loaded
    },
  }
}
