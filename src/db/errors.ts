const UNIQUE_VIOLATION = '23505'

// Drizzle wraps driver errors in `cause`, and a transaction may wrap once more.
const MAX_WRAPPING = 5

interface DriverError {
  code?: unknown
  constraint?: unknown
  constraint_name?: unknown
  cause?: unknown
}

/**
 * The constraint a unique violation (SQLSTATE 23505) hit: `error` itself or an error it wraps
 * in `cause`. postgres.js names the constraint `constraint_name`, PGlite `constraint`; '' when
 * the driver named none, undefined for any other error.
 */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  let current = error
  for (let depth = 0; current && depth < MAX_WRAPPING; depth += 1) {
    const fields = current as DriverError
    if (fields.code === UNIQUE_VIOLATION) {
      const name = fields.constraint_name ?? fields.constraint
      return typeof name === 'string' ? name : ''
    }
    current = fields.cause
  }
  return undefined
}

/** Whether `error` is a unique violation, of `constraint` when one is named. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const violated = violatedUniqueConstraint(error)
  if (violated === undefined) return false
  return constraint === undefined || violated === constraint
}
