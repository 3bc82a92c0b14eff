import { AppError } from '../shared/errors'

/**
 * A `transform` hook refusing JSON bodies with a `__proto__` key at any depth. JSON.parse
 * keeps such a key as a plain field, which `additionalProperties: false` would refuse, but
 * Elysia first copies the body to fill in schema defaults, and that copy turns the key into
 * the object's prototype: the field vanishes silently instead of being refused.
 */
export function refuseProtoKeys({ body }: { body: unknown }): void {
  const field = protoKeyPath(body)
  if (field === undefined) return

  throw new AppError('VALIDATION_FAILED', `Invalid body: ${field} is not an accepted field`, [
    { field, message: 'is not an accepted field' },
  ])
}

/** Where the first `__proto__` key sits, as `items.0.__proto__`; a loop, so depth is no risk. */
function protoKeyPath(body: unknown): string | undefined {
  const pending: [unknown, string][] = [[body, '']]
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next
    if (value === null || typeof value !== 'object') continue

    for (const [key, child] of Object.entries(value)) {
      const at = path === '' ? key : `${path}.${key}`
      if (key === '__proto__') return at
      if (child !== null && typeof child === 'object') pending.push([child, at])
    }
  }
  return undefined
}
