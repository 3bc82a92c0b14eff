import { Elysia, t } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'
import { clientIp } from '../http/client-ip'
import { errorResponsesOf } from '../http/error-body'
import { pageQuery } from '../http/pagination'
import { uuid } from '../http/types'
import { reviewPage } from './list'
import {
  CreateReviewBody, DeletedReview, ReviewCursor, ReviewPage, ReviewWithIp, UpdateReviewBody,
} from './schemas'
import { createReview, deleteReview, updateReview } from './service'
import { toReviewWithIp } from './view'

const tags = ['Reviews']

const productParams = t.Object({ productId: uuid('The product\'s id') })
const reviewParams = t.Object({ id: uuid('The review\'s id') })
const listQuery = t.Object({ ...pageQuery, cursor: t.Optional(ReviewCursor) }, {
  additionalProperties: false,
})

/** Routes of the reviews area: `/api/reviews`. */
export function reviewsRoutes(deps: AppDeps, auth: AuthPlugin) {
  const { db } = deps.database
  const { trustProxyHops } = deps.config

  return new Elysia({ name: 'reviews-routes', prefix: '/api/reviews' })
    .use(auth)
    .post('/:productId', async ({ params, body, user, request, server, status }) => {
      const review = await createReview(db, {
        productId: params.productId,
        author: user,
        input: body,
        ipAddress: clientIp(request, server, trustProxyHops),
      })
      return status(201, toReviewWithIp(review))
    }, {
      auth: true,
      params: productParams,
      body: CreateReviewBody,
      parse: 'json',
      response: { 201: ReviewWithIp, ...errorResponsesOf(400, 401, 404, 409, 413, 415) },
      detail: {
        tags,
        summary: 'Review a product',
        description: 'One review per account and product (409 for a second). The answer '
          + 'includes the client address, which only the author and admins see.',
      },
    })
    .get('/product/:productId', ({ params, query }) => reviewPage(db, params.productId, query), {
      params: productParams,
      query: listQuery,
      response: { 200: ReviewPage, ...errorResponsesOf(400, 404) },
      detail: {
        tags,
        summary: 'List a product\'s reviews',
        description: 'Newest first. Use page/perPage for numbered pages, or perPage with the '
          + 'previous answer\'s nextCursor as `cursor` for pages that stay fast at any depth '
          + '(pagination.page is then 0). Client addresses are never listed.',
      },
    })
    .put('/:id', async ({ params, body, user }) => {
      return toReviewWithIp(await updateReview(db, params.id, user, body))
    }, {
      auth: true,
      params: reviewParams,
      body: UpdateReviewBody,
      parse: 'json',
      response: { 200: ReviewWithIp, ...errorResponsesOf(400, 401, 403, 404, 413, 415) },
      detail: {
        tags,
        summary: 'Change a review',
        description: 'Author or admin. Send at least one of rating, title, comment.',
      },
    })
    .delete('/:id', async ({ params, user }) => {
      await deleteReview(db, params.id, user)
      return { message: 'Review deleted', id: params.id }
    }, {
      auth: true,
      params: reviewParams,
      response: { 200: DeletedReview, ...errorResponsesOf(400, 401, 403, 404, 413, 415) },
      detail: { tags, summary: 'Delete a review', description: 'Author or admin.' },
    })
}
