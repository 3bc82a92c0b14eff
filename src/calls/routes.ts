import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'
import { errorResponses } from '../http/error-body'
import { refuseUnknownFields } from '../returns/strict-body'
import { AppError } from '../shared/errors'
import { authUserLoader } from '../users/auth-user'
import { callbackAuthenticator, type CallbackCredentials } from './callback-auth'
import { CallSidParams, CallUpdateBody, CallUpdateResult, ReturnIdParams } from './schemas'
import { applyCallUpdate } from './updates'

const tags = ['Calls']
const { 400: badRequest, 401: unauthenticated, 403: forbidden, 404: notFound } = errorResponses
const { 413: tooLarge, 415: unsupported, 500: internal } = errorResponses
const responses = {
  200: CallUpdateResult, 400: badRequest, 401: unauthenticated, 403: forbidden, 404: notFound,
  413: tooLarge, 415: unsupported, 500: internal,
}

/** The body as received, kept for the HMAC check; `malformed` when it is not JSON. */
type RawBody = { text: string; malformed: boolean }

/**
 * Callbacks of the calling service. Both routes authenticate before looking at the body
 * (the shared secret as a bearer token, an HMAC signature, or an admin token), then apply
 * the update through the same service the simulator uses.
 */
export function callsRoutes(deps: AppDeps, auth: AuthPlugin) {
  const authenticateCallback = callbackAuthenticator(
    deps.config.calling.webhookSecret,
    authUserLoader(deps.database.db),
  )
  const rawBodies = new WeakMap<Request, RawBody>()

  // Read the body ourselves: the signature covers its exact bytes. A body that is not JSON
  // is only refused after authentication, so strangers learn nothing from the answer.
  const parse = async ({ request }: { request: Request }) => {
    const text = await request.text()
    try {
      const body: unknown = JSON.parse(text)
      rawBodies.set(request, { text, malformed: false })
      return body
    } catch {
      rawBodies.set(request, { text, malformed: true })
      return {}
    }
  }

  const authenticate = async (
    { request, headers, jwt }: { request: Request } & Pick<CallbackCredentials, 'headers' | 'jwt'>,
  ) => {
    const raw = rawBodies.get(request) ?? { text: '', malformed: true }
    const path = new URL(request.url).pathname
    await authenticateCallback({ headers, jwt, path, rawBody: raw.text })
    if (raw.malformed) throw new AppError('MALFORMED_REQUEST', 'The request body is not valid JSON')
  }

  const hooks = {
    parse,
    transform: [authenticate, refuseUnknownFields(CallUpdateBody)],
    body: CallUpdateBody,
    response: responses,
  }

  return new Elysia({ name: 'calls-routes' })
    .use(auth)
    .put('/api/orders/returns/call/:callSid/status', ({ params, body }) =>
      applyCallUpdate(deps, { callSid: params.callSid }, body), {
      ...hooks,
      params: CallSidParams,
      detail: {
        tags,
        summary: 'Calling-service callback by call id: status and transcript',
        security: [{ bearerAuth: [] }],
      },
    })
    .put('/api/orders/returns/:id/call-status', ({ params, body }) =>
      applyCallUpdate(deps, { returnRequestId: params.id }, body), {
      ...hooks,
      params: ReturnIdParams,
      detail: {
        tags,
        summary: 'Calling-service callback by return request id: status and transcript',
        security: [{ bearerAuth: [] }],
      },
    })
}
