import { loadConfig } from '../config'
import { openMigratedDatabase } from '../db/open'
import { createLogger } from '../shared/logger'

/** `bun run db:migrate`: applies pending migrations to the configured database. */
const config = loadConfig()
const logger = createLogger(config.logLevel)
const database = await openMigratedDatabase(config, logger)
await database.close()
