import type { Config } from '../config'
import type { Logger } from '../shared/logger'
import { migrateDatabase, openDatabase, type DatabaseHandle } from './client'

/** Opens the configured database and brings its schema up to date. */
export async function openMigratedDatabase(
  config: Config,
  logger: Logger,
  maxConnections?: number,
): Promise<DatabaseHandle> {
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections,
  })
  await migrateDatabase(handle)
  logger.info('database.ready', {
    driver: handle.kind,
    ...(handle.kind === 'pglite' ? { dataDir: config.dataDir } : {}),
  })
  return handle
}
