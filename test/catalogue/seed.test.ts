import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { eq, inArray, sql } from 'drizzle-orm'
import type { RowError } from '../../src/catalogue/dataset'
import { deriveProduct, productUuid } from '../../src/catalogue/derive'
import { importerAccount } from '../../src/catalogue/import-products'
import { scaledCount } from '../../src/catalogue/review-generator'
import { seedCatalogue, type SeedOptions } from '../../src/catalogue/seed'
import { parseSeedArgs } from '../../src/cli/seed'
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../src/db/client'
import { products, reviews, users } from '../../src/db/schema'

const sample = resolve(import.meta.dir, '../fixtures/products-sample.csv')
const lines = readFileSync(sample, 'utf8').trimEnd().split('\n')
const header = lines[0]!
const idColumn = header.split(',').indexOf('product_ID')

// On a shared PostgreSQL, earlier runs left their products: shift the dataset ids into a
// range of our own so every run starts from products nobody imported yet.
const base = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000)
const sampleRows = lines.slice(1, 61).map((line) => {
  const fields = line.split(',')
  fields[idColumn] = String(base + Number(fields[idColumn]))
  return fields
})
const ids = sampleRows.map((fields) => Number(fields[idColumn]))
const uuids = ids.map(productUuid)
const expectedReviews = (scale: number) => sampleRows.reduce(
  (sum, fields) => sum + scaledCount(Number(fields[0]), scale), 0)

let database: DatabaseHandle
let dir: string

function writeCsv(name: string, rows: string[][], extra: string[] = []): string {
  const path = join(dir, name)
  writeFileSync(path, [header, ...rows.map((f) => f.join(',')), ...extra].join('\n') + '\n')
  return path
}

const seed = (file: string, options: Partial<SeedOptions> = {}, errors: RowError[] = []) =>
  seedCatalogue(database, { file, reviews: true, scale: 0.05, ...options }, {
    rowError: (error) => errors.push(error),
  })

async function reviewTotals() {
  const [row] = await database.db.select({
    reviews: sql<number>`count(*)::int`,
  }).from(reviews).where(inArray(reviews.productId, uuids))
  const [stats] = await database.db.select({
    count: sql<number>`sum(${products.ratingCount})::int`,
    sum: sql<number>`sum(${products.ratingSum})::int`,
  }).from(products).where(inArray(products.id, uuids))
  const [actual] = await database.db.select({
    sum: sql<number>`coalesce(sum(${reviews.reviewRating}), 0)::int`,
  }).from(reviews).where(inArray(reviews.productId, uuids))
  return {
    reviews: row!.reviews, ratingCount: stats!.count, ratingSum: stats!.sum, sum: actual!.sum,
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seed-test-'))
  database = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: 'memory://',
  })
  await migrateDatabase(database)
})

afterAll(async () => {
  await database.db.delete(reviews).where(inArray(reviews.productId, uuids))
  await database.db.delete(products).where(inArray(products.id, uuids))
  await database.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('seeding the catalogue', () => {
  test('imports every row as a product of the importer seller, with reviews', async () => {
    const file = writeCsv('first.csv', sampleRows)
    const result = await seed(file)

    expect(result.products).toEqual({ rows: 60, inserted: 60, updated: 0, unchanged: 0 })
    expect(result.badRows).toBe(0)
    expect(result.reviews).toMatchObject({ written: expectedReviews(0.05), complete: 0 })

    const [seller] = await database.db.select().from(users).where(eq(users.id, result.sellerId))
    expect(seller).toMatchObject({ email: importerAccount.email, role: 'seller' })

    const [product] = await database.db.select().from(products).where(eq(products.id, uuids[0]!))
    const fields = sampleRows[0]!
    expect(product).toMatchObject({
      sellerId: result.sellerId,
      originalProductId: ids[0],
      reviewCount: Number(fields[0]),
      averageRating: Number(fields[1]),
      fakeProbability: Number(fields[11]),
      isFake: fields[12] === '1',
      name: deriveProduct(ids[0]!).name,
      price: deriveProduct(ids[0]!).price,
    })
    expect(product!.trustScore).toBeCloseTo(1 - Number(fields[11]), 6)
  })

  test('sets the live rating count and sum exactly from the stored reviews', async () => {
    const totals = await reviewTotals()
    expect(totals.reviews).toBe(expectedReviews(0.05))
    expect(totals.ratingCount).toBe(totals.reviews)
    expect(totals.ratingSum).toBe(totals.sum)
  })

  test('a re-run duplicates nothing and rewrites nothing', async () => {
    const before = await reviewTotals()
    const result = await seed(join(dir, 'first.csv'))

    expect(result.products).toEqual({ rows: 60, inserted: 0, updated: 0, unchanged: 60 })
    expect(result.reviews).toMatchObject({ written: 0, complete: 60 })
    expect(await reviewTotals()).toEqual(before)
  })

  test('a new scale replaces generated reviews but keeps edits and users\' reviews', async () => {
    const [someone] = await database.db.select({ id: users.id }).from(users)
      .where(eq(users.email, importerAccount.email))
    await database.db.update(products).set({ name: 'Edited by its seller' })
      .where(eq(products.id, uuids[1]!))
    await database.db.insert(reviews).values({
      productId: uuids[1]!, userId: someone!.id, reviewerId: someone!.id, reviewRating: 1,
    })

    const result = await seed(join(dir, 'first.csv'), { scale: 0.1 })
    expect(result.reviews!.written).toBe(expectedReviews(0.1))

    const totals = await reviewTotals()
    expect(totals.reviews).toBe(expectedReviews(0.1) + 1)
    expect(totals.ratingCount).toBe(totals.reviews)
    expect(totals.ratingSum).toBe(totals.sum)

    const [edited] = await database.db.select().from(products).where(eq(products.id, uuids[1]!))
    expect(edited!.name).toBe('Edited by its seller')
  })

  test('a changed dataset field in the file updates that product only', async () => {
    const changed = sampleRows.map((fields) => [...fields])
    changed[2]![11] = '0.77'
    const result = await seed(writeCsv('changed.csv', changed), { reviews: false })

    expect(result.products).toEqual({ rows: 60, inserted: 0, updated: 1, unchanged: 59 })
    const [row] = await database.db.select().from(products).where(eq(products.id, uuids[2]!))
    expect(row).toMatchObject({ fakeProbability: 0.77 })
    expect(row!.trustScore).toBeCloseTo(0.23, 6)
  })

  test('bad rows are skipped and reported by line; the good ones are imported', async () => {
    const errors: RowError[] = []
    const bad = [...sampleRows[3]!]
    bad[1] = 'four'
    const file = writeCsv('bad.csv', [sampleRows[3]!, bad, sampleRows[4]!, sampleRows[3]!])
    const result = await seed(file, { reviews: false }, errors)

    expect(result.badRows).toBe(2)
    expect(result.products.rows).toBe(2)
    expect(errors.map((e) => e.message)).toEqual([
      'line 3: avg_review_rating is not a number: "four"',
      `line 5: product_ID ${ids[3]} appears earlier in the file`,
    ])
  })

  test('a file without the required columns imports nothing', async () => {
    const file = join(dir, 'wrong.csv')
    writeFileSync(file, 'product_ID,name\n1,x\n')
    await expect(seed(file)).rejects.toThrow('lacks column(s) n_of_reviews')
  })

  test('a large load rebuilds the search indexes, which are there afterwards', async () => {
    const shifted = sampleRows.slice(0, 3).map((fields) => [...fields])
    for (const fields of shifted) fields[idColumn] = String(Number(fields[idColumn]) + 500_000)
    const extra = shifted.map((fields) => productUuid(Number(fields[idColumn])))
    uuids.push(...extra)

    const result = await seed(writeCsv('bulk.csv', shifted), { reviews: false, bulkLoadRows: 1 })
    expect(result.products.inserted).toBe(3)

    const indexes = await database.db.select({ name: sql<string>`indexname` })
      .from(sql`pg_indexes`).where(sql`tablename = 'products' and indexdef like '% USING gin %'`)
    expect(indexes.map((i) => i.name).sort())
      .toEqual(['products_description_trgm_idx', 'products_name_trgm_idx'])
  })
})

describe('seed command arguments', () => {
  test('accepts a file with --reviews, --scale and --quiet', () => {
    expect(parseSeedArgs([sample, '--reviews', '--scale', '0.2', '--quiet'])).toEqual({
      file: sample, reviews: true, scale: 0.2, quiet: true,
    })
  })

  test.each([
    [[], 'Usage'],
    [['missing.csv'], 'No such file'],
    [[sample, '--scale', '0.2'], 'only applies with --reviews'],
    [[sample, '--reviews', '--scale', '-1'], 'above 0'],
    [[sample, '--reviews', '--scale', '1e3'], 'above 0'],
    [[sample, '--reviews', '--scale', '11'], 'at most 10'],
    [[sample, '--force'], 'Unknown option --force'],
    [[sample, sample], 'Only one file'],
  ])('refuses %p', (args, message) => {
    expect(parseSeedArgs(args as string[])).toContain(message)
  })
})
