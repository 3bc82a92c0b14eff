import type { DatabaseHandle } from '../db/client'
import { AppError } from '../shared/errors'
import { restoreError } from './errors'
import type { LineMap } from './line-map'
import { withPgliteSession } from './load-pglite'
import { withPostgresSession } from './load-postgres'
import type { BackupColumn, BackupTable } from './tables'

/** One table being loaded with COPY, and where its rows came from. */
export interface CopyTarget {
  table: BackupTable
  columns: readonly BackupColumn[]
  /** The input's name and the source line of each row, for error messages. */
  file: string
  lines: LineMap
}

export interface CopySink {
  /** Queues `rows` whole COPY text lines; resolves when more may be written (backpressure). */
  write(text: string, rows: number): Promise<void>
  /** Ends the COPY; resolves with the number of rows the database loaded. */
  end(): Promise<number>
}

/** What a restore does inside its one transaction. */
export interface LoadSession {
  /**
   * Empties the tables in one statement (inside the transaction, so a rollback undoes it) and
   * readies them for a bulk load.
   */
  clear(tables: readonly BackupTable[]): Promise<void>
  copy(target: CopyTarget): Promise<CopySink>
  /** Ends the bulk load: whatever `clear` set aside is rebuilt and checked. */
  finishLoad(): Promise<void>
  /** Sets every serial column's sequence just past the largest value now in its table. */
  resetSequences(tables: readonly BackupTable[]): Promise<void>
  /** Runs a statement whose result is not needed. */
  run(statement: string): Promise<void>
  countRows(table: BackupTable): Promise<number>
}

export interface SessionOptions {
  /** False for a dry run: everything is done and checked, then rolled back. */
  commit: boolean
}

/**
 * Runs `work` in one transaction on the database; any error rolls everything back and leaves
 * the connection usable. Without `commit` the transaction is rolled back after `work`.
 */
export function withLoadSession<T>(
  database: DatabaseHandle,
  options: SessionOptions,
  work: (session: LoadSession) => Promise<T>,
): Promise<T> {
  return database.kind === 'postgres'
    ? withPostgresSession(database, options, work)
    : withPgliteSession(database, options, work)
}

/** Rolls a dry run back from inside the transaction; never leaves this module's callers. */
export class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super('dry run: rolled back')
  }
}

interface DatabaseErrorFields {
  message?: string
  detail?: string
  where?: string
  code?: string
}

/**
 * Turns a database error raised while loading into a message naming the file, the line (from
 * COPY's "line N" context; `firstRow` is the load-order index of that COPY's first row) and
 * the table. Errors without a line (a foreign key checked at the end) name the line range.
 */
export function loadError(
  error: unknown,
  target: CopyTarget,
  firstRow: number,
  lastRow: number,
): AppError {
  if (error instanceof AppError) return error

  const fields = (error ?? {}) as DatabaseErrorFields
  const context = /COPY [^,]+, line (\d+)(?:, column ([^:]+))?/.exec(fields.where ?? '')
  const copyLine = context ? Number(context[1]) : undefined
  const line = copyLine === undefined ? undefined : target.lines.lineOf(firstRow + copyLine - 1)
  const column = context?.[2] ? ` (column ${context[2]})` : ''
  const detail = fields.detail ? `: ${clip(fields.detail)}` : ''
  const message = `${fields.message ?? String(error)}${column}${detail}`

  const at = { file: target.file, table: target.table.name }
  if (line !== undefined) return restoreError({ ...at, line }, message)

  // A foreign key is checked when the COPY ends: keep the key so the line can be found.
  const missing = /^Key \(([^)]+)\)=\((.*)\) is not present in table/.exec(fields.detail ?? '')
  const key = missing ? { column: missing[1], value: missing[2] } : undefined
  return restoreError({ ...at, lines: target.lines.rangeOf(firstRow, lastRow) }, message, { key })
}

/** Database details can quote a whole row; a long one is cut to keep messages readable. */
function clip(text: string): string {
  return text.length > 400 ? `${text.slice(0, 400)}…` : text
}
