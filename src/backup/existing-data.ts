import type { DatabaseHandle } from '../db/client'
import { quoteIdent } from './row-sql'
import { backupTables } from './tables'

/** Whether any table holds a row: restoring over data needs the operator's consent. */
export async function databaseHoldsData(database: DatabaseHandle): Promise<boolean> {
  const checks = backupTables
    .map((table) => `exists (select 1 from ${quoteIdent(table.name)})`)
    .join(' or ')
  const statement = `select (${checks}) as holds`

  if (database.kind === 'postgres') {
    const [row] = await database.raw!.unsafe(statement)
    return row?.holds === true
  }
  const { rows } = await database.pglite!.query<{ holds: boolean }>(statement)
  return rows[0]?.holds === true
}
