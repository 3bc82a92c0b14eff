import type { Transaction } from '@electric-sql/pglite'
import type { DatabaseHandle } from '../db/client'
import { throwIfAborted } from './errors'
import { quoteIdent, rowLineSql, snapshotSettings } from './row-sql'
import type { LineSink, SnapshotReader } from './snapshot'
import type { BackupTable } from './tables'

/** Rows fetched per round trip from the cursor. */
const fetchRows = 2000

/**
 * The embedded database has no COPY TO STDOUT stream; a cursor inside one read-only
 * repeatable-read transaction gives the same snapshot and the same lines (the SQL that
 * renders a row is shared with PostgreSQL) in bounded batches.
 */
export async function readPgliteSnapshot<T>(
  database: DatabaseHandle,
  signal: AbortSignal | undefined,
  work: (reader: SnapshotReader) => Promise<T>,
): Promise<T> {
  return database.pglite!.transaction(async (tx) => {
    await tx.exec('set transaction isolation level repeatable read, read only')
    for (const setting of snapshotSettings) await tx.exec(setting)

    return work({
      async estimateRows(table) {
        const { rows } = await tx.query<{ estimate: number }>(
          'select reltuples::float8 as estimate from pg_class where oid = $1::regclass',
          [quoteIdent(table.name)],
        )
        const estimate = rows[0]?.estimate ?? 0
        return estimate > 0 ? Math.round(estimate) : undefined
      },
      readTable: (table, sink) => readWithCursor(tx, table, sink, signal),
    })
  })
}

async function readWithCursor(
  tx: Transaction,
  table: BackupTable,
  sink: LineSink,
  signal: AbortSignal | undefined,
): Promise<void> {
  await tx.exec(
    `declare backup_rows no scroll cursor for ` +
    `select ${rowLineSql(table)}::text as line from ${quoteIdent(table.name)}`,
  )
  for (;;) {
    throwIfAborted(signal)
    const { rows } = await tx.query<{ line: string }>(`fetch ${fetchRows} from backup_rows`)
    if (rows.length === 0) break

    let text = ''
    for (const row of rows) text += `${row.line}\n`
    await sink(Buffer.from(text))
  }
  await tx.exec('close backup_rows')
}
