import { describe, expect, test } from 'bun:test'
import { AppError } from '../../src/shared/errors'
import {
  decodeReviewCursor, encodeReviewCursor, listProductReviews,
} from '../../src/reviews/list'
import { useTestContext } from '../support/suite'
import { createProduct, seedReviews } from './support'

const ctx = useTestContext()

const encoded = (text: string) => Buffer.from(text).toString('base64url')

async function walk(productId: string, perPage: number) {
  const seen: string[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < 1000; pages += 1) {
    const page = await listProductReviews(ctx.database.db, productId, { perPage, cursor })
    seen.push(...page.data.map((review) => review.id))
    if (!page.nextCursor) return seen
    cursor = page.nextCursor
  }
  throw new Error('cursor paging did not end')
}

describe('listProductReviews', () => {
  test('a cursor walk visits every review once, newest first', async () => {
    const productId = await createProduct(ctx)
    await seedReviews(ctx, productId, 53)

    const seen = await walk(productId, 10)
    const all = await listProductReviews(ctx.database.db, productId, { perPage: 100 })

    expect(seen).toHaveLength(53)
    expect(new Set(seen).size).toBe(53)
    expect(seen).toEqual(all.data.map((review) => review.id))
    expect(all.nextCursor).toBeNull()
  })

  test('regression: reviews sharing one microsecond date are neither skipped nor repeated',
    async () => {
    const productId = await createProduct(ctx)
    await seedReviews(ctx, productId, 47, 47)

    const seen = await walk(productId, 5)

    expect(seen).toHaveLength(47)
    expect(new Set(seen).size).toBe(47)
  })

  test('an empty product has no data and no next cursor', async () => {
    const productId = await createProduct(ctx)

    const page = await listProductReviews(ctx.database.db, productId, { perPage: 20 })

    expect(page).toEqual({ data: [], nextCursor: null })
  })

  test('the public view leaves out the client address', async () => {
    const productId = await createProduct(ctx)
    await seedReviews(ctx, productId, 1)

    const page = await listProductReviews(ctx.database.db, productId, { perPage: 1 })

    expect(page.data[0]).not.toHaveProperty('ipAddress')
    expect(page.data[0]!.reviewDate).toMatch(/Z$/)
  })
})

describe('review cursors', () => {
  test('round-trip a Date and an id', () => {
    const id = crypto.randomUUID()
    const cursor = encodeReviewCursor(new Date('2024-05-06T07:08:09.010Z'), id)

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodeReviewCursor(cursor)).toEqual({ reviewDate: '2024-05-06T07:08:09.010Z', id })
  })

  test.each([
    ['not base64url', '***'],
    ['empty', ''],
    ['wrong content', encoded('hello|world')],
    ['bad date', encoded(`2024-13-45T99:99:99Z|${crypto.randomUUID()}`)],
    ['impossible day', encoded(`2024-02-30T00:00:00Z|${crypto.randomUUID()}`)],
    ['extra part', encoded(`2024-01-01T00:00:00Z|${crypto.randomUUID()}|x`)],
    ['too long', 'A'.repeat(500)],
  ])('a malformed cursor (%s) is a validation error naming cursor', (_name, text) => {
    let thrown: unknown
    try {
      decodeReviewCursor(text)
    } catch (error) {
      thrown = error
    }

    expect(thrown).toBeInstanceOf(AppError)
    expect((thrown as AppError).code).toBe('VALIDATION_FAILED')
    expect((thrown as AppError).details?.[0]?.field).toBe('cursor')
  })
})
