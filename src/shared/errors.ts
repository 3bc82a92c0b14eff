/** The closed set of error codes the API answers with; each maps to one HTTP status. */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  OUT_OF_STOCK: 409,
  ILLEGAL_TRANSITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const

export type ErrorCode = keyof typeof errorStatus

export interface ErrorDetail {
  field?: string
  message: string
  [key: string]: unknown
}

/** The one error type services throw; the HTTP layer renders it. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message)
    this.name = 'AppError'
  }

  get status(): number {
    return errorStatus[this.code]
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`)

export const forbidden = (message = 'You may not do this') => new AppError('FORBIDDEN', message)

export const conflict = (message: string, details?: ErrorDetail[]) =>
  new AppError('CONFLICT', message, details)

export const invalid = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }])
