import { describe, expect, test } from 'bun:test'
import { inArray } from 'drizzle-orm'
import { products } from '../../src/db/schema'
import { call, createAccount } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import { archive, createProduct, marker, setRatings, uniqueDatasetId } from './support'

const ctx = useTestContext()
const seller = useAccount(ctx, 'seller')
const admin = useAccount(ctx, 'admin')

const list = (query: string) => call(ctx, 'GET', `/api/products?${query}`)
const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((p) => p.id)

/** Five products in a fresh category with known names, prices and ratings. */
async function seedCategory() {
  const category = marker('cat')
  const specs = [
    { name: 'delta', price: 30, ratings: [2, 9] },
    { name: 'alpha', price: 10, ratings: [1, 5] },
    { name: 'echo', price: 50, ratings: [0, 0] },
    { name: 'bravo', price: 20, ratings: [4, 14] },
    { name: 'charlie', price: 40, ratings: [3, 12] },
  ]
  const created = []
  for (const spec of specs) {
    const product = await createProduct(ctx, seller, {
      name: `${category} ${spec.name}`, price: spec.price, category,
    })
    await setRatings(ctx, product.id, spec.ratings[0]!, spec.ratings[1]!)
    created.push({ ...spec, id: product.id as string })
  }
  return { category, created }
}

describe('GET /api/products: filters and search', () => {
  test('answers the list shape and counts with the same filters', async () => {
    const { category, created } = await seedCategory()
    const res = await list(`category=${category}&perPage=2&page=2`)

    expect(res.status).toBe(200)
    expect(res.body.pagination).toEqual({ page: 2, perPage: 2, total: 5, totalPages: 3 })
    expect(res.body.data).toHaveLength(2)
    expect(created.map((p) => p.id)).toEqual(expect.arrayContaining(ids(res)))
  })

  test('archived products are left out', async () => {
    const category = marker('cat')
    const kept = await createProduct(ctx, seller, { category })
    const gone = await createProduct(ctx, seller, { category })
    await archive(ctx, seller, gone.id)

    const res = await list(`category=${category}`)
    expect(ids(res)).toEqual([kept.id])
    expect(res.body.pagination.total).toBe(1)
  })

  test('search matches name and description case-insensitively', async () => {
    const word = marker('w')
    const byName = await createProduct(ctx, seller, { name: `The ${word.toUpperCase()} lamp` })
    const byDescription = await createProduct(ctx, seller, { description: `Made with ${word}.` })

    const res = await list(`search=${word}`)
    expect(ids(res).sort()).toEqual([byName.id, byDescription.id].sort())
    expect(res.body.pagination.total).toBe(2)
  })

  test('an all-digit search also matches the dataset\'s numeric id exactly', async () => {
    const originalProductId = uniqueDatasetId()
    const res = await call(ctx, 'POST', '/api/products', {
      token: admin.token,
      body: { name: `dataset ${marker()}`, price: 1, stock: 1, category: 'x', originalProductId },
    })
    expect(res.status).toBe(201)

    const found = await list(`search=${originalProductId}`)
    expect(ids(found)).toContain(res.body.id)
    const prefix = await list(`search=${String(originalProductId).slice(0, -1)}9999999999`)
    expect(ids(prefix)).not.toContain(res.body.id)
  })

  test('a one- or two-digit search matches only the dataset id, not text', async () => {
    const word = marker('w')
    const text = await createProduct(ctx, seller, { name: `${word} 83 lamp` })
    const res = await list(`search=83&sellerId=${seller.id}`)
    expect(res.status).toBe(200)
    expect(ids(res)).not.toContain(text.id)
    expect(ids(await list(`search=${word} 83`))).toEqual([text.id])
  })

  test('% and _ in a search are literal characters, not wildcards', async () => {
    const word = marker('w')
    const literal = await createProduct(ctx, seller, { name: `${word}_1 100%` })
    await createProduct(ctx, seller, { name: `${word}x1 100x` })

    expect(ids(await list(`search=${word}_1`))).toEqual([literal.id])
    expect(ids(await list(`search=${encodeURIComponent(`${word}%1`)}`))).toEqual([])
    expect(ids(await list(`search=${encodeURIComponent('0%')}&sellerId=${seller.id}`)))
      .toContain(literal.id)
  })

  test('sellerId and the price range filter', async () => {
    const { category, created } = await seedCategory()
    const res = await list(`category=${category}&minPrice=20&maxPrice=40.00&sort=price_asc`)
    const expected = created.filter((p) => p.price >= 20 && p.price <= 40)
      .sort((a, b) => a.price - b.price).map((p) => p.id)
    expect(ids(res)).toEqual(expected)

    const other = await createAccount(ctx, 'seller')
    const theirs = await createProduct(ctx, other, { category })
    expect(ids(await list(`category=${category}&sellerId=${other.id}`))).toEqual([theirs.id])
  })
})

describe('GET /api/products: sorting', () => {
  test('each sort option orders the page, newest by default', async () => {
    const { category, created } = await seedCategory()
    const by = (compare: (a: typeof created[0], b: typeof created[0]) => number) =>
      [...created].sort(compare).map((p) => p.id)
    const average = (p: typeof created[0]) => p.ratings[0] ? p.ratings[1]! / p.ratings[0] : -1

    const expectations: Record<string, string[]> = {
      '': [...created].reverse().map((p) => p.id),
      newest: [...created].reverse().map((p) => p.id),
      oldest: created.map((p) => p.id),
      price_asc: by((a, b) => a.price - b.price),
      price_desc: by((a, b) => b.price - a.price),
      name_asc: by((a, b) => a.name.localeCompare(b.name)),
      name_desc: by((a, b) => b.name.localeCompare(a.name)),
      rating_desc: by((a, b) => average(b) - average(a)),
    }
    for (const [sort, expected] of Object.entries(expectations)) {
      const res = await list(`category=${category}${sort ? `&sort=${sort}` : ''}`)
      expect({ sort, ids: ids(res) }).toEqual({ sort, ids: expected })
    }
  })

  test('rows with equal sort keys keep one order across pages (id breaks ties)', async () => {
    const category = marker('cat')
    const made = []
    for (let i = 0; i < 6; i += 1) made.push((await createProduct(ctx, seller, { category })).id)
    await ctx.database.db.update(products)
      .set({ createdAt: new Date('2024-05-01T00:00:00Z') })
      .where(inArray(products.id, made))

    for (const sort of ['newest', 'price_asc', 'rating_desc']) {
      const pages = []
      for (let page = 1; page <= 3; page += 1) {
        pages.push(...ids(await list(`category=${category}&sort=${sort}&perPage=2&page=${page}`)))
      }
      expect(pages.sort()).toEqual([...made].sort())
    }
  })

  test('an unknown sort → 400', async () => {
    const res = await list('sort=popularity')
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('sort')
  })
})

describe('GET /api/products: paging limits and bad queries', () => {
  test('perPage is capped at 100', async () => {
    const res = await list('perPage=1000')
    expect(res.status).toBe(200)
    expect(res.body.pagination.perPage).toBe(100)
    expect(res.body.data.length).toBeLessThanOrEqual(100)
  })

  const refused: [string, string][] = [
    ['page=0x1', 'page'], ['page=1e2', 'page'], ['page=-1', 'page'], ['page=0', 'page'],
    ['perPage=0', 'perPage'], ['perPage=1.5', 'perPage'], ['page=%201', 'page'],
    ['minPrice=1e3', 'minPrice'], ['maxPrice=-5', 'maxPrice'], ['minPrice=1.234', 'minPrice'],
    ['sellerId=not-a-uuid', 'sellerId'], ['search=a%00b', 'search'],
    [`search=${'x'.repeat(201)}`, 'search'], ['category=a%00', 'category'],
  ]
  for (const [query, field] of refused) {
    test(`${query.slice(0, 40)} → 400 naming ${field}`, async () => {
      const res = await list(query)
      expect(res.status).toBe(400)
      expect(res.body.error.details[0].field).toBe(field)
    })
  }

  test('minPrice above maxPrice → 400', async () => {
    const res = await list('minPrice=50&maxPrice=10')
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('minPrice')
  })

  test('a page past the end is empty but keeps the total', async () => {
    const { category } = await seedCategory()
    const res = await list(`category=${category}&page=9`)
    expect(res.body.data).toEqual([])
    expect(res.body.pagination.total).toBe(5)
  })
})
