import { ConfigError } from './index'
import { EnvReader } from './env'

/** What `bun run admin:create` was given through the environment; missing fields are asked. */
export interface AdminSetup {
  phone: string | undefined
  name: string | undefined
  /** Taken exactly as set: leading or trailing spaces belong to the password. */
  password: string | undefined
  email: string | undefined
  /** ADMIN_PROMOTE=yes: an existing account with the phone may be made admin unasked. */
  promote: boolean
}

export function loadAdminSetup(env: Record<string, string | undefined> = process.env): AdminSetup {
  const read = new EnvReader(env)
  const promote = read.oneOf('ADMIN_PROMOTE', ['yes', 'no', 'true', 'false', '1', '0'], 'no')
  if (read.problems.length > 0) throw new ConfigError(read.problems)

  const password = env.ADMIN_PASSWORD
  return {
    phone: read.optional('ADMIN_PHONE'),
    name: read.optional('ADMIN_NAME'),
    password: password === undefined || password === '' ? undefined : password,
    email: read.optional('ADMIN_EMAIL'),
    promote: ['yes', 'true', '1'].includes(promote),
  }
}
