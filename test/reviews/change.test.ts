import { describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { reviews } from '../../src/db/schema'
import { call, createAccount, signToken, type TestAccount } from '../support/harness'
import { useTestContext } from '../support/suite'
import {
  countedStats, createProduct, postReview, productStats, seedReviews, validReview,
} from './support'

const ctx = useTestContext()

/** A product with one review by a fresh customer, rated 3. */
async function reviewed() {
  const productId = await createProduct(ctx)
  const author = await createAccount(ctx)
  const created = await postReview(ctx, productId, author, { ...validReview, rating: 3 })
  return { productId, author, reviewId: created.body.id as string }
}

const put = (id: string, account: { token: string } | undefined, body: unknown) =>
  call(ctx, 'PUT', `/api/reviews/${id}`, { body, token: account?.token })

const remove = (id: string, account?: { token: string }) =>
  call(ctx, 'DELETE', `/api/reviews/${id}`, { token: account?.token })

describe('PUT /api/reviews/:id', () => {
  test('the author changes the rating; the product sum moves by the difference', async () => {
    const { productId, author, reviewId } = await reviewed()

    const response = await put(reviewId, author, { rating: 5, comment: 'Better after a week.' })

    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      id: reviewId, reviewRating: 5, reviewTitle: validReview.title,
      reviewBody: 'Better after a week.',
    })
    expect(response.body).toHaveProperty('ipAddress')
    expect(new Date(response.body.updatedAt) >= new Date(response.body.createdAt)).toBe(true)
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 1, ratingSum: 5 })
  })

  test('a title-only change leaves the statistics alone', async () => {
    const { productId, author, reviewId } = await reviewed()

    const response = await put(reviewId, author, { title: 'Renamed' })

    expect(response.body.reviewTitle).toBe('Renamed')
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 1, ratingSum: 3 })
  })

  test('an admin may change anyone\'s review, imported ones included', async () => {
    const admin = await createAccount(ctx, 'admin')
    const productId = await createProduct(ctx)
    await seedReviews(ctx, productId, 1)
    const [imported] = await ctx.database.db.select().from(reviews)
      .where(eq(reviews.productId, productId))
    const before = await productStats(ctx, productId)

    const response = await put(imported!.id, admin, { rating: 1 })

    expect(response.status).toBe(200)
    const after = await productStats(ctx, productId)
    expect(after.ratingSum - before.ratingSum).toBe(1 - imported!.reviewRating)
    expect(after).toEqual(await countedStats(ctx, productId))
  })

  test('another customer, and the product\'s seller, get 403 and change nothing', async () => {
    const { productId, reviewId } = await reviewed()
    const stranger = await createAccount(ctx)
    const seller = await createAccount(ctx, 'seller')

    const responses = [
      await put(reviewId, stranger, { rating: 1 }),
      await put(reviewId, seller, { rating: 1 }),
    ]

    expect(responses.map((response) => response.status)).toEqual([403, 403])
    expect(responses[0]!.body.error.code).toBe('FORBIDDEN')
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 1, ratingSum: 3 })
  })

  test('an imported review (no account) cannot be changed by a customer', async () => {
    const productId = await createProduct(ctx)
    await seedReviews(ctx, productId, 1)
    const [imported] = await ctx.database.db.select({ id: reviews.id }).from(reviews)
      .where(eq(reviews.productId, productId))

    const response = await put(imported!.id, await createAccount(ctx), { rating: 1 })

    expect(response.status).toBe(403)
  })

  test('an unknown review is a 404; a malformed id a 400', async () => {
    const author = await createAccount(ctx)

    expect((await put(crypto.randomUUID(), author, { rating: 2 })).status).toBe(404)
    expect((await put('42', author, { rating: 2 })).status).toBe(400)
  })

  test.each([
    ['an empty body', {}],
    ['rating 9', { rating: 9 }],
    ['a blank title', { title: ' ' }],
    ['an extra field', { rating: 2, productId: crypto.randomUUID() }],
    ['a NUL byte', { comment: `x${String.fromCharCode(0)}` }],
  ])('%s is a 400 and changes nothing', async (_name, body) => {
    const { productId, author, reviewId } = await reviewed()

    const response = await put(reviewId, author, body)

    expect(response.status).toBe(400)
    const [row] = await ctx.database.db.select().from(reviews).where(eq(reviews.id, reviewId))
    expect(row!.reviewRating).toBe(3)
    expect(row!.reviewTitle).toBe(validReview.title)
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 1, ratingSum: 3 })
  })

  test('without a token, or with an expired one: 401', async () => {
    const { author, reviewId } = await reviewed()
    const expired = { token: await signToken(author.id, { expiresInSeconds: -1 }) }

    expect((await put(reviewId, undefined, { rating: 1 })).status).toBe(401)
    expect((await put(reviewId, expired, { rating: 1 })).status).toBe(401)
  })
})

describe('DELETE /api/reviews/:id', () => {
  test('the author deletes: 200, the review is gone and the statistics drop it', async () => {
    const { productId, author, reviewId } = await reviewed()

    const response = await remove(reviewId, author)

    expect(response.status).toBe(200)
    expect(response.body).toEqual({ message: 'Review deleted', id: reviewId })
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 0, ratingSum: 0 })
    expect((await remove(reviewId, author)).status).toBe(404)
  })

  test('after deleting, the author may review the product again', async () => {
    const { productId, author, reviewId } = await reviewed()
    await remove(reviewId, author)

    const again = await postReview(ctx, productId, author, { ...validReview, rating: 4 })

    expect(again.status).toBe(201)
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 1, ratingSum: 4 })
  })

  test('an admin may delete any review', async () => {
    const { productId, reviewId } = await reviewed()

    const response = await remove(reviewId, await createAccount(ctx, 'admin'))

    expect(response.status).toBe(200)
    expect(await countedStats(ctx, productId)).toEqual({ ratingCount: 0, ratingSum: 0 })
  })

  test('others get 403 and the review stays', async () => {
    const { productId, reviewId } = await reviewed()
    const others: TestAccount[] = [
      await createAccount(ctx), await createAccount(ctx, 'seller'),
    ]

    for (const other of others) expect((await remove(reviewId, other)).status).toBe(403)
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 1, ratingSum: 3 })
  })

  test('unknown review 404, malformed id 400, no token 401', async () => {
    const { reviewId } = await reviewed()
    const author = await createAccount(ctx)

    expect((await remove(crypto.randomUUID(), author)).status).toBe(404)
    expect((await remove('x', author)).status).toBe(400)
    expect((await remove(reviewId)).status).toBe(401)
  })
})
