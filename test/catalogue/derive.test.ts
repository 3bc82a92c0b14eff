import { describe, expect, test } from 'bun:test'
import { resolve } from 'node:path'
import { RowError, type DatasetRow } from '../../src/catalogue/dataset'
import {
  categoryNames, datasetFields, deriveProduct, productUuid,
} from '../../src/catalogue/derive'
import { readDatasetRows } from '../../src/catalogue/source'

const sample = resolve(import.meta.dir, '../fixtures/products-sample.csv')

async function sampleRows(): Promise<DatasetRow[]> {
  const rows: DatasetRow[] = []
  for await (const row of readDatasetRows(sample)) {
    if (row instanceof RowError) throw row
    rows.push(row)
  }
  return rows
}

describe('derived product fields', () => {
  test('the committed sample has 300 valid rows', async () => {
    expect(await sampleRows()).toHaveLength(300)
  })

  test('the same product id gives the same fields, run after run', async () => {
    const rows = await sampleRows()
    const first = rows.map((row) => deriveProduct(row.productId))
    const second = rows.map((row) => deriveProduct(row.productId))
    expect(second).toEqual(first)
  })

  test('fields are pinned: a change of derivation is a visible decision', () => {
    expect(deriveProduct(11)).toEqual({
      name: 'Tidewell Heavy-Duty Hoodie, Large',
      category: 'Clothing',
      description: 'The Tidewell Heavy-Duty Hoodie comes with a wide range of sizes and '
        + 'breathable fabric. Designed and tested for daily use.',
      price: '93.99',
      stock: 274,
    })
  })

  test('fields are plausible for every sampled product', async () => {
    const names = new Set<string>()
    for (const row of await sampleRows()) {
      const product = deriveProduct(row.productId)
      names.add(product.name)
      expect(categoryNames).toContain(product.category)
      expect(product.price).toMatch(/^\d+\.\d{2}$/)
      expect(Number(product.price)).toBeGreaterThan(0)
      expect(product.stock).toBeGreaterThanOrEqual(0)
      expect(product.stock).toBeLessThanOrEqual(500)
      expect(product.description.length).toBeGreaterThan(40)
    }
    expect(names.size).toBeGreaterThan(250)
  })

  test('neighbouring ids do not give neighbouring products', () => {
    const categories = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((id) => deriveProduct(id).category))
    expect(categories.size).toBeGreaterThan(3)
  })

  test('trust is the complement of the fake score, and dataset fields are kept', async () => {
    const [row] = await sampleRows()
    const fields = datasetFields(row!)
    expect(fields.trustScore).toBeCloseTo(1 - row!.fakeScore, 6)
    expect(fields).toMatchObject({
      originalProductId: row!.productId,
      fakeProbability: row!.fakeScore,
      reviewCount: row!.reviewCount,
      averageRating: row!.averageRating,
      isFake: row!.fake,
    })
  })

  test('product ids are stable UUIDs that encode the dataset id', () => {
    expect(productUuid(0)).toBe('00000000-5eed-8000-8000-000000000000')
    expect(productUuid(64584)).toBe('00000000-5eed-8000-8000-00000000fc48')
    expect(productUuid(2147483647)).toMatch(/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/)
  })
})
