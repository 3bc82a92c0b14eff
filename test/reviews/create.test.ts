import { describe, expect, test } from 'bun:test'
import { call, createAccount, signToken } from '../support/harness'
import { useTestContext } from '../support/suite'
import { countedStats, createProduct, postReview, productStats, validReview } from './support'

const ctx = useTestContext()

describe('POST /api/reviews/:productId', () => {
  test('creates the review, answers 201 and counts it in the product statistics', async () => {
    const productId = await createProduct(ctx)
    const author = await createAccount(ctx)

    const response = await postReview(ctx, productId, author, { ...validReview, rating: 5 })

    expect(response.status).toBe(201)
    expect(response.body).toMatchObject({
      productId,
      reviewerId: author.id,
      userId: author.id,
      reviewRating: 5,
      reviewTitle: validReview.title,
      reviewBody: validReview.comment,
      numberOfHelpful: 0,
      isAiGenerated: null,
    })
    // In-process requests have no peer: no address is made up.
    expect(response.body.ipAddress).toBeNull()
    expect(response.body.reviewDate).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/)
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 1, ratingSum: 5 })
  })

  test('a second review by the same account is a 409 and changes nothing', async () => {
    const productId = await createProduct(ctx)
    const author = await createAccount(ctx)
    await postReview(ctx, productId, author, { ...validReview, rating: 2 })

    const again = await postReview(ctx, productId, author, { ...validReview, rating: 5 })

    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('CONFLICT')
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 1, ratingSum: 2 })
    expect(await countedStats(ctx, productId)).toEqual({ ratingCount: 1, ratingSum: 2 })
  })

  test('the same account may review two different products', async () => {
    const author = await createAccount(ctx)

    const first = await postReview(ctx, await createProduct(ctx), author)
    const second = await postReview(ctx, await createProduct(ctx), author)

    expect([first.status, second.status]).toEqual([201, 201])
  })

  test('an unknown product is a 404', async () => {
    const author = await createAccount(ctx)

    const response = await postReview(ctx, crypto.randomUUID(), author)

    expect(response.status).toBe(404)
    expect(response.body.error.code).toBe('NOT_FOUND')
  })

  test('an archived product is a 404 and gets no review', async () => {
    const productId = await createProduct(ctx, { archived: true })
    const author = await createAccount(ctx)

    const response = await postReview(ctx, productId, author)

    expect(response.status).toBe(404)
    expect(await countedStats(ctx, productId)).toEqual({ ratingCount: 0, ratingSum: 0 })
  })

  test('a product id that is not a uuid is a 400 naming productId, not a 500', async () => {
    const author = await createAccount(ctx)

    const response = await postReview(ctx, 'not-a-uuid', author)

    expect(response.status).toBe(400)
    expect(response.body.error.details[0].field).toBe('productId')
  })
})

describe('POST /api/reviews/:productId refuses bad bodies and writes nothing', () => {
  const nul = String.fromCharCode(0)
  const cases: [string, unknown, string][] = [
    ['rating 0', { ...validReview, rating: 0 }, 'rating'],
    ['rating 6', { ...validReview, rating: 6 }, 'rating'],
    ['rating 4.5', { ...validReview, rating: 4.5 }, 'rating'],
    ['rating as text', { ...validReview, rating: 'five' }, 'rating'],
    ['regression: rating as the string "4"', { ...validReview, rating: '4' }, 'rating'],
    ['missing rating', { title: 'a', comment: 'b' }, 'rating'],
    ['empty title', { ...validReview, title: '' }, 'title'],
    ['blank title', { ...validReview, title: '   ' }, 'title'],
    ['title over 200', { ...validReview, title: 'x'.repeat(201) }, 'title'],
    ['comment over 5000', { ...validReview, comment: 'x'.repeat(5001) }, 'comment'],
    ['blank comment', { ...validReview, comment: '\n\t ' }, 'comment'],
    ['NUL in title', { ...validReview, title: `a${nul}b` }, 'title'],
    ['NUL in comment', { ...validReview, comment: `a${nul}` }, 'comment'],
    ['extra field', { ...validReview, userId: crypto.randomUUID() }, 'userId'],
    ['not an object', [validReview], 'body'],
    ['a role', { ...validReview, role: 'admin' }, 'role'],
  ]

  test.each(cases)('%s', async (_name, body, field) => {
    const productId = await createProduct(ctx)
    const author = await createAccount(ctx)

    const response = await postReview(ctx, productId, author, body)

    expect(response.status).toBe(400)
    expect(response.body.error.code).toBe('VALIDATION_FAILED')
    expect(JSON.stringify(response.body.error.details)).toContain(field)
    expect(await productStats(ctx, productId)).toEqual({ ratingCount: 0, ratingSum: 0 })
    expect(await countedStats(ctx, productId)).toEqual({ ratingCount: 0, ratingSum: 0 })
  })

  test('the longest allowed title and comment are accepted', async () => {
    const productId = await createProduct(ctx)
    const author = await createAccount(ctx)
    const body = { rating: 1, title: 'x'.repeat(200), comment: 'y'.repeat(5000) }

    expect((await postReview(ctx, productId, author, body)).status).toBe(201)
  })

  test('malformed JSON is a 400 and a non-JSON content type a 415', async () => {
    const productId = await createProduct(ctx)
    const author = await createAccount(ctx)
    const path = `/api/reviews/${productId}`

    const broken = await call(ctx, 'POST', path, {
      rawBody: '{"rating": 5,',
      token: author.token,
      headers: { 'content-type': 'application/json' },
    })
    const text = await call(ctx, 'POST', path, {
      rawBody: 'rating=5', token: author.token, headers: { 'content-type': 'text/plain' },
    })

    expect(broken.status).toBe(400)
    expect(text.status).toBe(415)
    expect(await countedStats(ctx, productId)).toEqual({ ratingCount: 0, ratingSum: 0 })
  })
})

describe('POST /api/reviews/:productId security', () => {
  test('without a token: 401', async () => {
    const productId = await createProduct(ctx)

    const response = await call(ctx, 'POST', `/api/reviews/${productId}`, { body: validReview })

    expect(response.status).toBe(401)
    expect(await countedStats(ctx, productId)).toEqual({ ratingCount: 0, ratingSum: 0 })
  })

  test('with an expired or wrongly signed token: 401', async () => {
    const productId = await createProduct(ctx)
    const author = await createAccount(ctx)
    const expired = await signToken(author.id, { expiresInSeconds: -60 })
    const forged = await signToken(author.id, { secret: 'another-secret-another-secret-123456' })

    const responses = await Promise.all([
      postReview(ctx, productId, { token: expired }),
      postReview(ctx, productId, { token: forged }),
    ])

    expect(responses.map((response) => response.status)).toEqual([401, 401])
  })

  test('the reviewer is the token\'s account whatever the body says', async () => {
    const productId = await createProduct(ctx)
    const author = await createAccount(ctx)

    const response = await postReview(ctx, productId, author, {
      ...validReview, reviewerId: 'someone-else',
    })

    expect(response.status).toBe(400)
  })
})
