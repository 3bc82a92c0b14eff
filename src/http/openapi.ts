import { resolve } from 'node:path'
import { openapi } from '@elysiajs/openapi'
import { Elysia } from 'elysia'
import { AppError } from '../shared/errors'
import { registerFastFormats } from './formats'
import { pathOf } from './request-context'

registerFastFormats()

const swaggerDist = resolve(import.meta.dir, '../../node_modules/swagger-ui-dist')
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
}

export const apiTags = [
  { name: 'Users', description: 'Accounts, registration and login' },
  { name: 'Products', description: 'Catalogue and per-field edit history' },
  { name: 'Reviews', description: 'Product reviews' },
  { name: 'Orders', description: 'Checkout and the order life cycle' },
  { name: 'Returns', description: 'Return requests and their outbound calls' },
  { name: 'Calls', description: 'Calling-service callbacks and the live admin feed' },
  { name: 'System', description: 'Health' },
]

/**
 * Swagger UI at /swagger and the OpenAPI 3 document at /swagger/json. The UI's script and
 * stylesheet are served from swagger-ui-dist so the page works without internet.
 */
export function apiDocs() {
  return new Elysia({ name: 'api-docs' })
    // The UI fetches the document by a relative URL, which breaks under a trailing slash.
    .onRequest(({ request }) => {
      if (pathOf(request) !== '/swagger/') return
      return new Response(null, { status: 308, headers: { location: '/swagger' } })
    })
    .get('/swagger/assets/:file', ({ params, set }) => {
      const type = assets[params.file]
      if (!type) throw new AppError('NOT_FOUND', 'No such asset')
      set.headers['content-type'] = type
      set.headers['cache-control'] = 'public, max-age=86400'
      return Bun.file(resolve(swaggerDist, params.file))
    }, { detail: { hide: true } })
    .use(openapi({
      path: '/swagger',
      specPath: '/swagger/json',
      provider: 'swagger-ui',
      swagger: {
        cdn: '/swagger/assets/swagger-ui-bundle.js',
        theme: '/swagger/assets/swagger-ui.css',
        persistAuthorization: true,
      },
      exclude: { paths: ['/swagger/assets/:file', '/console', '/console/*', '/ws/calls'] },
      documentation: {
        info: {
          title: 'Amazon Eye API',
          version: '1.0.0',
          description: 'Catalogue, reviews, orders, returns with automatic calls, call analysis.',
        },
        tags: apiTags,
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          },
        },
      },
    }))
}
