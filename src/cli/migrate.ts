import { loadConfig } from '../config'
import { openMigratedDatabase } from '../db/open'
import { createLogger } from '../shared/logger'

/** `bun run db:migrate`: applies pending migrations to the configured database. */
try {
  const config = loadConfig()
  const database = await openMigratedDatabase(config, createLogger(config.logLevel))
  await database.close()
} catch (error) {
  process.stderr.write(`db:migrate failed: ${error instanceof Error ? error.message : error}\n`)
  process.exit(1)
}
