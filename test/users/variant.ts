import { createApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import { TEST_JWT_SECRET, type TestContext } from '../support/harness'

/**
 * The same database under an app built from other settings (rate limits, token expiry):
 * much cheaper than a second test context with its own embedded database.
 */
export function withSettings(ctx: TestContext, env: Record<string, string>): TestContext {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    DATABASE_URL: ctx.config.databaseUrl,
    RATE_LIMIT_PER_ADDRESS: '1000',
    RATE_LIMIT_PER_ACCOUNT: '1000',
    ...env,
  })
  const deps = { ...ctx.deps, config }
  return { ...ctx, app: createApp(deps), deps, config, close: async () => {} }
}
