import { AppError } from '../shared/errors'

/**
 * A `transform` hook refusing body fields the schema does not declare. Elysia's default
 * normalisation would silently drop them (so `{ role: 'admin' }` would pass unnoticed);
 * the API answers 400 naming each unknown field instead.
 */
export function refuseUnknownFields(schema: { properties: Record<string, unknown> }) {
  const known = new Set(Object.keys(schema.properties))

  return ({ body }: { body: unknown }) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return

    const unknown = Object.keys(body)
      .filter((key) => !known.has(key))
      .slice(0, 10)
      .map((key) => key.slice(0, 64))
    if (unknown.length === 0) return
    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid body: ${unknown[0]} is not an accepted field`,
      unknown.map((field) => ({ field, message: 'is not an accepted field' })),
    )
  }
}
