import { describe, expect, test } from 'bun:test'
import { call, signToken } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import {
  countByName, createProduct, historyRows, marker, productBody, productRow, uniqueDatasetId,
} from './support'

const ctx = useTestContext()
const seller = useAccount(ctx, 'seller')
const admin = useAccount(ctx, 'admin')
const customer = useAccount(ctx, 'customer')

const post = (body: unknown, token: string | null = seller.token) =>
  call(ctx, 'POST', '/api/products', { body, token: token ?? undefined })

describe('POST /api/products: success', () => {
  test('a seller creates a product it owns, with money as a JSON number', async () => {
    const body = productBody({
      description: 'Solid oak', price: 1234.5, images: ['https://img.example/a.png'],
    })
    const res = await post(body)

    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      name: body.name,
      description: 'Solid oak',
      price: 1234.5,
      stock: 5,
      category: body.category,
      images: ['https://img.example/a.png'],
      sellerId: seller.id,
      reviewCount: 0,
      averageRating: null,
      archived: false,
      archivedAt: null,
    })
    expect(res.body.createdAt).toMatch(/Z$/)
    expect((await productRow(ctx, res.body.id))!.price).toBe('1234.50')
  })

  test('writes one CREATE history row per field it was given', async () => {
    const product = await createProduct(ctx, seller, { description: 'Blue' })
    const rows = await historyRows(ctx, product.id)

    expect(rows.map((row) => row.fieldChanged).sort())
      .toEqual(['category', 'description', 'name', 'price', 'stock'])
    expect(rows.every((row) => row.editType === 'CREATE' && row.oldValue === null)).toBe(true)
    expect(rows.every((row) => row.editedBy === seller.id)).toBe(true)
    expect(rows.find((row) => row.fieldChanged === 'price')!.newValue).toBe('19.99')
  })

  test('an admin may create, with the dataset fields', async () => {
    const originalProductId = uniqueDatasetId()
    const res = await post(productBody({
      originalProductId, fakeProbability: 0.31, reviewCount: 349, averageRating: 4.75,
      clusterId: 7, pageRank: 0.0013, isFake: true,
    }), admin.token)

    expect(res.status).toBe(201)
    expect(res.body.sellerId).toBe(admin.id)
    expect(res.body.dataset).toMatchObject({
      originalProductId, fakeProbability: 0.31, reviewCount: 349, averageRating: 4.75, isFake: true,
    })
    expect(res.body.reviewCount).toBe(0)
    const fields = (await historyRows(ctx, res.body.id)).map((row) => row.fieldChanged)
    expect(fields).toContain('originalProductId')
    expect(fields).toContain('isFake')
  })

  test('a price of 0 and the largest price are accepted', async () => {
    expect((await post(productBody({ price: 0 }))).body.price).toBe(0)
    expect((await post(productBody({ price: 99_999_999.99 }))).body.price).toBe(99_999_999.99)
  })
})

describe('POST /api/products: bad input writes nothing', () => {
  const refused: [string, Record<string, unknown>, string][] = [
    ['three decimals', { price: 1.234 }, 'price'],
    ['a price as a string', { price: '19.99' }, 'price'],
    ['a negative price', { price: -1 }, 'price'],
    ['a price beyond the maximum', { price: 100_000_000 }, 'price'],
    ['a tiny price in exponent form', { price: 1e-7 }, 'price'],
    ['a fractional stock', { stock: 1.5 }, 'stock'],
    ['regression: a stock sent as the string "5"', { stock: '5' }, 'stock'],
    ['a negative stock', { stock: -1 }, 'stock'],
    ['a stock beyond 1e9', { stock: 1_000_000_001 }, 'stock'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name of 201 characters', { name: 'x'.repeat(201) }, 'name'],
    ['a NUL byte in the name', { name: 'bad\u0000name' }, 'name'],
    ['a NUL byte in the description', { description: 'a\u0000b' }, 'description'],
    ['a description of 5001 characters', { description: 'x'.repeat(5001) }, 'description'],
    ['an empty category', { category: '' }, 'category'],
    ['21 images', { images: Array.from({ length: 21 }, (_, i) => `https://i.example/${i}`) },
      'images'],
    ['a javascript: image', { images: ['javascript:alert(1)'] }, 'images.0'],
    ['an ftp image', { images: ['ftp://files.example/a.png'] }, 'images.0'],
    ['an image URL over 2048 characters',
      { images: [`https://i.example/${'a'.repeat(2040)}`] }, 'images.0'],
    ['a fake probability above 1', { fakeProbability: 1.5 }, 'fakeProbability'],
  ]

  for (const [what, fields, field] of refused) {
    test(`${what} → 400 naming ${field}`, async () => {
      const body = { ...productBody(), ...fields }
      const res = await post(body, admin.token)

      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field)
      if (typeof body.name === 'string' && !body.name.includes('\u0000')) {
        expect(await countByName(ctx, body.name)).toBe(0)
      }
    })
  }

  test('missing required fields → 400 naming them', async () => {
    const res = await post({ name: `widget ${marker()}` })
    expect(res.status).toBe(400)
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('price')
  })

  test('an extra field such as role or sellerId → 400 naming it, nothing written', async () => {
    for (const extra of [{ role: 'admin' }, { sellerId: admin.id }, { ratingCount: 100 }]) {
      const body = { ...productBody(), ...extra }
      const res = await post(body)

      expect(res.status).toBe(400)
      expect(res.body.error.details[0].field).toBe(Object.keys(extra)[0]!)
      expect(await countByName(ctx, body.name)).toBe(0)
    }
  })

  test('malformed JSON → 400, a form body → 415', async () => {
    const broken = await call(ctx, 'POST', '/api/products', {
      token: seller.token, rawBody: '{"name":', headers: { 'content-type': 'application/json' },
    })
    expect(broken.status).toBe(400)

    const form = await call(ctx, 'POST', '/api/products', {
      token: seller.token,
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(form.status).toBe(415)
  })

  test('a dataset id already taken → 409 naming originalProductId', async () => {
    const originalProductId = uniqueDatasetId()
    expect((await post(productBody({ originalProductId }), admin.token)).status).toBe(201)

    const body = productBody({ originalProductId })
    const res = await post(body, admin.token)
    expect(res.status).toBe(409)
    expect(res.body.error.details[0].field).toBe('originalProductId')
    expect(await countByName(ctx, body.name)).toBe(0)
  })
})

describe('POST /api/products: security', () => {
  test('a customer may not create products → 403', async () => {
    const body = productBody()
    const res = await post(body, customer.token)
    expect(res.status).toBe(403)
    expect(await countByName(ctx, body.name)).toBe(0)
  })

  test('a seller may not set the research dataset\'s fields → 403 naming them', async () => {
    const body = productBody({ trustScore: 1, isFake: false })
    const res = await post(body)

    expect(res.status).toBe(403)
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort())
      .toEqual(['isFake', 'trustScore'])
    expect(await countByName(ctx, body.name)).toBe(0)
  })

  test('no token, a forged token and an expired token → 401', async () => {
    const forged = await signToken(seller.id, { secret: 'not-the-secret-of-this-server-000000' })
    const expired = await signToken(seller.id, { expiresInSeconds: -60 })

    for (const token of [null, forged, expired, 'not.a.jwt-token']) {
      const res = await post(productBody(), token)
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('UNAUTHENTICATED')
    }
  })
})
