import type { TSchema } from 'elysia'
import { AppError, type ErrorDetail } from '../shared/errors'

const MAX_REPORTED = 10

/**
 * A `transform` hook refusing body fields a schema does not declare, at any depth. Elysia's
 * normalisation would otherwise drop them silently, so `{ role: 'admin' }` or a stray field
 * in a transcript line would pass unnoticed; the API answers 400 naming each one instead.
 * Runs before validation, so it only looks at what it recognises and leaves types to it.
 */
export function refuseUnknownFields(schema: TSchema) {
  return ({ body }: { body: unknown }) => {
    const found: ErrorDetail[] = []
    collectUnknown(schema, body, '', found)
    if (found.length === 0) return

    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid body: ${found[0]!.field} is not an accepted field`,
      found,
    )
  }
}

function collectUnknown(schema: TSchema, value: unknown, path: string, found: ErrorDetail[]) {
  if (found.length >= MAX_REPORTED || value === null || typeof value !== 'object') return

  if (schema.type === 'array' && Array.isArray(value) && schema.items) {
    const items = schema.items as TSchema
    value.forEach((item, index) => collectUnknown(items, item, join(path, String(index)), found))
    return
  }

  const properties = schema.properties as Record<string, TSchema> | undefined
  if (schema.type !== 'object' || !properties || Array.isArray(value)) return

  for (const [key, child] of Object.entries(value)) {
    const known = properties[key]
    if (known) {
      collectUnknown(known, child, join(path, key), found)
    } else if (found.length < MAX_REPORTED) {
      found.push({ field: join(path, key.slice(0, 64)), message: 'is not an accepted field' })
    }
  }
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`)
