/**
 * Whether `error`, or an error it wraps (drizzle puts the driver's error in `cause`), is a
 * unique violation of `constraint`. postgres.js names it `constraint_name`, PGlite
 * `constraint`.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const fields = current as { code?: unknown; constraint?: unknown; constraint_name?: unknown }
    const name = fields.constraint_name ?? fields.constraint
    if (fields.code === '23505' && name === constraint) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
