import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'
import { errorResponsesOf } from '../http/error-body'
import { toPageRequest } from '../http/pagination'
import { authUserLoader } from '../users/auth-user'
import { archiveProduct, restoreProduct } from './archive'
import { createProduct } from './create'
import { getProductDetail } from './detail'
import { listProductHistory } from './history'
import { listProducts, listSellerProducts } from './list'
import {
  CreateProductBody, HistoryPage, PageOnlyQuery, ProductDetail, ProductIdParams,
  ProductListQuery, ProductPage, ProductView, UpdateProductBody,
} from './schemas'
import { updateProduct } from './update'
import { optionalCaller } from './viewer'

const tags = ['Products']

/** Catalogue routes: public reads, seller/admin writes, each write with its history rows. */
export function productsRoutes(deps: AppDeps, auth: AuthPlugin) {
  const { db } = deps.database
  const loadUser = authUserLoader(db)

  return new Elysia({ name: 'products-routes', prefix: '/api/products' })
    .use(auth)
    .get('', ({ query }) => listProducts(db, query, toPageRequest(query)), {
      query: ProductListQuery,
      response: { 200: ProductPage, ...errorResponsesOf(400) },
      detail: {
        tags,
        summary: 'List active products',
        description: 'Filters by category, seller, price range and text search (name, '
          + 'description, or the dataset\'s numeric id); perPage is capped at 100.',
      },
    })
    .post('', async ({ body, user, status }) => status(201, await createProduct(db, user, body)), {
      auth: 'seller',
      body: CreateProductBody,
      parse: 'json',
      response: { 201: ProductView, ...errorResponsesOf(400, 401, 403, 409, 413, 415) },
      detail: { tags, summary: 'Create a product (seller or admin)' },
    })
    .get('/seller/my-products', ({ query, user }) =>
      listSellerProducts(db, user.id, toPageRequest(query)), {
      auth: 'seller',
      query: PageOnlyQuery,
      response: { 200: ProductPage, ...errorResponsesOf(400, 401, 403) },
      detail: { tags, summary: 'The caller\'s own products, archived ones included' },
    })
    .get('/:id', ({ params, headers, jwt }) =>
      getProductDetail(db, params.id, () => optionalCaller(headers.authorization, jwt, loadUser)), {
      params: ProductIdParams,
      response: { 200: ProductDetail, ...errorResponsesOf(400, 404) },
      detail: {
        tags,
        summary: 'A product with its seller and first page of reviews',
        description: 'Archived products answer 404, except to their seller and admins '
          + '(send the bearer token).',
      },
    })
    .put('/:id', ({ params, body, user }) => updateProduct(db, user, params.id, body), {
      auth: 'seller',
      params: ProductIdParams,
      body: UpdateProductBody,
      parse: 'json',
      response: { 200: ProductView, ...errorResponsesOf(400, 401, 403, 404, 409, 413, 415) },
      detail: { tags, summary: 'Change a product (its seller or an admin)' },
    })
    .delete('/:id', ({ params, user }) => archiveProduct(db, user, params.id), {
      auth: 'seller',
      params: ProductIdParams,
      response: { 200: ProductView, ...errorResponsesOf(400, 401, 403, 404, 409) },
      detail: { tags, summary: 'Archive a product (its seller or an admin)' },
    })
    .post('/:id/restore', ({ params, user }) => restoreProduct(db, user, params.id), {
      auth: 'admin',
      params: ProductIdParams,
      response: { 200: ProductView, ...errorResponsesOf(400, 401, 403, 404, 409) },
      detail: { tags, summary: 'Bring an archived product back (admin)' },
    })
    .get('/:id/history', ({ params, query, user }) =>
      listProductHistory(db, user, params.id, toPageRequest(query)), {
      auth: 'seller',
      params: ProductIdParams,
      query: PageOnlyQuery,
      response: { 200: HistoryPage, ...errorResponsesOf(400, 401, 403, 404) },
      detail: { tags, summary: 'A product\'s edit history, newest first (its seller or an admin)' },
    })
}
