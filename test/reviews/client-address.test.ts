import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createApp } from '../../src/app'
import { createAccount, createTestContext, type TestContext } from '../support/harness'
import { createProduct, validReview } from './support'

/**
 * In-process requests have no peer address, so these tests start the app on a real loopback
 * port: the TCP peer is then 127.0.0.1 and X-Forwarded-For can be checked against it.
 */
interface Served {
  app: ReturnType<typeof createApp>
  base: string
}

let ctx: TestContext

// Both apps share one database; only the trusted-hops setting differs.
function serve(trustProxyHops: number): Served {
  const app = createApp({ ...ctx.deps, config: { ...ctx.config, trustProxyHops } })
  app.listen({ port: 0, hostname: '127.0.0.1' })
  return { app, base: `http://127.0.0.1:${app.server!.port}` }
}

async function reviewFrom(served: Served, forwardedFor?: string) {
  const productId = await createProduct(ctx)
  const author = await createAccount(ctx)
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${author.token}`,
  }
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor

  const response = await fetch(`${served.base}/api/reviews/${productId}`, {
    method: 'POST', headers, body: JSON.stringify(validReview),
  })
  expect(response.status).toBe(201)
  const review = await response.json() as { ipAddress: string | null }
  return review.ipAddress
}

let direct: Served
let proxied: Served

beforeAll(async () => {
  ctx = await createTestContext()
  direct = serve(0)
  proxied = serve(1)
}, 30_000)

afterAll(async () => {
  for (const served of [direct, proxied]) await served?.app.stop()
  await ctx?.close()
})

describe('the review\'s client address', () => {
  test('is the TCP peer when no proxy is trusted', async () => {
    expect(await reviewFrom(direct)).toBe('127.0.0.1')
  })

  test('ignores X-Forwarded-For without TRUST_PROXY_HOPS (a client cannot spoof it)', async () => {
    expect(await reviewFrom(direct, '203.0.113.9')).toBe('127.0.0.1')
  })

  test('takes the trusted hop of X-Forwarded-For with TRUST_PROXY_HOPS=1', async () => {
    expect(await reviewFrom(proxied, '198.51.100.1, 203.0.113.7')).toBe('203.0.113.7')
  })

  test.each([
    ['not an address', 'evil.example'],
    ['SQL in the header', "1.2.3.4'; drop table reviews; --"],
    ['an empty entry', ' , '],
  ])('falls back to the peer when X-Forwarded-For is malformed (%s)', async (_name, value) => {
    expect(await reviewFrom(proxied, value)).toBe('127.0.0.1')
  })
})
