import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { datasetColumns } from '../src/catalogue/dataset'
import { seedCatalogue, type SeedOptions } from '../src/catalogue/seed'
import { createProgress, type Progress } from '../src/cli/progress'
import type { DatabaseHandle } from '../src/db/client'

/** The real dataset, read in place (never copied into the project). */
export const datasetFile = resolve(import.meta.dir, '../../shared/data/products-64k.csv')
export const datasetProducts = 64_585
/** 0.2 of the dataset's 11,045,767 reviews: 2,208,890 generated reviews. */
export const reviewScale = 0.2
export const minimumReviews = 2_000_000

/**
 * No product of the dataset has more than 999 reviews, so a page 100,000 rows deep needs a
 * product of its own: this one gets 150,000 generated reviews.
 */
export const deepProduct = { datasetId: 999_999_999, reviews: 150_000 }
export const deepRow = 100_000

type Sql = NonNullable<DatabaseHandle['raw']>

/** Seeds whatever is missing: the 64k products, 2M+ reviews and the deep product. */
export async function ensureBenchData(database: DatabaseHandle): Promise<void> {
  const sql = database.raw!
  if (await hasBenchData(sql)) return

  process.stderr.write('Seeding the benchmark data (once; later runs reuse it)...\n')
  await seed(database, { file: datasetFile, reviews: true, scale: reviewScale })

  const dir = mkdtempSync(join(tmpdir(), 'bench-deep-'))
  try {
    const file = join(dir, 'deep-product.csv')
    writeFileSync(file, `${datasetColumns.join(',')}\n${deepProductRow()}\n`)
    await seed(database, { file, reviews: true, scale: 1 })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function hasBenchData(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ products: number; reviews: number; deep: number | null }[]>`
    select
      (select count(*)::int from products where original_product_id is not null) as products,
      (select count(*)::int from reviews) as reviews,
      (select rating_count from products where original_product_id = ${deepProduct.datasetId})
        as deep`
  return row!.products > datasetProducts && row!.reviews >= minimumReviews + deepProduct.reviews
    && (row!.deep ?? 0) >= deepProduct.reviews
}

async function seed(database: DatabaseHandle, options: SeedOptions) {
  let progress: Progress | undefined
  await seedCatalogue(database, options, {
    phase(name, total) {
      progress?.done()
      progress = createProgress({ label: name, total })
    },
    progress: (rows) => progress?.tick(rows),
  })
  progress?.done()
}

/** A dataset row in file order: 150k reviews, mean 4.1 stars, about 20 years of gaps. */
function deepProductRow(): string {
  const values: Record<(typeof datasetColumns)[number], number> = {
    n_of_reviews: deepProduct.reviews,
    avg_review_rating: 4.1,
    avg_days_between_reviews: 0.05,
    max_days_between_reviews: 3,
    min_days_between_reviews: 0,
    product_ID: deepProduct.datasetId,
    cluster_ID: 0,
    pagerank: 0.001,
    eigenvector_cent: 0.01,
    clustering_coef: 0.1,
    w_degree: 10,
    fake_score: 0.05,
    fake: 0,
  }
  return datasetColumns.map((column) => values[column]).join(',')
}
