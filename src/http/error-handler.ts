import { ValueErrorType } from '@sinclair/typebox/errors'
import { Elysia, ValidationError } from 'elysia'
import type { Logger } from '../shared/logger'
import type { ErrorCode, ErrorDetail } from '../shared/errors'
import { AppError, errorStatus } from '../shared/errors'
import { errorBody } from './error-body'
import { pathOf, requestState } from './request-context'

interface Rendered {
  code: ErrorCode
  message: string
  details?: ErrorDetail[]
  headers?: Record<string, string>
}

/**
 * The one place that turns anything thrown into an HTTP answer: AppErrors keep their code,
 * framework errors map to the closed set, and everything else becomes INTERNAL without
 * leaking its message or stack.
 */
export function errorHandler(logger: Logger) {
  return new Elysia({ name: 'error-handler' }).onError({ as: 'global' }, (ctx) => {
    const { code, error, request, set } = ctx
    const state = requestState(request)
    const rendered = render(code, error)

    if (rendered.code === 'INTERNAL') {
      logger.error('request.failed', {
        requestId: state.id,
        method: request.method,
        path: pathOf(request),
        err: error instanceof Error ? error : String(error),
      })
    }

    set.status = errorStatus[rendered.code]
    Object.assign(set.headers, rendered.headers ?? {})
    return errorBody(rendered.code, rendered.message, state.id, rendered.details)
  })
}

function render(code: string | number, error: unknown): Rendered {
  // Elysia wraps whatever a parser throws in a ParseError; ours throws AppErrors with a reason.
  const cause = code === 'PARSE' ? (error as { cause?: unknown }).cause : undefined
  if (cause instanceof AppError) return render('APP', cause)

  if (error instanceof AppError) {
    const { code: appCode, message, details, headers } = error
    return { code: appCode, message, details, headers }
  }

  switch (code) {
    case 'VALIDATION':
      return validation(error as ValidationError)
    case 'PARSE':
      return { code: 'MALFORMED_REQUEST', message: 'The request body is not valid JSON' }
    case 'NOT_FOUND':
      return { code: 'NOT_FOUND', message: 'No such route' }
    case 'INVALID_COOKIE_SIGNATURE':
      return { code: 'MALFORMED_REQUEST', message: 'Invalid cookie signature' }
  }

  if (isTooLarge(error)) {
    return { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' }
  }
  return { code: 'INTERNAL', message: 'Something went wrong on our side' }
}

function validation(error: ValidationError): Rendered {
  const where = error.type === 'body' ? 'body' : error.type
  const details = error.all.slice(0, 10).map((issue) => {
    const path = 'path' in issue ? String(issue.path) : ''
    // Unknown field names come from the client: keep them short in the answer.
    const field = path.replace(/^\//, '').replaceAll('/', '.').slice(0, 100) || where
    return { field, message: describe(issue) }
  })
  const first = details[0]
  const message = first ? `Invalid ${where}: ${first.field} ${first.message}` : `Invalid ${where}`
  return { code: 'VALIDATION_FAILED', message, details }
}

function describe(
  issue: { type?: unknown; message?: string; summary?: string; schema?: unknown },
): string {
  if (issue.type === ValueErrorType.ObjectAdditionalProperties) return 'is not an accepted field'
  const schema = issue.schema as { error?: unknown } | undefined
  if (typeof schema?.error === 'string') return schema.error
  return (issue.summary ?? issue.message ?? 'is invalid').replace(/^Expected /, 'expected ')
}

function isTooLarge(error: unknown): boolean {
  return error instanceof Error && /too large|maxRequestBodySize/i.test(error.message)
}
