import { is } from 'drizzle-orm'
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core'
import * as schema from '../db/schema'

/** How a column's value is written in a backup line and read back. */
export type ColumnKind =
  | 'text' | 'integer' | 'bigint' | 'numeric' | 'float' | 'boolean' | 'timestamptz' | 'jsonb'

export interface BackupColumn {
  name: string
  /** The PostgreSQL type, as written in the header (documentation and a cross-check). */
  type: string
  kind: ColumnKind
  /** A bigserial/serial column: its sequence is reset after a restore. */
  serial: boolean
}

export interface BackupTable {
  name: string
  columns: BackupColumn[]
  /** Tables this one references; they are written and loaded before it. */
  parents: string[]
}

const kindOfColumnType: Record<string, ColumnKind> = {
  PgUUID: 'text',
  PgText: 'text',
  PgVarchar: 'text',
  PgEnumColumn: 'text',
  PgInteger: 'integer',
  PgSmallInt: 'integer',
  PgSerial: 'integer',
  PgBigInt53: 'bigint',
  PgBigInt64: 'bigint',
  PgBigSerial53: 'bigint',
  PgBigSerial64: 'bigint',
  PgNumeric: 'numeric',
  PgDoublePrecision: 'float',
  PgReal: 'float',
  PgBoolean: 'boolean',
  PgTimestamp: 'timestamptz',
  PgJsonb: 'jsonb',
}

const serialColumnTypes = new Set(['PgSerial', 'PgBigSerial53', 'PgBigSerial64'])

/**
 * Every table of the schema, parents before children (foreign keys decide; ties keep the
 * schema's order). Jobs and call events are included on purpose: a queued call or analysis is
 * part of the state the domain rows expect, so a restore behaves like recovery from a crash at
 * the moment of the snapshot (see docs/backup.md).
 */
export const backupTables: readonly BackupTable[] = orderByDependencies(describeSchema())

export function findBackupTable(name: string): BackupTable | undefined {
  return backupTables.find((table) => table.name === name)
}

function describeSchema(): BackupTable[] {
  const tables: PgTable[] = Object.values(schema as Record<string, unknown>)
    .filter((value): value is PgTable => is(value, PgTable))
  return tables.map((table) => {
    const config = getTableConfig(table)
    const parents = config.foreignKeys
      .map((key) => getTableConfig(key.reference().foreignTable).name)
      .filter((name) => name !== config.name)

    return {
      name: config.name,
      parents: [...new Set(parents)],
      columns: config.columns.map((column) => describeColumn(config.name, column)),
    }
  })
}

function describeColumn(
  table: string,
  column: { name: string; columnType: string; getSQLType(): string },
): BackupColumn {
  const kind = kindOfColumnType[column.columnType]
  if (!kind) {
    // A new column type needs an encoding decision before backups can include it.
    throw new Error(`backup: no encoding for ${table}.${column.name} (${column.columnType})`)
  }
  const type = column.getSQLType()
  if (kind === 'timestamptz' && !type.includes('with time zone')) {
    throw new Error(`backup: ${table}.${column.name} must be timestamptz, got ${type}`)
  }
  return { name: column.name, type, kind, serial: serialColumnTypes.has(column.columnType) }
}

function orderByDependencies(tables: BackupTable[]): BackupTable[] {
  const ordered: BackupTable[] = []
  const placed = new Set<string>()

  while (ordered.length < tables.length) {
    const next = tables.find((table) =>
      !placed.has(table.name) && table.parents.every((parent) => placed.has(parent)))
    if (!next) throw new Error('backup: the foreign keys of the schema form a cycle')

    ordered.push(next)
    placed.add(next.name)
  }
  return ordered
}
