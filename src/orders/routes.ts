import { eq } from 'drizzle-orm'
import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import { orders } from '../db/schema'
import type { AuthPlugin } from '../http/auth'
import { errorResponsesOf } from '../http/error-body'
import { toPageRequest } from '../http/pagination'
import { notFound } from '../shared/errors'
import { placeOrder } from './checkout'
import { normaliseCheckout } from './checkout-request'
import { adminFilter, findOrder, listOrders } from './queries'
import {
  AdminOrdersQuery, CreateOrderBody, IdempotencyHeaders, OrderIdParams, OrderPage, OrderView,
  OwnOrdersQuery, StatusBody,
} from './schemas'
import { changeOrderStatus } from './status-change'

const tags = ['Orders']

/**
 * Routes of the orders area: `/api/orders`. Return requests (`/api/orders/returns...`,
 * `/api/orders/:id/return`) live in ../returns; their static segments win over `/:id`.
 */
export function ordersRoutes(deps: AppDeps, auth: AuthPlugin) {
  const { db } = deps.database
  const rates = deps.config.orders

  return new Elysia({ name: 'orders-routes', prefix: '/api/orders' })
    .use(auth)
    .post('', async ({ body, headers, user, set, status }) => {
      const { order, replayed } = await placeOrder(db, rates, {
        userId: user.id,
        request: normaliseCheckout(body),
        idempotencyKey: headers['idempotency-key'],
      })

      set.headers.location = `/api/orders/${order.id}`
      if (replayed) set.headers['idempotent-replayed'] = 'true'
      return replayed ? status(200, order) : status(201, order)
    }, {
      auth: true,
      body: CreateOrderBody,
      parse: 'json',
      headers: IdempotencyHeaders,
      response: {
        200: OrderView,
        201: OrderView,
        ...errorResponsesOf(400, 401, 404, 409, 413, 415),
      },
      detail: {
        tags,
        summary: 'Place an order',
        description: 'Takes the stock and snapshots the prices in one transaction. 201 with '
          + 'the new order. 409 OUT_OF_STOCK names the product and how many are left (details); '
          + '404 for an unknown product, 409 CONFLICT for an archived one; nothing is written '
          + 'then. With an Idempotency-Key header, repeating the request answers 200 with the '
          + 'first order (header Idempotent-Replayed: true); the same key with a different '
          + 'body is a 409 CONFLICT.',
      },
    })
    .get('', ({ query, user }) => {
      return listOrders(db, eq(orders.userId, user.id), toPageRequest(query))
    }, {
      auth: true,
      query: OwnOrdersQuery,
      response: { 200: OrderPage, ...errorResponsesOf(400, 401) },
      detail: { tags, summary: 'List my orders', description: 'Newest first, with items.' },
    })
    .get('/admin', ({ query }) => {
      return listOrders(db, adminFilter(query), toPageRequest(query))
    }, {
      auth: 'admin',
      query: AdminOrdersQuery,
      response: { 200: OrderPage, ...errorResponsesOf(400, 401, 403) },
      detail: {
        tags,
        summary: 'List all orders (admin)',
        description: 'Newest first, with items; filter by status, userId, and placement time '
          + '(from inclusive, to exclusive).',
      },
    })
    .get('/:id', async ({ params, user }) => {
      const order = await findOrder(db, params.id.toLowerCase())
      if (!order || (order.userId !== user.id && user.role !== 'admin')) throw notFound('Order')
      return order
    }, {
      auth: true,
      params: OrderIdParams,
      response: { 200: OrderView, ...errorResponsesOf(400, 401, 404) },
      detail: {
        tags,
        summary: 'Get an order',
        description: 'The owner or an admin; for anyone else the order does not exist (404).',
      },
    })
    .put('/:id/status', ({ params, body }) => {
      return changeOrderStatus(db, params.id.toLowerCase(), body.status)
    }, {
      auth: 'admin',
      params: OrderIdParams,
      body: StatusBody,
      parse: 'json',
      response: { 200: OrderView, ...errorResponsesOf(400, 401, 403, 404, 409, 413, 415) },
      detail: {
        tags,
        summary: 'Change an order\'s status (admin)',
        description: 'PENDING -> CONFIRMED -> PROCESSING -> SHIPPED -> DELIVERED; CANCELLED '
          + 'from PENDING, CONFIRMED or PROCESSING, returning the stock. Any other move, the '
          + 'same status included, is 409 ILLEGAL_TRANSITION.',
      },
    })
}
