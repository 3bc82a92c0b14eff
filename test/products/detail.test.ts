import { describe, expect, test } from 'bun:test'
import { reviews } from '../../src/db/schema'
import { call, createAccount, signToken } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import { archive, createProduct, setRatings, uniqueDatasetId } from './support'

const ctx = useTestContext()
const seller = useAccount(ctx, 'seller', { name: 'Oak & Sons' })
const admin = useAccount(ctx, 'admin')

const detail = (id: string, token?: string) => call(ctx, 'GET', `/api/products/${id}`, { token })

/** Inserts `count` reviews a minute apart, the newest first in the returned list. */
async function addReviews(productId: string, count: number) {
  const start = Date.parse('2024-03-01T12:00:00Z')
  const rows = Array.from({ length: count }, (_, i) => ({
    productId,
    reviewerId: `imported-${i}`,
    reviewRating: 1 + (i % 5),
    reviewTitle: `Title ${i}`,
    reviewDate: new Date(start - i * 60_000),
  }))
  await ctx.database.db.insert(reviews).values(rows)
  return rows
}

describe('GET /api/products/:id', () => {
  test('shows the seller, live review figures and the dataset\'s own figures apart', async () => {
    const res = await call(ctx, 'POST', '/api/products', {
      token: admin.token,
      body: {
        name: 'Dataset lamp', price: 12.5, stock: 3, category: 'Lamps',
        originalProductId: uniqueDatasetId(), reviewCount: 349, averageRating: 4.750716,
      },
    })
    await setRatings(ctx, res.body.id, 3, 13)

    const shown = await detail(res.body.id)
    expect(shown.status).toBe(200)
    expect(shown.body).toMatchObject({
      id: res.body.id,
      price: 12.5,
      seller: { id: admin.id, name: admin.name },
      reviewCount: 3,
      averageRating: 4.33,
      dataset: { reviewCount: 349, averageRating: 4.750716 },
      reviews: { data: [], nextCursor: null },
    })
  })

  test('includes the first page of reviews, newest first, with a cursor for more', async () => {
    const product = await createProduct(ctx, seller)
    const added = await addReviews(product.id, 12)

    const res = await detail(product.id)
    expect(res.body.seller).toEqual({ id: seller.id, name: 'Oak & Sons' })
    expect(res.body.reviews.data).toHaveLength(10)
    expect(res.body.reviews.data.map((r: { reviewTitle: string }) => r.reviewTitle))
      .toEqual(added.slice(0, 10).map((r) => r.reviewTitle))
    expect(res.body.reviews.nextCursor).toEqual(expect.any(String))
  })

  test('no reviews: count 0 and a null average', async () => {
    const product = await createProduct(ctx, seller)
    const res = await detail(product.id)
    expect(res.body).toMatchObject({ reviewCount: 0, averageRating: null })
  })

  test('an unknown id → 404, a malformed id → 400 naming id', async () => {
    const unknown = await detail(crypto.randomUUID())
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('NOT_FOUND')

    for (const bad of ['123', 'not-a-uuid', `${crypto.randomUUID()}x`, "1' or '1'='1"]) {
      const res = await detail(encodeURIComponent(bad))
      expect(res.status).toBe(400)
      expect(res.body.error.details[0].field).toBe('id')
    }
  })
})

describe('GET /api/products/:id: archived products', () => {
  test('the public, other sellers and forged tokens get 404', async () => {
    const product = await createProduct(ctx, seller)
    await archive(ctx, seller, product.id)
    const other = await createAccount(ctx, 'seller')
    const forged = await signToken(seller.id, { secret: 'another-secret-entirely-0123456789' })

    for (const token of [undefined, other.token, forged]) {
      expect((await detail(product.id, token)).status).toBe(404)
    }
  })

  test('the owning seller and admins still see it, with archivedAt', async () => {
    const product = await createProduct(ctx, seller)
    await archive(ctx, seller, product.id)

    for (const token of [seller.token, admin.token]) {
      const res = await detail(product.id, token)
      expect(res.status).toBe(200)
      expect(res.body.archived).toBe(true)
      expect(res.body.archivedAt).toMatch(/Z$/)
    }
  })
})
