import { describe, expect, test } from 'bun:test'
import { call, createAccount } from '../support/harness'
import { useTestContext } from '../support/suite'
import { countedStats, createProduct, postReview, productStats, validReview } from './support'

const ctx = useTestContext()

const accounts = (count: number) =>
  Promise.all(Array.from({ length: count }, () => createAccount(ctx)))

describe('concurrent reviews', () => {
  test('regression: 25 simultaneous reviews leave rating_count and rating_sum exact', async () => {
    const productId = await createProduct(ctx)
    const authors = await accounts(25)

    const responses = await Promise.all(authors.map((author, index) =>
      postReview(ctx, productId, author, { ...validReview, rating: 1 + (index % 5) })))

    expect(responses.every((response) => response.status === 201)).toBe(true)
    // 5 of each rating 1..5: sum 5 * 15.
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 25, ratingSum: 75 })
    expect(await countedStats(ctx, productId)).toEqual({ ratingCount: 25, ratingSum: 75 })
  })

  test('regression: simultaneous duplicates by one account give one 201, the rest 409',
    async () => {
    const productId = await createProduct(ctx)
    const [author] = await accounts(1)

    const responses = await Promise.all(Array.from({ length: 12 }, () =>
      postReview(ctx, productId, author!, { ...validReview, rating: 5 })))

    const statuses = responses.map((response) => response.status).sort()
    expect(statuses).toEqual([201, ...Array<number>(11).fill(409)])
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 1, ratingSum: 5 })
  })

  test('creates, rating changes and deletes racing each other keep the statistics exact',
    async () => {
    const productId = await createProduct(ctx)
    const authors = await accounts(20)
    const created = await Promise.all(authors.slice(0, 10).map((author) =>
      postReview(ctx, productId, author, { ...validReview, rating: 2 })))

    await Promise.all([
      ...authors.slice(10).map((author) =>
        postReview(ctx, productId, author, { ...validReview, rating: 4 })),
      ...created.slice(0, 5).map((response, index) =>
        call(ctx, 'PUT', `/api/reviews/${response.body.id}`, {
          token: authors[index]!.token, body: { rating: 5 },
        })),
      ...created.slice(5).map((response, index) =>
        call(ctx, 'DELETE', `/api/reviews/${response.body.id}`, {
          token: authors[index + 5]!.token,
        })),
    ])

    // 5 updated to 5, 5 deleted, 10 new 4s.
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 15, ratingSum: 65 })
    expect(await countedStats(ctx, productId)).toEqual({ ratingCount: 15, ratingSum: 65 })
  })
})
