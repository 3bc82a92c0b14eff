import type { DatabaseHandle } from '../db/client'
import { readPgliteSnapshot } from './snapshot-pglite'
import { readPostgresSnapshot } from './snapshot-postgres'
import type { BackupTable } from './tables'

/** Receives bytes holding whole backup lines; resolves when the bytes may be reused. */
export type LineSink = (lines: Buffer) => Promise<void>

/** Reads tables from one consistent snapshot of the database. */
export interface SnapshotReader {
  /** The planner's row estimate (for the progress bar); undefined when unknown. */
  estimateRows(table: BackupTable): Promise<number | undefined>
  /** Streams the table's rows as backup lines, never holding much more than a chunk. */
  readTable(table: BackupTable, sink: LineSink): Promise<void>
}

/**
 * Opens a read-only repeatable-read transaction (so every table is read as of one instant
 * while the API keeps writing) and hands a reader to `work`.
 */
export function withSnapshot<T>(
  database: DatabaseHandle,
  tables: readonly BackupTable[],
  signal: AbortSignal | undefined,
  work: (reader: SnapshotReader) => Promise<T>,
): Promise<T> {
  return database.kind === 'postgres'
    ? readPostgresSnapshot(database, tables, signal, work)
    : readPgliteSnapshot(database, signal, work)
}
