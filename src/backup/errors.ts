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
export function restoreError(
  at: SourcePosition,
  message: string,
  extra: Record<string, unknown> = {},
): AppError {
  return new AppError('VALIDATION_FAILED', `${describePosition(at)}: ${message}`, [
    { ...extra, message, file: at.file, line: at.line, lines: at.lines, table: at.table },
  ])
}

/**
 * Adds the table being loaded to an error raised where the table was unknown (the line reader
 * knows lines, not tables).
 */
export function withTable(error: unknown, table: string | undefined): unknown {
  const detail = error instanceof AppError ? error.details?.[0] : undefined
  if (!table || !detail || detail.table !== undefined || typeof detail.file !== 'string') {
    return error
  }
  const at: SourcePosition = {
    file: detail.file,
    line: detail.line as number | undefined,
    lines: detail.lines as SourcePosition['lines'],
    table,
  }
  return restoreError(at, detail.message)
}

export function describePosition(at: SourcePosition): string {
  const line = at.line !== undefined
    ? `:${at.line}`
    : at.lines ? `:${at.lines.from}-${at.lines.to}` : ''
  const table = at.table ? ` (table ${at.table})` : ''
  return `${at.file}${line}${table}`
}

const interrupted = () => new AppError('UNAVAILABLE', 'Interrupted')

/** Stops the work when the operator interrupts (Ctrl-C); the command exits with 130. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw interrupted()
}

/** Waits for `work`, but gives up as soon as the operator interrupts. */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work
  throwIfAborted(signal)
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(interrupted())
    signal.addEventListener('abort', abort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}
