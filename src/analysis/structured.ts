import { SchemaType, type ResponseSchema, type Schema } from '@google/generative-ai'
import type { Static, TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string }

const fenced = /^```[a-zA-Z]*\s*\n?([\s\S]*?)\n?\s*```$/

/**
 * Reads the model's JSON answer and checks it against `schema`. The answer may be wrapped in
 * a markdown fence (```json … ```), which models add even when asked for bare JSON.
 */
export function parseStructured<S extends TSchema>(schema: S, text: string): Parsed<Static<S>> {
  const trimmed = text.trim()
  const body = fenced.exec(trimmed)?.[1] ?? trimmed

  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    return { ok: false, reason: 'Gemini answered with text that is not JSON' }
  }

  const first = Value.Errors(schema, value).First()
  if (first) {
    const where = first.path === '' ? 'the answer' : first.path
    const reason = `Gemini's JSON does not match the schema at ${where}: ${first.message}`
    return { ok: false, reason }
  }
  return { ok: true, value: Value.Clean(schema, Value.Clone(value)) as Static<S> }
}

/**
 * Translates a TypeBox schema into Gemini's OpenAPI subset for `responseSchema`, so the
 * shape asked for and the shape validated come from one definition. Handles what the
 * analysis schemas use: objects, arrays, strings, numbers, integers, booleans and unions of
 * string literals (sent as enums).
 */
export function toGeminiSchema(schema: TSchema): ResponseSchema {
  return convert(schema)
}

function convert(schema: TSchema): Schema {
  const description = schema.description as string | undefined
  const literals = stringLiterals(schema)
  if (literals) return { type: SchemaType.STRING, format: 'enum', enum: literals, description }

  switch (schema.type) {
    case 'object': {
      const properties = schema.properties as Record<string, TSchema>
      return {
        type: SchemaType.OBJECT,
        description,
        properties: Object.fromEntries(
          Object.entries(properties).map(([key, child]) => [key, convert(child)]),
        ),
        required: (schema.required as string[] | undefined) ?? [],
      }
    }
    case 'array':
      return { type: SchemaType.ARRAY, description, items: convert(schema.items as TSchema) }
    case 'string':
      return { type: SchemaType.STRING, description }
    case 'number':
      return { type: SchemaType.NUMBER, description }
    case 'integer':
      return { type: SchemaType.INTEGER, description }
    case 'boolean':
      return { type: SchemaType.BOOLEAN, description }
  }
  throw new Error(`toGeminiSchema: unsupported schema ${JSON.stringify(schema).slice(0, 80)}`)
}

function stringLiterals(schema: TSchema): string[] | undefined {
  const options = schema.anyOf as TSchema[] | undefined
  if (!options) return undefined

  const values = options.map((option) => option.const)
  return values.every((value) => typeof value === 'string') ? values as string[] : undefined
}
