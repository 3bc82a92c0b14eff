import type { BackupColumn, BackupTable } from './tables'

/**
 * Session settings under which PostgreSQL's JSON output is exact and stable: timestamps in
 * UTC with every microsecond, floats with the shortest text that reads back to the same bits.
 */
export const snapshotSettings = [
  `set local timezone = 'UTC'`,
  'set local extra_float_digits = 3',
]

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * The SQL expression that renders one row as its backup line, a JSON array in the header's
 * column order. PostgreSQL builds the JSON itself. Numerics and bigints travel as strings so no
 * digit is lost to a JavaScript number; jsonb travels as its JSON text in a string, which keeps
 * every digit of its numbers and tells a JSON `null` apart from SQL NULL.
 */
export function rowLineSql(table: BackupTable): string {
  if (table.columns.length > 100) {
    throw new Error(`backup: ${table.name} has more columns than json_build_array accepts`)
  }
  return `json_build_array(${table.columns.map(columnSql).join(', ')})`
}

function columnSql(column: BackupColumn): string {
  const name = quoteIdent(column.name)
  const asText = column.kind === 'numeric' || column.kind === 'bigint' || column.kind === 'jsonb'
  return asText ? `${name}::text` : name
}
