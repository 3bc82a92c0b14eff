import type { Database } from './client'

/**
 * Builds a hot path's statements once per database and hands back the same ones after:
 * drizzle then skips building the SQL for every request, and PostgreSQL skips planning it.
 */
export function preparedPerDatabase<T>(build: (db: Database) => T): (db: Database) => T {
  const built = new WeakMap<Database, T>()
  return (db) => {
    let statements = built.get(db)
    if (statements === undefined) {
      statements = build(db)
      built.set(db, statements)
    }
    return statements
  }
}
