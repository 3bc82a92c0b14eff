import { t } from 'elysia'
import type { ErrorCode, ErrorDetail } from '../shared/errors'
import { errorStatus } from '../shared/errors'

/** The one error body every route answers with. */
export const ErrorResponse = t.Object({
  error: t.Object({
    code: t.String({ enum: Object.keys(errorStatus) }),
    message: t.String(),
    details: t.Optional(t.Array(t.Object({
      field: t.Optional(t.String()),
      message: t.String(),
    }, { additionalProperties: true }))),
    requestId: t.String(),
  }),
}, { description: 'Error' })

export function errorBody(
  code: ErrorCode,
  message: string,
  requestId: string,
  details?: ErrorDetail[],
) {
  return { error: { code, message, ...(details ? { details } : {}), requestId } }
}

/**
 * A route's error responses for its `response` map: these statuses and 500, each with the
 * one error body. `{ 201: ProductView, ...errorResponsesOf(400, 401) }`.
 */
export const errorResponsesOf = <const S extends number>(...statuses: S[]) =>
  Object.fromEntries([...statuses, 500].map((status) => [status, ErrorResponse])) as
    Record<S | 500, typeof ErrorResponse>

/** Standard error responses to spread into a route's `response` map. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  413: ErrorResponse,
  415: ErrorResponse,
  429: ErrorResponse,
  500: ErrorResponse,
} as const
