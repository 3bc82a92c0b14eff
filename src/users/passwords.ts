/**
 * How new hashes are made: argon2id with 19 MiB and two passes, OWASP's recommended minimum.
 * Bun's default (64 MiB) took about 120 ms of a core per login here, which let a burst of
 * logins queue for tens of seconds on a small machine; hashes made with it still verify.
 */
const current = { algorithm: 'argon2id', memoryCost: 19_456, timeCost: 2 } as const

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, current)
}

/**
 * Checks a password against a stored hash: argon2id from this service, or bcrypt
 * (`$2b$10$...`) from the older version. A hash Bun cannot read counts as a mismatch.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await Bun.password.verify(password, hash)
  } catch {
    return false
  }
}

/** True for hashes that should be replaced by an argon2id hash on the next login. */
export function needsRehash(hash: string): boolean {
  return !hash.startsWith('$argon2id$')
}

let dummy: Promise<string> | undefined

/**
 * Spends the time of a real verification when there is no account, so answer times do not
 * reveal which phone numbers or emails are registered.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword(crypto.randomUUID())
  await verifyPassword(password, await dummy)
  return false
}
