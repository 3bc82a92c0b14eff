import { Elysia } from 'elysia'
import type { Config } from '../config'
import type { Logger } from '../shared/logger'
import { errorStatus, type ErrorDetail } from '../shared/errors'
import { errorBody } from './error-body'
import { parseJsonBody } from './json-body'
import { beginRequest, pathOf, requestState } from './request-context'

const securityHeaders: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; '),
}

const allowedMethods = 'GET, POST, PUT, PATCH, DELETE, OPTIONS'
const allowedHeaders = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id'

/**
 * Cross-cutting request handling: request ids, access logs, security headers, CORS,
 * refusing bodies that are too large or not JSON before any route parses them, and parsing
 * JSON bodies with the checks of ./json-body.
 */
export function requestPipeline(config: Config, logger: Logger) {
  const production = config.env === 'production'
  const anyOrigin = config.corsOrigins.includes('*')
  const originAllowed = (origin: string) => anyOrigin || config.corsOrigins.includes(origin)
  const accessLog = config.logLevel === 'debug' || config.logLevel === 'info'

  return new Elysia({ name: 'request-pipeline' })
    .onRequest(({ request, set }) => {
      const state = beginRequest(request)
      set.headers['x-request-id'] = state.id
      Object.assign(set.headers, securityHeaders)
      if (production) set.headers['strict-transport-security'] = 'max-age=31536000'

      const origin = request.headers.get('origin')
      if (origin && originAllowed(origin)) {
        set.headers['access-control-allow-origin'] = origin
        set.headers['access-control-expose-headers'] = 'X-Request-Id, Retry-After'
        set.headers.vary = 'Origin'
      }

      if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
        return preflight(origin, originAllowed, state.id)
      }
      return refuseRepeatedQuery(request, state.id, set.headers) ??
        refuseUnacceptableBody(request, config.bodyLimitBytes, state.id, set.headers)
    })
    .onParse({ as: 'global' }, ({ request, contentType }) => {
      if (!/^application\/json/i.test(contentType)) return undefined
      return parseJsonBody(request, config.bodyLimitBytes)
    })
    .onAfterResponse({ as: 'global' }, ({ request, set }) => {
      if (!accessLog) return

      const state = requestState(request)
      logger.info('request', {
        requestId: state.id,
        method: request.method,
        path: pathOf(request),
        status: typeof set.status === 'number' ? set.status : 200,
        durationMs: Math.round((performance.now() - state.startedAt) * 100) / 100,
      })
    })
}

function preflight(
  origin: string | null,
  originAllowed: (origin: string) => boolean,
  requestId: string,
): Response {
  const headers: Record<string, string> = { ...securityHeaders, 'x-request-id': requestId }
  if (origin && originAllowed(origin)) {
    Object.assign(headers, {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': allowedMethods,
      'access-control-allow-headers': allowedHeaders,
      'access-control-max-age': '600',
      vary: 'Origin',
    })
  }
  return new Response(null, { status: 204, headers })
}

// No route takes a list in the query; a repeated parameter is a client error, not a choice of
// the last value (which would silently sort, filter or page differently than asked).
function refuseRepeatedQuery(
  request: Request,
  requestId: string,
  headers: Record<string, unknown>,
): Response | undefined {
  const start = request.url.indexOf('?')
  if (start === -1) return undefined

  const seen = new Set<string>()
  for (const key of new URLSearchParams(request.url.slice(start + 1)).keys()) {
    if (seen.has(key)) {
      const message = `Invalid query: ${key} is given more than once`
      return jsonError(400, 'VALIDATION_FAILED', message, requestId, headers,
        [{ field: key, message: 'is given more than once' }])
    }
    seen.add(key)
  }
  return undefined
}

function refuseUnacceptableBody(
  request: Request,
  limit: number,
  requestId: string,
  headers: Record<string, unknown>,
): Response | undefined {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') {
    return undefined
  }

  const length = Number(request.headers.get('content-length') ?? '0')
  if (length > limit) {
    const message = `The body may be at most ${limit} bytes`
    return jsonError(413, 'PAYLOAD_TOO_LARGE', message, requestId, headers)
  }

  const hasBody = length > 0 || request.body !== null
  const type = request.headers.get('content-type') ?? ''
  if (hasBody && !/^application\/json\s*(;|$)/i.test(type)) {
    const message = 'Send the body as application/json'
    return jsonError(415, 'UNSUPPORTED_MEDIA_TYPE', message, requestId, headers)
  }
  return undefined
}

function jsonError(
  status: number,
  code: keyof typeof errorStatus,
  message: string,
  requestId: string,
  headers: Record<string, unknown>,
  details?: ErrorDetail[],
): Response {
  const merged = new Headers()
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value === 'string') merged.set(key, value)
  }
  merged.set('content-type', 'application/json')
  const body = JSON.stringify(errorBody(code, message, requestId, details))
  return new Response(body, { status, headers: merged })
}
