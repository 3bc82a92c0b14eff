import { EnvReader, parseDurationSeconds } from './env'

/** A well-known value for development only; production refuses to start with it. */
export const DEV_JWT_SECRET = 'dev-only-secret-change-me-in-production-0000'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

export interface Config {
  env: 'development' | 'production' | 'test'
  host: string
  port: number
  databaseUrl: string | undefined
  dataDir: string
  jwtSecret: string
  jwtExpiresInSeconds: number
  corsOrigins: string[]
  trustProxyHops: number
  bodyLimitBytes: number
  logLevel: LogLevel
  rateLimit: { windowSeconds: number; perAddress: number; perAccount: number }
  publicBaseUrl: string
  calling: {
    serviceUrl: string | undefined
    webhookSecret: string | undefined
    /** Timeout of one request to the calling service. */
    timeoutMs: number
    /** Pause between two steps of a simulated call (no CALLING_SERVICE_URL). */
    simulatorStepMs: number
  }
  gemini: {
    apiKey: string | undefined
    model: string
    baseUrl: string | undefined
    timeoutMs: number
  }
  orders: { taxRate: string; shippingFee: string; freeShippingOver: string }
  queue: { pollMs: number; maxAttempts: number }
  feed: {
    replayLimit: number
    clientQueueLimit: number
    /** How often open feed sockets have their accounts checked (deleted, no longer admin). */
    accountCheckMs: number
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
  }
}

/** Builds the typed configuration from an environment, listing every invalid field at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const read = new EnvReader(env)
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development')
  const production = nodeEnv === 'production'

  const jwtSecret = read.string('JWT_SECRET', DEV_JWT_SECRET)
  if (production && (jwtSecret === DEV_JWT_SECRET || jwtSecret.length < 32)) {
    read.problems.push('JWT_SECRET must be set to a random value of at least 32 characters')
  }

  const expiresRaw = read.string('JWT_EXPIRES_IN', '7d')
  const jwtExpiresInSeconds = parseDurationSeconds(expiresRaw)
  if (jwtExpiresInSeconds === undefined) {
    read.problems.push(`JWT_EXPIRES_IN must look like 3600, 15m, 12h or 7d, got "${expiresRaw}"`)
  }

  const corsOrigins = read.list('CORS_ORIGINS', production ? [] : ['*'])
  if (production && corsOrigins.includes('*')) {
    read.problems.push('CORS_ORIGINS may not contain * in production; list the origins')
  }

  const port = read.integer('PORT', 3000, 0, 65535)
  const host = read.string('HOST', '127.0.0.1')

  const config: Config = {
    env: nodeEnv,
    host,
    port,
    databaseUrl: read.url('DATABASE_URL'),
    dataDir: read.string('DATA_DIR', './data'),
    jwtSecret,
    jwtExpiresInSeconds: jwtExpiresInSeconds ?? 7 * 86400,
    corsOrigins,
    trustProxyHops: read.integer('TRUST_PROXY_HOPS', 0, 0, 10),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['debug', 'info', 'warn', 'error', 'silent'],
      nodeEnv === 'test' ? 'silent' : 'info',
    ),
    rateLimit: {
      windowSeconds: read.integer('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86400),
      perAddress: read.integer('RATE_LIMIT_PER_ADDRESS', 30, 1, 100000),
      perAccount: read.integer('RATE_LIMIT_PER_ACCOUNT', 10, 1, 100000),
    },
    publicBaseUrl: read.string('PUBLIC_BASE_URL', `http://127.0.0.1:${port}`),
    calling: {
      serviceUrl: read.url('CALLING_SERVICE_URL'),
      webhookSecret: read.optional('CALLING_WEBHOOK_SECRET'),
      timeoutMs: read.integer('CALLING_TIMEOUT_MS', 10000, 100, 120000),
      simulatorStepMs: read.integer('CALL_SIMULATOR_STEP_MS', 1500, 0, 60000),
    },
    gemini: {
      apiKey: read.optional('GEMINI_API_KEY'),
      model: read.string('GEMINI_MODEL', 'gemini-2.0-flash'),
      baseUrl: read.url('GEMINI_BASE_URL'),
      timeoutMs: read.integer('GEMINI_TIMEOUT_MS', 30000, 100, 600000),
    },
    orders: {
      taxRate: read.decimal('ORDER_TAX_RATE', '0.10'),
      shippingFee: read.decimal('ORDER_SHIPPING_FEE', '10.00'),
      freeShippingOver: read.decimal('ORDER_FREE_SHIPPING_OVER', '50.00'),
    },
    queue: {
      pollMs: read.integer('QUEUE_POLL_MS', 1000, 10, 60000),
      maxAttempts: read.integer('QUEUE_MAX_ATTEMPTS', 5, 1, 50),
    },
    feed: {
      replayLimit: read.integer('FEED_REPLAY_LIMIT', 1000, 1, 100_000),
      clientQueueLimit: read.integer('FEED_CLIENT_QUEUE_LIMIT', 1000, 10, 1_000_000),
      accountCheckMs: read.integer('FEED_ACCOUNT_CHECK_MS', 10_000, 50, 3_600_000),
    },
  }

  if (production && config.calling.serviceUrl && !config.calling.webhookSecret) {
    read.problems.push('CALLING_WEBHOOK_SECRET is required when CALLING_SERVICE_URL is set')
  }

  if (read.problems.length > 0) throw new ConfigError(read.problems)
  return config
}
