import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'
import { errorResponsesOf } from '../http/error-body'
import { toPageRequest } from '../http/pagination'
import { createReturnRequest } from './create'
import { decideReturnRequest } from './decision'
import { getReturnRequest, listMyReturnRequests, listReturnRequests } from './read'
import {
  AdminReturnsQuery, CreateReturnBody, DecisionBody, MyReturnsQuery, OrderIdParams,
  ReturnIdParams, ReturnPage, ReturnRequestView,
} from './schemas'

const tags = ['Returns']

/**
 * Return requests: customers open them for delivered orders (which queues the outbound
 * call), read their own; admins list them all and decide. Call callbacks live in ../calls.
 */
export function returnsRoutes(deps: AppDeps, auth: AuthPlugin) {
  return new Elysia({ name: 'returns-routes' })
    .use(auth)
    .post('/api/orders/:id/return', async ({ params, body, user, set }) => {
      const id = await createReturnRequest(deps, user.id, params.id, body)
      set.status = 201
      return getReturnRequest(deps, id, user)
    }, {
      auth: true,
      params: OrderIdParams,
      body: CreateReturnBody,
      parse: 'json',
      response: { 201: ReturnRequestView, ...errorResponsesOf(400, 401, 404, 409, 413, 415) },
      detail: {
        tags,
        summary: 'Open a return request for a product of a delivered order (queues the call)',
      },
    })
    .get('/api/orders/returns/my', ({ query, user }) =>
      listMyReturnRequests(deps, user.id, toPageRequest(query)), {
      auth: true,
      query: MyReturnsQuery,
      response: { 200: ReturnPage, ...errorResponsesOf(400, 401) },
      detail: { tags, summary: 'My return requests, newest first' },
    })
    .get('/api/orders/returns', ({ query }) =>
      listReturnRequests(deps, query, toPageRequest(query)), {
      auth: 'admin',
      query: AdminReturnsQuery,
      response: { 200: ReturnPage, ...errorResponsesOf(400, 401, 403) },
      detail: { tags, summary: 'All return requests (admin), filtered by status, call, date' },
    })
    .get('/api/orders/returns/:id', ({ params, user }) =>
      getReturnRequest(deps, params.id, user), {
      auth: true,
      params: ReturnIdParams,
      response: { 200: ReturnRequestView, ...errorResponsesOf(400, 401, 404) },
      detail: { tags, summary: 'One return request with its call transcript (owner or admin)' },
    })
    .put('/api/orders/returns/:id', async ({ params, body, user }) => {
      await decideReturnRequest(deps, params.id, body)
      return getReturnRequest(deps, params.id, user)
    }, {
      auth: 'admin',
      params: ReturnIdParams,
      body: DecisionBody,
      parse: 'json',
      response: {
        200: ReturnRequestView,
        ...errorResponsesOf(400, 401, 403, 404, 409, 413, 415),
      },
      detail: {
        tags,
        summary: 'Decide on a return request (admin): approve, reject, process, complete',
      },
    })
}
