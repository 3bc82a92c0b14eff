import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { call, createTestContext, type TestContext } from './support/harness'

/** The whole /swagger/json document, checked as OpenAPI and as the team's route rules. */

const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']

let ctx: TestContext
let doc: any

interface Operation {
  key: string
  op: any
}

function operations(): Operation[] {
  const found: Operation[] = []
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (methods.includes(method)) found.push({ key: `${method.toUpperCase()} ${path}`, op })
    }
  }
  return found
}

beforeAll(async () => {
  ctx = await createTestContext()
  const answer = await call(ctx, 'GET', '/swagger/json')
  expect(answer.status).toBe(200)
  doc = answer.body
}, { timeout: 60_000 })

afterAll(async () => {
  await ctx.close()
})

describe('/swagger/json', () => {
  test('validates against the OpenAPI schema of its version', async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(doc))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(doc.openapi).toMatch(/^3\./)
  })

  test('path items hold only HTTP operations', () => {
    const allowed = [...methods, 'summary', 'description', 'servers', 'parameters', '$ref']
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const key of Object.keys(item)) {
        expect(`${path} ${key}`).toBe(`${path} ${allowed.includes(key) ? key : '(allowed key)'}`)
      }
    }
  })

  test('lists the routes of the catalogue, reviews and accounts', () => {
    const keys = operations().map((o) => o.key)
    for (const key of [
      'POST /api/users/register', 'POST /api/users/login', 'GET /api/users/me',
      'GET /api/products', 'POST /api/products', 'GET /api/products/{id}',
      'PUT /api/products/{id}', 'DELETE /api/products/{id}', 'GET /api/products/{id}/history',
      'GET /api/products/seller/my-products', 'POST /api/products/{id}/restore',
      'POST /api/reviews/{productId}', 'GET /api/reviews/product/{productId}',
      'PUT /api/reviews/{id}', 'DELETE /api/reviews/{id}', 'GET /health',
    ]) {
      expect(keys).toContain(key)
    }
  })

  test('every operation has a declared tag and a summary', () => {
    const declared = doc.tags.map((tag: any) => tag.name)
    for (const { key, op } of operations()) {
      expect(`${key}: ${op.tags?.length ? 'tagged' : 'no tags'}`).toBe(`${key}: tagged`)
      for (const tag of op.tags) expect(declared).toContain(tag)
      expect(`${key}: ${typeof op.summary === 'string' && op.summary.length > 0}`)
        .toBe(`${key}: true`)
    }
  })

  test('every status an operation answers has a described JSON response', () => {
    for (const { key, op } of operations()) {
      const statuses = Object.keys(op.responses ?? {})
      expect(`${key}: ${statuses.some((s) => s.startsWith('2'))}`).toBe(`${key}: true`)
      expect(`${key}: ${statuses.some((s) => s.startsWith('4') || s.startsWith('5'))}`)
        .toBe(`${key}: true`)

      for (const status of statuses) {
        const response = op.responses[status]
        expect(`${key} ${status}: ${Boolean(response.description)}`).toBe(`${key} ${status}: true`)
        if (status === '204') continue
        const schema = response.content?.['application/json']?.schema
          ?? Object.values<any>(response.content ?? {})[0]?.schema
        expect(`${key} ${status}: ${schema ? 'schema' : 'none'}`).toBe(`${key} ${status}: schema`)
      }
    }
  })

  test('operations behind a token declare the bearer scheme and a 401', () => {
    expect(doc.components.securitySchemes.bearerAuth)
      .toMatchObject({ type: 'http', scheme: 'bearer' })
    for (const { key, op } of operations()) {
      if (!op.security) continue
      expect(op.security).toContainEqual({ bearerAuth: [] })
      expect(`${key}: ${Object.keys(op.responses)}`).toContain('401')
    }
  })

  test('every route takes JSON bodies only, with strict integers', () => {
    const api = operations().filter(({ key }) => / \/api\//.test(key))
    expect(api.length).toBeGreaterThan(25)

    for (const { key, op } of api) {
      if (op.requestBody) {
        expect(`${key}: ${Object.keys(op.requestBody.content)}`).toBe(`${key}: application/json`)
      }
      // Elysia's t.Integer documents itself as string-or-integer, and accepts "5".
      expect(`${key}: ${JSON.stringify(op).includes('"format":"integer"')}`).toBe(`${key}: false`)
    }
  })

  test('no parameter or body declares a default: a missing field stays missing', () => {
    // t.UnionEnum gives itself its first value as default, which Elysia then fills in.
    for (const { key, op } of operations()) {
      const inputs = JSON.stringify([op.parameters ?? [], op.requestBody ?? {}])
      expect(`${key}: ${inputs.includes('"default":')}`).toBe(`${key}: false`)
    }
  })

  test('error responses share the one error body', () => {
    for (const { key, op } of operations()) {
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (!/^[45]/.test(status)) continue
        const schema = response.content?.['application/json']?.schema
        const error = schema?.properties?.error ?? schema?.$ref
        expect(`${key} ${status}: ${error ? 'error body' : JSON.stringify(schema)}`)
          .toBe(`${key} ${status}: error body`)
      }
    }
  })
})

describe('/swagger page', () => {
  test('loads its script and stylesheet from the service, not from a CDN', async () => {
    const page = await call(ctx, 'GET', '/swagger')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')

    const html = page.body as string
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
    expect(sources.length).toBeGreaterThanOrEqual(2)
    for (const source of sources) expect(source).toStartWith('/swagger/assets/')
    expect(html).not.toMatch(/https?:\/\//)
  })

  test.each([
    ['swagger-ui-bundle.js', 'javascript'],
    ['swagger-ui.css', 'text/css'],
  ])('serves /swagger/assets/%s', async (file, type) => {
    const asset = await ctx.app.handle(new Request(`http://localhost/swagger/assets/${file}`))
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toContain(type)
    expect((await asset.text()).length).toBeGreaterThan(10_000)
  })

  test('an unknown asset name is a 404, not a file read outside the folder', async () => {
    for (const name of ['nope.js', '..%2Fpackage.json', '%2e%2e%2f%2e%2e%2fpackage.json']) {
      const asset = await ctx.app.handle(new Request(`http://localhost/swagger/assets/${name}`))
      expect(asset.status).toBe(404)
    }
  })
})
