import { invalid } from '../shared/errors'

/**
 * A `transform` hook that refuses body (or query) fields the schema does not name. Elysia's
 * default `normalize` silently drops unknown fields before validating, so
 * `additionalProperties: false` alone would not refuse them.
 */
export function refuseExtraFields(
  schema: { properties: Record<string, unknown> },
  part: 'body' | 'query' = 'body',
) {
  const known = new Set(Object.keys(schema.properties))

  return (context: { body: unknown; query: unknown }) => {
    const value = context[part]
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return

    const extra = Object.keys(value).find((key) => !known.has(key))
    if (extra !== undefined) throw invalid(extra.slice(0, 64), 'is not an accepted field')
  }
}
