import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'
import { errorResponsesOf } from '../http/error-body'
import { rawBodyOf } from '../http/json-body'
import { pathOf } from '../http/request-context'
import { authUserLoader } from '../users/auth-user'
import { callbackAuthenticator, type CallbackCredentials } from './callback-auth'
import { CallSidParams, CallUpdateBody, CallUpdateResult, ReturnIdParams } from './schemas'
import { applyCallUpdate } from './updates'

const tags = ['Calls']

/**
 * Callbacks of the calling service. Both routes authenticate before validating the body
 * (the shared secret as a bearer token, an HMAC signature, or an admin token), then apply
 * the update through the same service the simulator uses.
 */
export function callsRoutes(deps: AppDeps, auth: AuthPlugin) {
  const authenticateCallback = callbackAuthenticator(
    deps.config.calling.webhookSecret,
    authUserLoader(deps.database.db),
  )

  const authenticate = async (
    { request, headers, jwt }: { request: Request } & Pick<CallbackCredentials, 'headers' | 'jwt'>,
  ) => {
    // The signature covers the exact bytes received, which the app's JSON parser keeps.
    const rawBody = rawBodyOf(request) ?? ''
    await authenticateCallback({ headers, jwt, path: pathOf(request), rawBody })
  }

  // Authentication runs as a transform: before the body is validated against the schema.
  const hooks = {
    parse: 'json' as const,
    transform: authenticate,
    body: CallUpdateBody,
    response: { 200: CallUpdateResult, ...errorResponsesOf(400, 401, 403, 404, 413, 415) },
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
