import { describe, expect, test } from 'bun:test'
import { connect } from 'node:net'
import { call, createAccount, createTestContext, signToken } from './support/harness'
import { useTestContext } from './support/suite'

const ctx = useTestContext()

describe('cross-cutting HTTP behaviour', () => {
  test('health answers ok when the database is reachable', async () => {
    const res = await call(ctx, 'GET', '/health')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok', database: 'up' })
  })

  test('unknown routes get a JSON 404 with a request id', async () => {
    const res = await call(ctx, 'GET', '/api/does-not-exist')
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('NOT_FOUND')
    expect(res.body.error.requestId).toBe(res.headers.get('x-request-id')!)
  })

  test('every response carries security headers and a request id', async () => {
    const res = await call(ctx, 'GET', '/health')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('a sane incoming X-Request-Id is echoed, a hostile one replaced', async () => {
    const kept = await call(ctx, 'GET', '/health', { headers: { 'x-request-id': 'abc-12345678' } })
    expect(kept.headers.get('x-request-id')).toBe('abc-12345678')

    const bad = await call(ctx, 'GET', '/health', { headers: { 'x-request-id': 'bad id; drop' } })
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('oversized bodies are refused with 413 before parsing', async () => {
    const big = 'x'.repeat(ctx.config.bodyLimitBytes + 10)
    const res = await call(ctx, 'POST', '/api/users/register', {
      rawBody: JSON.stringify({ name: big }),
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(413)
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  test('a body that is not JSON is refused with 415', async () => {
    const res = await call(ctx, 'POST', '/api/users/register', {
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(415)
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })

  test('a nested __proto__ key is refused naming its path', async () => {
    const buyer = await createAccount(ctx)
    const line = '{"__proto__":{"quantity":1},"productId":"00000000-0000-4000-8000-000000000000"}'
    const res = await call(ctx, 'POST', '/api/orders', {
      rawBody: `{"items":[${line}],"city":"x"}`,
      headers: { 'content-type': 'application/json' },
      token: buyer.token,
    })
    expect(res.status).toBe(400)
    expect(res.body.error.details).toEqual([
      { field: 'items.0.__proto__', message: 'is not an accepted field' },
    ])
  })

  test('CORS preflight from an allowed origin is answered', async () => {
    const res = await call(ctx, 'OPTIONS', '/api/products', {
      headers: { origin: 'http://shop.example', 'access-control-request-method': 'POST' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://shop.example')
  })
})

describe('CORS in production-like configuration', () => {
  test('an origin outside the list gets no CORS headers', async () => {
    const strict = await createTestContext({ CORS_ORIGINS: 'https://shop.example' })
    try {
      const from = (origin: string) => call(strict, 'GET', '/health', { headers: { origin } })
      const allowed = await from('https://shop.example')
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example')

      const other = await from('https://evil.example')
      expect(other.headers.get('access-control-allow-origin')).toBeNull()
    } finally {
      await strict.close()
    }
  })
})

describe('test harness', () => {
  test('signs tokens the app accepts only with the right secret', async () => {
    const account = await createAccount(ctx, 'customer')
    const forged = await signToken(account.id, { secret: 'another-secret-entirely-0123456789' })
    expect(forged).not.toBe(account.token)
  })
})

describe('Swagger UI', () => {
  test('regression: /swagger/ redirects to /swagger, where the relative document URL works',
    async () => {
    const res = await call(ctx, 'GET', '/swagger/')
    expect(res.status).toBe(308)
    expect(res.headers.get('location')).toBe('/swagger')
  })
})

describe('JSON bodies', () => {
  const post = (rawBody: string) => call(ctx, 'POST', '/api/users/login', {
    rawBody, headers: { 'content-type': 'application/json' },
  })

  test('regression: a deeply nested body is a fast 400, not a 500 that stalls', async () => {
    const deep = '{"a":'.repeat(170_000) + '1' + '}'.repeat(170_000)
    const started = performance.now()
    const res = await post(deep)
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].message).toContain('nested deeper')
    expect(performance.now() - started).toBeLessThan(2000)

    const arrays = await post('['.repeat(30_000) + ']'.repeat(30_000))
    expect(arrays.status).toBe(400)
  })

  test('unpaired surrogates and control characters are refused naming the field', async () => {
    const surrogate = await post('{"email":"a\\ud800@example.com","password":"x"}')
    expect(surrogate.status).toBe(400)
    expect(surrogate.body.error.details[0].field).toBe('email')

    const control = await post('{"email":"a@example.com","password":"x\\u001b[31m"}')
    expect(control.status).toBe(400)
    expect(control.body.error.details[0]).toEqual({
      field: 'password', message: 'contains a control character',
    })
  })

  test('a body over the limit sent without a length is refused with 413', async () => {
    const big = JSON.stringify({ email: 'x'.repeat(ctx.config.bodyLimitBytes) })
    const res = await ctx.app.handle(new Request('http://localhost/api/users/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
    }))
    expect(res.status).toBe(413)
  })
})

describe('over real HTTP', () => {
  test('regression: a malformed Host header gets a JSON answer, not a stack trace', async () => {
    const server = ctx.app.listen({ port: 0, hostname: '127.0.0.1' })
    try {
      const port = server.server!.port!
      const answer = await new Promise<string>((resolve, reject) => {
        let text = ''
        const socket = connect(port, '127.0.0.1', () => {
          socket.write('GET /health HTTP/1.1\r\nHost: a:b:c\r\nConnection: close\r\n\r\n')
        })
        socket.on('data', (chunk) => { text += chunk.toString() })
        socket.on('close', () => resolve(text))
        socket.on('error', reject)
      })
      expect(answer).not.toContain('at ')
      expect(answer).not.toContain('/work/')
      expect(answer.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 (200|400|404)/)
    } finally {
      await ctx.app.stop(true)
    }
  })
})

describe('query strings', () => {
  test('regression: a repeated parameter is refused; the last one used to win', async () => {
    const res = await call(ctx, 'GET', '/api/products?sort=price_asc&sort=price_desc')
    expect(res.status).toBe(400)
    expect(res.body.error.details).toEqual([{ field: 'sort', message: 'is given more than once' }])

    const single = await call(ctx, 'GET', '/api/products?sort=price_asc&page=1')
    expect(single.status).toBe(200)
  })
})
