import type { Config } from './config'
import type { DatabaseHandle } from './db/client'
import type { Logger } from './shared/logger'

/** What every part of the service is built from; created once at start. */
export interface AppDeps {
  config: Config
  database: DatabaseHandle
  logger: Logger
}
