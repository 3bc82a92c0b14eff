import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { latestMigrationTag } from '../db/client'

const journalPath = resolve(import.meta.dir, '../../drizzle/meta/_journal.json')

/** The schema version backups are stamped with: the last migration this code applies. */
export function currentSchemaVersion(): string {
  return latestMigrationTag()
}

/** Every migration tag this code knows, oldest first. */
export function knownSchemaVersions(): string[] {
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] }
  return journal.entries.map((entry) => entry.tag)
}

/**
 * Whether a backup stamped `version` can be restored here: its migration must be one this
 * code has (a backup from newer code may hold columns or meanings this code lacks).
 */
export function isRestorableSchemaVersion(version: string): boolean {
  return knownSchemaVersions().includes(version)
}
