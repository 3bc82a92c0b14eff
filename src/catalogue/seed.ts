import type { DatabaseHandle } from '../db/client'
import { RowError, type DatasetRow } from './dataset'
import {
  countNewProducts, createProductStaging, ensureImporterSeller, mergeStagedProducts,
  stageProducts, suspendSearchIndexes, type UpsertCounts,
} from './import-products'
import { writeReviewGroup, type ReviewGroupResult } from './import-reviews'
import { rawDatabase } from './raw-sql'
import { scaledCount } from './review-generator'
import { readDatasetRows } from './source'
import { createTaskPool } from './task-pool'

export interface SeedOptions {
  file: string
  /** Also generate reviews. */
  reviews: boolean
  /** Reviews per product = the row's count times this factor (at least one). */
  scale: number
  /** From this many new products on, search indexes are rebuilt after the load. */
  bulkLoadRows?: number
}

/** What the caller hears while the import runs (progress, bad rows). */
export interface SeedEvents {
  phase?(name: string, totalRows: number | undefined): void
  progress?(rows: number): void
  rowError?(error: RowError): void
}

export interface SeedResult {
  sellerId: string
  products: UpsertCounts & { rows: number }
  badRows: number
  reviews: (ReviewGroupResult & { expected: number }) | undefined
}

const productBatch = 5000
const defaultBulkLoadRows = 5000
const reviewBatchRows = 20_000
const reviewBatchProducts = 500

/**
 * Imports a dataset file: products first (one pass over the file), then, when asked,
 * generated reviews (a second pass, so neither pass holds the file in memory).
 */
export async function seedCatalogue(
  handle: DatabaseHandle,
  options: SeedOptions,
  events: SeedEvents = {},
): Promise<SeedResult> {
  const sellerId = await ensureImporterSeller(handle.db)
  events.phase?.('products', undefined)
  const imported = await importProducts(handle, sellerId, options, events)

  let reviews: SeedResult['reviews']
  if (options.reviews) {
    events.phase?.('reviews', imported.expectedReviews)
    const written = await importReviews(handle, options, events)
    reviews = { ...written, expected: imported.expectedReviews }
  }

  return { sellerId, products: imported.counts, badRows: imported.badRows, reviews }
}

async function importProducts(
  handle: DatabaseHandle,
  sellerId: string,
  options: SeedOptions,
  events: SeedEvents,
) {
  let rows = 0
  let badRows = 0
  let expectedReviews = 0

  const counts = await rawDatabase(handle).transaction(async (tx) => {
    await createProductStaging(tx)

    let batch: DatasetRow[] = []
    for await (const row of readDatasetRows(options.file)) {
      if (row instanceof RowError) {
        badRows += 1
        events.rowError?.(row)
        continue
      }

      rows += 1
      expectedReviews += scaledCount(row.reviewCount, options.scale)
      batch.push(row)
      if (batch.length === productBatch) {
        await stageProducts(tx, sellerId, batch)
        events.progress?.(batch.length)
        batch = []
      }
    }
    await stageProducts(tx, sellerId, batch)
    events.progress?.(batch.length)

    events.phase?.('products: writing', undefined)
    const fresh = await countNewProducts(tx)
    const bulk = fresh >= (options.bulkLoadRows ?? defaultBulkLoadRows)
    const rebuild = bulk ? await suspendSearchIndexes(tx) : undefined
    const written = await mergeStagedProducts(tx)
    await rebuild?.()
    events.progress?.(rows)
    return written
  })

  return { counts: { rows, ...counts }, badRows, expectedReviews }
}

async function importReviews(handle: DatabaseHandle, options: SeedOptions, events: SeedEvents) {
  const raw = rawDatabase(handle)
  const pool = createTaskPool(raw.parallelism)
  const total: ReviewGroupResult = { written: 0, complete: 0, missing: 0 }

  const flush = (group: DatasetRow[], rows: number) => pool.run(async () => {
    const result = await writeReviewGroup(raw, group, options.scale)
    total.written += result.written
    total.complete += result.complete
    total.missing += result.missing
    events.progress?.(rows)
  })

  let group: DatasetRow[] = []
  let groupRows = 0
  for await (const row of readDatasetRows(options.file)) {
    if (row instanceof RowError) continue

    group.push(row)
    groupRows += scaledCount(row.reviewCount, options.scale)
    if (groupRows >= reviewBatchRows || group.length >= reviewBatchProducts) {
      await flush(group, groupRows)
      group = []
      groupRows = 0
    }
  }
  if (group.length > 0) await flush(group, groupRows)
  await pool.drain()
  return total
}
