import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'
import { errorResponsesOf } from '../http/error-body'
import { requestAnalysisRerun } from './rerun'
import { reviewInsightsService } from './review-insights'
import {
  AnalysisQueued, ProductIdParams, ReturnIdParams, ReviewInsightsQuery, ReviewInsightsView,
} from './schemas'

/** Gemini-backed routes: re-running a call's analysis and a product's review insights. */
export function analysisRoutes(deps: AppDeps, auth: AuthPlugin) {
  const { db } = deps.database
  const insights = reviewInsightsService(deps)

  return new Elysia({ name: 'analysis-routes' })
    .use(auth)
    .post('/api/orders/returns/:id/analysis', async ({ params, status }) =>
      status(202, await requestAnalysisRerun(db, params.id, deps.config.queue.maxAttempts)), {
      auth: 'admin',
      params: ReturnIdParams,
      response: { 202: AnalysisQueued, ...errorResponsesOf(400, 401, 403, 404, 409) },
      detail: {
        tags: ['Returns'],
        summary: 'Re-run the Gemini analysis of a call (admin)',
        description: 'Analyses the stored transcript again; no new phone call is placed. '
          + '409 when the call has no transcript or an analysis is already queued. The result '
          + 'lands on the return request and as analysis.ready/analysis.failed on /ws/calls.',
      },
    })
    .get('/api/products/:id/review-insights', ({ params, query, user }) =>
      insights.get(user, params.id, query.refresh === 'true'), {
      auth: 'seller',
      params: ProductIdParams,
      query: ReviewInsightsQuery,
      response: { 200: ReviewInsightsView, ...errorResponsesOf(400, 401, 403, 404, 409, 503) },
      detail: {
        tags: ['Products'],
        summary: 'Gemini insights over the latest reviews (the product\'s seller or an admin)',
        description: 'Reads the latest 50 reviews (bodies cut at 800 characters). Cached for '
          + '24 hours per prompt version and model; admins may pass refresh=true. 409 when '
          + 'the product has no reviews; 503 when Gemini is not configured or fails.',
      },
    })
}
