import { Type, type IntegerOptions, type TSchema } from '@sinclair/typebox'
import { t } from 'elysia'

/**
 * Schema building blocks the areas share, so a uuid, an integer or a timestamp reads and
 * validates the same in every route and in the OpenAPI document.
 */

const uuidPattern = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

/** For string patterns: PostgreSQL text cannot hold NUL bytes, which JSON strings may carry. */
export const noNul = '^[^\\u0000]*$'

/**
 * A JSON integer and nothing else. Elysia's `t.Integer` also accepts strings such as "5" or
 * "0x3" and documents itself as string-or-integer; TypeBox's own `Type.Integer` does not.
 */
export const integer = (options?: IntegerOptions) => Type.Integer(options)

/** A uuid in either letter case; anything else is refused before it reaches SQL. */
export const uuid = (description: string) =>
  t.String({ pattern: uuidPattern, maxLength: 36, description, error: 'must be a uuid' })

/** A date-time in answers: ISO 8601, as `Date#toISOString` writes it. */
export const timestamp = (description: string) => t.String({ format: 'date-time', description })

export const nullable = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()])

/**
 * Exactly one of the given strings, typed as their union; the error lists them. Use it in
 * place of `t.UnionEnum`, which Elysia fills with its first value when an optional field is
 * missing (a query without `sort`, a body without `role`), so absence could not be told apart.
 */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  options: { description?: string; error?: string } = {},
) {
  const error = options.error ?? `must be one of ${values.join(', ')}`
  const literals = values.map((value) => t.Literal(value))
  return t.Unsafe<T[number]>(t.Union(literals, { ...options, error }))
}
