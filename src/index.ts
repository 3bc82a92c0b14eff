import { createApp } from './app'
import { ConfigError, loadConfig } from './config'
import { openMigratedDatabase } from './db/open'
import { startBackgroundWork } from './jobs/background'
import { createLogger } from './shared/logger'

export type { App } from './app'

async function main() {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  const database = await openMigratedDatabase(config, logger)

  const app = createApp({ config, database, logger }).listen({
    hostname: config.host,
    port: config.port,
    // A hard cap above the limit, so a body with a known length over the limit gets the
    // structured 413 of the pipeline rather than Bun's bare one.
    maxRequestBodySize: config.bodyLimitBytes * 2,
  })
  const worker = startBackgroundWork({ config, database, logger })
  logger.info('server.listening', {
    url: `http://${config.host}:${app.server?.port}`,
    env: config.env,
    docs: '/swagger',
  })

  const stop = async (signal: string) => {
    logger.info('server.stopping', { signal })
    // Closes open websockets (1001) too: Bun's graceful stop would wait for them forever.
    await app.stop(true)
    await worker.stop()
    await database.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    const message = error instanceof ConfigError ? error.message : String(error)
    process.stderr.write(JSON.stringify({
      level: 'error', time: new Date().toISOString(), event: 'server.start_failed', message,
    }) + '\n')
    process.exit(1)
  })
}
