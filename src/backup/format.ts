import { restoreError, type SourcePosition } from './errors'
import { currentSchemaVersion, isRestorableSchemaVersion } from './schema-version'
import { findBackupTable, type BackupColumn, type BackupTable } from './tables'

/**
 * The backup format, version 1 (documented in docs/backup.md): NDJSON with
 *   1. a header line: format, version, creation time, schema version, tables and columns;
 *   2. per table, in dependency order, a `{"table": name}` line then one JSON array per row;
 *   3. a footer line `{"end": true, "rows": {...}, "sha256": ...}` whose checksum covers every
 *      byte before it.
 */
export const FORMAT_NAME = 'amazon-eye-backup'
export const FORMAT_VERSION = 1

/** Longest line written or read; keeps memory flat whatever a row holds. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024

/** How the footer line starts; the checksum stops there. */
export const FOOTER_PREFIX = '{"end":'

export interface HeaderTable {
  name: string
  columns: { name: string; type: string }[]
}

export interface BackupHeader {
  format: string
  version: number
  createdAt: string
  schemaVersion: string
  tables: HeaderTable[]
}

export interface BackupFooter {
  end: true
  rows: Record<string, number>
  sha256: string
}

/** A table of the backup matched with the table of this code's schema. */
export interface PlannedTable {
  table: BackupTable
  /** The backup's columns, in the order its rows list them. */
  columns: BackupColumn[]
}

export function headerLine(tables: readonly BackupTable[], createdAt: Date): string {
  const header: BackupHeader = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    createdAt: createdAt.toISOString(),
    schemaVersion: currentSchemaVersion(),
    tables: tables.map((table) => ({
      name: table.name,
      columns: table.columns.map(({ name, type }) => ({ name, type })),
    })),
  }
  return `${JSON.stringify(header)}\n`
}

export function tableLine(name: string): string {
  return `${JSON.stringify({ table: name })}\n`
}

export function footerLine(rows: Record<string, number>, sha256: string): string {
  const footer: BackupFooter = { end: true, rows, sha256 }
  return `${JSON.stringify(footer)}\n`
}

/** Checks the header before anything is touched; returns the tables to load, in order. */
export function planFromHeader(value: unknown, at: SourcePosition): PlannedTable[] {
  const header = value as Partial<BackupHeader> | null
  if (typeof header !== 'object' || header === null || header.format !== FORMAT_NAME) {
    throw restoreError(at,
      `not an Amazon Eye backup (the first line has no "format": "${FORMAT_NAME}")`)
  }
  if (header.version !== FORMAT_VERSION) {
    throw restoreError(at, `format version ${String(header.version)} is not supported ` +
      `(this code reads ${FORMAT_VERSION})`)
  }
  const schemaVersion = header.schemaVersion
  if (typeof schemaVersion !== 'string' || !isRestorableSchemaVersion(schemaVersion)) {
    throw restoreError(at, `the backup's schema version ${JSON.stringify(schemaVersion)} is ` +
      `newer than this code's (${currentSchemaVersion()}): upgrade the code first`)
  }
  if (!Array.isArray(header.tables)) throw restoreError(at, 'the header lists no tables')

  const planned = header.tables.map((entry) => planTable(entry, at))
  checkOrder(planned, at)
  return planned
}

function planTable(entry: Partial<HeaderTable>, at: SourcePosition): PlannedTable {
  const table = typeof entry?.name === 'string' ? findBackupTable(entry.name) : undefined
  if (!table) throw restoreError(at, `unknown table ${JSON.stringify(entry?.name)} in the header`)
  if (!Array.isArray(entry.columns)) {
    throw restoreError({ ...at, table: table.name }, 'the header lists no columns')
  }

  const columns = entry.columns.map((column) => {
    const current = table.columns.find((candidate) => candidate.name === column?.name)
    if (!current) {
      throw restoreError({ ...at, table: table.name },
      `unknown column ${JSON.stringify(column?.name)}`)
    }
    if (current.type !== column.type) {
      throw restoreError({ ...at, table: table.name },
        `column ${current.name} is ${column.type} in the backup but ${current.type} here`)
    }
    return current
  })
  if (new Set(columns).size !== columns.length) {
    throw restoreError({ ...at, table: table.name }, 'a column is listed twice')
  }
  return { table, columns }
}

/** Parents must come before children, or loading would trip the foreign keys. */
function checkOrder(planned: PlannedTable[], at: SourcePosition): void {
  const seen = new Set<string>()
  for (const { table } of planned) {
    if (seen.has(table.name)) throw restoreError(at, `table ${table.name} is listed twice`)

    const missing = table.parents.find((parent) =>
      !seen.has(parent) && planned.some((other) => other.table.name === parent))
    if (missing) {
      throw restoreError(at, `table ${table.name} is listed before its parent ${missing}`)
    }
    seen.add(table.name)
  }
}

/** Reads the footer's counts and checksum. */
export function parseFooter(value: unknown, at: SourcePosition): BackupFooter {
  const footer = value as Partial<BackupFooter> | null
  const rowsOk = typeof footer?.rows === 'object' && footer.rows !== null &&
    Object.values(footer.rows).every((count) => Number.isSafeInteger(count) && count >= 0)
  if (footer?.end !== true || !rowsOk || typeof footer.sha256 !== 'string') {
    throw restoreError(at, 'the last line is not a valid summary ({"end": true, "rows", "sha256"})')
  }
  return footer as BackupFooter
}
