import { describe, expect, test } from 'bun:test'
import { encodeReviewCursor } from '../../src/reviews/list'
import { call, createAccount } from '../support/harness'
import { useTestContext } from '../support/suite'
import { createProduct, postReview, seedReviews } from './support'

const ctx = useTestContext()

const list = (productId: string, query = '') =>
  call(ctx, 'GET', `/api/reviews/product/${productId}${query}`)

describe('GET /api/reviews/product/:productId with page numbers', () => {
  test('answers { data, pagination, nextCursor } newest first, total from the live count',
    async () => {
    const productId = await createProduct(ctx)
    await seedReviews(ctx, productId, 25)

    const first = await list(productId, '?page=1&perPage=10')
    const third = await list(productId, '?page=3&perPage=10')

    expect(first.status).toBe(200)
    expect(first.body.pagination).toEqual({ page: 1, perPage: 10, total: 25, totalPages: 3 })
    expect(first.body.data).toHaveLength(10)
    expect(first.body.nextCursor).toEqual(expect.any(String))
    const dates = first.body.data.map((review: { reviewDate: string }) => review.reviewDate)
    expect(dates).toEqual([...dates].sort().reverse())
    expect(third.body.data).toHaveLength(5)
    expect(third.body.nextCursor).toBeNull()
  })

  test('defaults to page 1 of 20 and caps perPage at 100', async () => {
    const productId = await createProduct(ctx)
    await seedReviews(ctx, productId, 120)

    const plain = await list(productId)
    const huge = await list(productId, '?perPage=5000')

    expect(plain.body.pagination).toEqual({ page: 1, perPage: 20, total: 120, totalPages: 6 })
    expect(huge.body.data).toHaveLength(100)
    expect(huge.body.pagination.perPage).toBe(100)
  })

  test('a page\'s nextCursor continues right after that page', async () => {
    const productId = await createProduct(ctx)
    await seedReviews(ctx, productId, 12)

    const first = await list(productId, '?page=1&perPage=5')
    const byCursor = await list(productId, `?perPage=5&cursor=${first.body.nextCursor}`)
    const second = await list(productId, '?page=2&perPage=5')

    expect(byCursor.body.data).toEqual(second.body.data)
  })

  test('the public list never shows client addresses', async () => {
    const productId = await createProduct(ctx)
    await postReview(ctx, productId, await createAccount(ctx))

    const response = await list(productId)

    expect(response.body.data).toHaveLength(1)
    expect(response.body.data[0]).not.toHaveProperty('ipAddress')
    expect(JSON.stringify(response.body)).not.toContain('ipAddress')
  })
})

describe('GET /api/reviews/product/:productId with a cursor', () => {
  test('walks every review once, with many sharing a review date', async () => {
    const productId = await createProduct(ctx)
    await seedReviews(ctx, productId, 90, 30)

    const seen: string[] = []
    let cursor = ''
    for (let guard = 0; guard < 50; guard += 1) {
      const page = await list(productId, `?perPage=7${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.status).toBe(200)
      expect(page.body.pagination).toMatchObject({ perPage: 7, total: 90 })
      seen.push(...page.body.data.map((review: { id: string }) => review.id))
      if (!page.body.nextCursor) break
      cursor = page.body.nextCursor
    }

    expect(seen).toHaveLength(90)
    expect(new Set(seen).size).toBe(90)
  })

  test('a cursor answer has page 0: the position is not numbered', async () => {
    const productId = await createProduct(ctx)
    await seedReviews(ctx, productId, 3)
    const cursor = encodeReviewCursor(new Date('2100-01-01T00:00:00Z'), crypto.randomUUID())

    const response = await list(productId, `?cursor=${cursor}`)

    expect(response.body.pagination).toEqual({ page: 0, perPage: 20, total: 3, totalPages: 1 })
    expect(response.body.data).toHaveLength(3)
  })

  test.each([
    ['garbage', 'abc'],
    ['wrong alphabet', 'a+b/c='],
    ['forged content', Buffer.from('2024-01-01|1 or 1=1').toString('base64url')],
    ['overlong', 'A'.repeat(300)],
  ])('a malformed cursor (%s) is a 400 naming cursor', async (_name, cursor) => {
    const productId = await createProduct(ctx)

    const response = await list(productId, `?cursor=${encodeURIComponent(cursor)}`)

    expect(response.status).toBe(400)
    expect(response.body.error.code).toBe('VALIDATION_FAILED')
    expect(response.body.error.details[0].field).toBe('cursor')
  })
})

describe('GET /api/reviews/product/:productId errors', () => {
  const anyCursor = encodeReviewCursor(new Date(), crypto.randomUUID())

  test('an unknown or archived product is a 404', async () => {
    const archived = await createProduct(ctx, { archived: true })

    const unknown = await list(crypto.randomUUID())
    const gone = await list(archived)

    expect([unknown.status, gone.status]).toEqual([404, 404])
    expect(unknown.body.error.code).toBe('NOT_FOUND')
  })

  test('a product id that is not a uuid is a 400', async () => {
    expect((await list('123')).status).toBe(400)
  })

  test.each([
    ['page 0', '?page=0', 'page'],
    ['negative page', '?page=-1', 'page'],
    ['hex perPage', '?perPage=0x10', 'perPage'],
    ['exponent perPage', '?perPage=1e2', 'perPage'],
    ['page with cursor', `?page=2&cursor=${anyCursor}`, 'page'],
    ['unknown parameter', '?sort=rating', 'sort'],
  ])('%s is a 400 naming the field', async (_name, query, field) => {
    const productId = await createProduct(ctx)

    const response = await list(productId, query)

    expect(response.status).toBe(400)
    expect(JSON.stringify(response.body.error.details ?? response.body.error)).toContain(field)
  })
})
