import { Elysia } from 'elysia'
import { analysisRoutes } from './analysis/routes'
import type { AppDeps } from './app-deps'
import { callFeedRoutes } from './calls/feed/routes'
import { callsRoutes } from './calls/routes'
import { consoleRoutes } from './console/routes'
import { authPlugin } from './http/auth'
import { errorHandler } from './http/error-handler'
import { healthRoutes } from './http/health'
import { apiDocs } from './http/openapi'
import { requestPipeline } from './http/pipeline'
import { ordersRoutes } from './orders/routes'
import { productsRoutes } from './products/routes'
import { returnsRoutes } from './returns/routes'
import { reviewsRoutes } from './reviews/routes'
import { authUserLoader } from './users/auth-user'
import { usersRoutes } from './users/routes'
import { AppError } from './shared/errors'

/** Builds the whole HTTP application from its dependencies; no I/O happens here. */
export function createApp(deps: AppDeps) {
  const auth = authPlugin(deps.config, authUserLoader(deps.database.db))

  // normalize: false makes `additionalProperties: false` refuse unknown body fields (such as
  // `role`) instead of silently dropping them.
  return new Elysia({ name: 'amazon-eye', normalize: false })
    .use(requestPipeline(deps.config, deps.logger))
    .use(errorHandler(deps.logger))
    .use(apiDocs())
    .use(healthRoutes(deps.database.db))
    .use(usersRoutes(deps, auth))
    .use(productsRoutes(deps, auth))
    .use(reviewsRoutes(deps, auth))
    .use(returnsRoutes(deps, auth))
    .use(ordersRoutes(deps, auth))
    .use(analysisRoutes(deps, auth))
    .use(callsRoutes(deps, auth))
    .use(callFeedRoutes(deps, auth))
    .use(consoleRoutes(deps))
    .all('/*', () => {
      throw new AppError('NOT_FOUND', 'No such route')
    }, { detail: { hide: true } })
}

/** The application's type, for Eden clients: `treaty<App>('localhost:3000')`. */
export type App = ReturnType<typeof createApp>
