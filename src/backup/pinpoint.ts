import { AppError } from '../shared/errors'
import { restoreError } from './errors'
import type { PlannedTable } from './format'
import { openBackupInput } from './input'
import { LineReader } from './line-reader'

/**
 * PostgreSQL checks foreign keys when a COPY ends, so its error names a key but no line. When
 * the backup is a file (it can be read again), this finds the line holding that key, so the
 * error points at it; otherwise the error keeps the table's line range.
 */
export async function pinpointMissingKey(
  error: unknown,
  path: string,
  plan: readonly PlannedTable[],
): Promise<unknown> {
  const detail = error instanceof AppError ? error.details?.[0] : undefined
  const key = detail?.key as { column: string; value: string } | undefined
  const lines = detail?.lines as { from: number; to: number } | undefined
  const planned = plan.find((entry) => entry.table.name === detail?.table)
  const column = planned?.columns.findIndex((entry) => entry.name === key?.column) ?? -1
  if (path === '-' || !key || !lines || !planned || column === -1) return error

  try {
    const line = await findLine(path, lines, (row) => row[column] === key.value)
    if (line === undefined) return error
    return restoreError({ file: detail!.file as string, line, table: planned.table.name },
      detail!.message)
  } catch {
    return error
  }
}

async function findLine(
  path: string,
  range: { from: number; to: number },
  matches: (row: unknown[]) => boolean,
): Promise<number | undefined> {
  const input = await openBackupInput(path)
  const reader = new LineReader({ file: input.name })

  for await (const batch of reader.batches(input.chunks)) {
    for (let index = 0; index < batch.lines.length; index++) {
      const number = batch.firstLine + index
      if (number > range.to) return undefined
      if (number < range.from) continue

      const row = JSON.parse(batch.lines[index]!) as unknown
      if (Array.isArray(row) && matches(row)) return number
    }
  }
  return undefined
}
