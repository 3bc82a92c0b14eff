import { t } from 'elysia'

/**
 * A schema accepting exactly one of the given strings, typed as their union. Used instead of
 * `t.UnionEnum`, which Elysia fills with its first value when the field is missing.
 */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  options: { description?: string } = {},
) {
  return t.Unsafe<T[number]>(t.Union(values.map((value) => t.Literal(value)), options))
}
