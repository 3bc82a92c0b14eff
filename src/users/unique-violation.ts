interface DriverError {
  code?: unknown
  constraint?: unknown
  constraint_name?: unknown
  cause?: unknown
}

/**
 * The constraint a unique violation (SQLSTATE 23505) hit, or undefined for any other error.
 * Drizzle wraps driver errors in `cause`; PGlite names the constraint `constraint`,
 * postgres.js `constraint_name`.
 */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as DriverError
    if (candidate.code === '23505') {
      const name = candidate.constraint_name ?? candidate.constraint
      return typeof name === 'string' ? name : ''
    }
    current = candidate.cause
  }
  return undefined
}
