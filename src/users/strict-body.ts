import { invalid } from '../shared/errors'

/**
 * A `transform` hook refusing body fields the schema does not name. Elysia's default
 * `normalize` strips unknown fields before validation instead of failing, so
 * `additionalProperties: false` alone would let `{ role: 'admin' }` pass silently.
 */
export function refuseUnknownFields(schema: { properties: Record<string, unknown> }) {
  const known = new Set(Object.keys(schema.properties))

  return ({ body }: { body: unknown }) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return

    const extra = Object.keys(body).find((key) => !known.has(key))
    if (extra !== undefined) throw invalid(extra.slice(0, 64), 'is not an accepted field')
  }
}
