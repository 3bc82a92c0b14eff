import type { TSchema } from 'elysia'
import { TypeCompiler } from 'elysia/type-system'
import { AppError, type ErrorDetail } from '../shared/errors'

const MAX_REPORTED = 10

type Part = 'body' | 'query'

/**
 * A `transform` hook checking the body or query exactly as sent. Elysia's normalisation
 * would otherwise drop unknown fields (`{ role: 'admin' }` passes silently) and coerce
 * strings such as "1" or "0x3" into numbers before its own validation runs.
 */
export function exactly(part: Part, schema: TSchema) {
  const checker = TypeCompiler.Compile(schema)

  return (context: Record<Part, unknown>) => {
    const value = context[part]
    if (checker.Check(value)) return

    const details: ErrorDetail[] = []
    for (const error of checker.Errors(value)) {
      const field = error.path.replace(/^\//, '').replaceAll('/', '.') || part
      const custom = (error.schema as { error?: unknown }).error
      const message = typeof custom === 'string' ? custom : lowerFirst(error.message)
      details.push({ field, message })
      if (details.length >= MAX_REPORTED) break
    }

    const first = details[0]
    const message = first ? `Invalid ${part}: ${first.field} ${first.message}` : `Invalid ${part}`
    throw new AppError('VALIDATION_FAILED', message, details)
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)
