import { AppError } from '../shared/errors'

/** Where in a backup file something went wrong. */
export interface SourcePosition {
  file: string
  line?: number
  /** A range when the database cannot say which line (a foreign key checked at the end). */
  lines?: { from: number; to: number }
  table?: string
}

/**
 * A problem with a backup's content or its load: the message names the file, the line and
 * the table so the operator can look at the exact place.
 */
export function restoreError(at: SourcePosition, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${describePosition(at)}: ${message}`, [
    { message, file: at.file, line: at.line, lines: at.lines, table: at.table },
  ])
}

export function describePosition(at: SourcePosition): string {
  const line = at.line !== undefined
    ? `:${at.line}`
    : at.lines ? `:${at.lines.from}-${at.lines.to}` : ''
  const table = at.table ? ` (table ${at.table})` : ''
  return `${at.file}${line}${table}`
}

/** Stops the work when the operator interrupts (Ctrl-C); the command exits with 130. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('UNAVAILABLE', 'Interrupted')
}
