import { eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { users } from '../db/schema'
import type { DatasetRow } from './dataset'
import { datasetFields, deriveProduct, productUuid } from './derive'
import { copyText, type RawSession } from './raw-sql'

/** The account that owns every imported product; nobody knows its password. */
export const importerAccount = {
  email: 'catalogue-importer@seed.invalid',
  name: 'Catalogue Importer',
} as const

/** Finds the importer seller, creating it on the first run. Returns its id. */
export async function ensureImporterSeller(db: Database): Promise<string> {
  const existing = await findImporter(db)
  if (existing) return existing

  const unusable = `${crypto.randomUUID()}${crypto.randomUUID()}`
  await db.insert(users).values({
    email: importerAccount.email,
    name: importerAccount.name,
    role: 'seller',
    passwordHash: await Bun.password.hash(unusable, { algorithm: 'argon2id' }),
  }).onConflictDoNothing()

  const created = await findImporter(db)
  if (!created) throw new Error('Could not create the catalogue importer account')
  return created
}

async function findImporter(db: Database): Promise<string | undefined> {
  const [row] = await db.select({ id: users.id }).from(users)
    .where(eq(users.email, importerAccount.email))
  return row?.id
}

// Storefront fields, derived once when the product is created.
const createdColumns = [
  'id', 'seller_id', 'name', 'description', 'price', 'stock', 'category',
] as const

// Dataset fields, refreshed by a re-run. Storefront fields and the owner are left alone,
// so edits made through the API survive a re-import.
const datasetColumns = [
  'original_product_id', 'fake_probability', 'trust_score', 'is_fake', 'review_count',
  'average_rating', 'cluster_id', 'page_rank', 'eigenvector_centrality',
  'clustering_coefficient', 'weighted_degree',
] as const

const stagedColumns = [...createdColumns, ...datasetColumns]
const staging = 'seed_products'

/** Creates the session's staging table; it goes away with the transaction. */
export async function createProductStaging(tx: RawSession): Promise<void> {
  await tx.query(`create temp table ${staging} on commit drop as
    select ${stagedColumns.join(', ')} from products with no data`)
}

/** Copies a batch of rows into the staging table. */
export async function stageProducts(
  tx: RawSession,
  sellerId: string,
  rows: DatasetRow[],
): Promise<void> {
  if (rows.length === 0) return

  const lines = rows.map((row) => {
    const derived = deriveProduct(row.productId)
    const dataset = datasetFields(row)
    return [
      productUuid(row.productId), sellerId, copyText(derived.name),
      copyText(derived.description), derived.price, derived.stock, copyText(derived.category),
      dataset.originalProductId, dataset.fakeProbability, dataset.trustScore,
      dataset.isFake, dataset.reviewCount, dataset.averageRating, dataset.clusterId,
      dataset.pageRank, dataset.eigenvectorCentrality, dataset.clusteringCoefficient,
      dataset.weightedDegree,
    ].join('\t')
  })
  await tx.copyIn(staging, stagedColumns, `${lines.join('\n')}\n`)
}

/** How many staged rows are not yet in the catalogue. */
export async function countNewProducts(tx: RawSession): Promise<number> {
  const [row] = await tx.query<{ count: number }>(`
    select count(*)::int as count from ${staging} s
    where not exists (
      select 1 from products p where p.original_product_id = s.original_product_id)`)
  return row?.count ?? 0
}

export interface UpsertCounts {
  inserted: number
  updated: number
  unchanged: number
}

/**
 * Moves the staged rows into the catalogue in one statement: new dataset ids become
 * products, known ones get their dataset fields refreshed when they differ.
 */
export async function mergeStagedProducts(tx: RawSession): Promise<UpsertCounts> {
  const excluded = datasetColumns.map((column) => `excluded.${column}`)
  const current = datasetColumns.map((column) => `products.${column}`)
  const [row] = await tx.query<{ inserted: number; updated: number; staged: number }>(`
    with written as (
      insert into products (${stagedColumns.join(', ')})
      select ${stagedColumns.join(', ')} from ${staging}
      on conflict (original_product_id) do update
        set ${datasetColumns.map((column) => `${column} = excluded.${column}`).join(', ')}
        where (${current.join(', ')}) is distinct from (${excluded.join(', ')})
      returning (xmax = 0) as inserted
    )
    select count(*) filter (where inserted)::int as inserted,
      count(*) filter (where not inserted)::int as updated,
      (select count(*)::int from ${staging}) as staged
    from written`)

  const inserted = row?.inserted ?? 0
  const updated = row?.updated ?? 0
  return { inserted, updated, unchanged: (row?.staged ?? 0) - inserted - updated }
}

/**
 * Drops the trigram (GIN) indexes of products and returns a function that rebuilds them
 * from their own definitions. Inside one transaction, so a failure leaves them in place.
 * Building them once after a large load is several times faster than growing them row by
 * row, above all on the embedded database.
 */
export async function suspendSearchIndexes(tx: RawSession): Promise<() => Promise<void>> {
  const indexes = await tx.query<{ name: string; definition: string }>(`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = current_schema() and tablename = 'products'
      and indexdef like '% USING gin %'`)

  for (const index of indexes) await tx.query(`drop index "${index.name}"`)
  return async () => {
    await tx.query(`set local maintenance_work_mem = '256MB'`)
    for (const index of indexes) await tx.query(index.definition)
  }
}
