import { afterAll, describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { REVIEW_INSIGHTS_PROMPT_VERSION } from '../../src/analysis/prompts'
import { productReviewInsights } from '../../src/db/schema'
import { startFakeGemini } from '../support/fake-gemini'
import { call, createAccount, createTestContext, type TestAccount } from '../support/harness'
import { insertProduct } from '../support/products'
import { useTestContext } from '../support/suite'
import { seedReviews } from './support'

const fake = startFakeGemini()
const ctx = useTestContext({
  GEMINI_API_KEY: fake.apiKey,
  GEMINI_BASE_URL: fake.baseUrl,
  GEMINI_TIMEOUT_MS: '2000',
})

afterAll(() => fake.close())

const insights = {
  summary: 'Buyers like the taste but several mention leaks.',
  sentiment: { label: 'mixed', score: 0.1 },
  commonPraise: ['Tastes great'],
  commonComplaints: ['Leaks'],
  suspiciousPatterns: ['Many five-star reviews on one day'],
  recommendations: ['Check the seal'],
}

async function sellerProduct(reviewCount: number) {
  const seller = await createAccount(ctx, 'seller')
  // Unique, and the start of the product's name: the fake answers prompts containing it.
  const name = `Teapot ${crypto.randomUUID().slice(0, 8)}`
  const id = await insertProduct(ctx, { label: name, price: '12.50', sellerId: seller.id })
  await seedReviews(ctx, id, reviewCount)
  return { seller, name, id }
}

const get = (id: string, account?: TestAccount, query = '') =>
  call(ctx, 'GET', `/api/products/${id}/review-insights${query}`, { token: account?.token })

describe('GET /api/products/:id/review-insights', () => {
  test('the seller gets insights over a bounded sample, then the cached copy', async () => {
    const product = await sellerProduct(60)
    fake.script(product.name, { kind: 'json', value: insights })

    const first = await get(product.id, product.seller)
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({
      productId: product.id, insights, sampleSize: 50, cached: false,
      promptVersion: REVIEW_INSIGHTS_PROMPT_VERSION,
    })

    const [sent] = fake.requestsFor(product.name)
    expect(sent!.prompt).toContain('#50 ')
    expect(sent!.prompt).not.toContain('#51 ')
    expect(sent!.prompt).toContain('Review 59')
    expect(sent!.prompt).not.toContain('Review 9\n')
    expect(sent!.prompt.length).toBeLessThan(60_000)
    const { properties } = sent!.body.generationConfig.responseSchema
    expect(properties.suspiciousPatterns.type).toBe('array')

    const second = await get(product.id, product.seller)
    expect(second.status).toBe(200)
    expect(second.body).toMatchObject({ insights, cached: true })
    expect(fake.requestsFor(product.name)).toHaveLength(1)
  })

  test('an admin may refresh; a stale cache is asked for again', async () => {
    const product = await sellerProduct(3)
    const admin = await createAccount(ctx, 'admin')
    fake.script(product.name, { kind: 'fenced', value: insights },
      { kind: 'json', value: { ...insights, summary: 'refreshed' } },
      { kind: 'json', value: { ...insights, summary: 'after a day' } })

    expect((await get(product.id, admin)).body.cached).toBe(false)
    const refreshed = await get(product.id, admin, '?refresh=true')
    expect(refreshed.body).toMatchObject({ cached: false, insights: { summary: 'refreshed' } })
    expect((await get(product.id, product.seller, '?refresh=true')).status).toBe(403)

    await ctx.database.db.update(productReviewInsights)
      .set({ createdAt: new Date(Date.now() - 25 * 3600_000) })
      .where(eq(productReviewInsights.productId, product.id))
    const aged = await get(product.id, product.seller)
    expect(aged.body).toMatchObject({ cached: false, insights: { summary: 'after a day' } })
    expect(fake.requestsFor(product.name)).toHaveLength(3)
  })

  test('other sellers and customers get 403, anonymous 401, unknown 404, bad ids 400', async () => {
    const product = await sellerProduct(2)
    const otherSeller = await createAccount(ctx, 'seller')
    const customer = await createAccount(ctx, 'customer')
    const admin = await createAccount(ctx, 'admin')

    expect((await get(product.id, otherSeller)).status).toBe(403)
    expect((await get(product.id, customer)).status).toBe(403)
    expect((await get(product.id)).status).toBe(401)
    expect((await get(crypto.randomUUID(), admin)).status).toBe(404)
    expect((await get('12345', admin)).status).toBe(400)
    expect((await get(product.id, admin, '?refresh=yes')).status).toBe(400)
    expect(fake.requestsFor(product.name)).toHaveLength(0)
  })

  test('a product without reviews answers 409 without asking Gemini', async () => {
    const product = await sellerProduct(0)
    const response = await get(product.id, product.seller)
    expect(response.status).toBe(409)
    expect(fake.requestsFor(product.name)).toHaveLength(0)
  })

  test('a Gemini failure answers 503 and caches nothing; a 429 passes on its delay', async () => {
    const product = await sellerProduct(2)
    fake.script(product.name, { kind: 'text', text: 'not json' },
      { kind: 'rate-limit', retryDelaySeconds: 12 })

    const malformed = await get(product.id, product.seller)
    expect(malformed.status).toBe(503)
    expect(malformed.body.error.code).toBe('UNAVAILABLE')

    const limited = await get(product.id, product.seller)
    expect(limited.status).toBe(503)
    expect(limited.headers.get('retry-after')).toBe('12')

    const cached = await ctx.database.db.select().from(productReviewInsights)
      .where(eq(productReviewInsights.productId, product.id))
    expect(cached).toHaveLength(0)
  })

  test('without a Gemini key the route answers 503', async () => {
    const bare = await createTestContext({ GEMINI_API_KEY: '' })
    const admin = await createAccount(bare, 'admin')
    const productId = await insertProduct(bare, { label: 'Keyless', sellerId: admin.id })
    await seedReviews(bare, productId, 1)

    const response = await call(bare, 'GET', `/api/products/${productId}/review-insights`,
      { token: admin.token })
    expect(response.status).toBe(503)
    expect(response.body.error.message).toContain('GEMINI_API_KEY')
    await bare.close()
  })
})
