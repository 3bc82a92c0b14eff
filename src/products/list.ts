import { and, asc, count, desc, eq, gte, ilike, isNull, lte, or, sql } from 'drizzle-orm'
import type { SQL } from 'drizzle-orm'
import type { Database } from '../db/client'
import { products } from '../db/schema'
import type { PageRequest } from '../http/pagination'
import { paginationOf } from '../http/pagination'
import { invalid } from '../shared/errors'
import { toCents } from '../shared/money'
import type { ProductListFilters, ProductSort } from './schemas'
import { productColumns, toProductView } from './view'

const MAX_INT4 = 2_147_483_647

// Every order ends with the id, so rows with equal keys keep one order across pages.
const orders: Record<ProductSort, SQL[]> = {
  newest: [desc(products.createdAt), desc(products.id)],
  oldest: [asc(products.createdAt), asc(products.id)],
  price_asc: [asc(products.price), asc(products.id)],
  price_desc: [desc(products.price), asc(products.id)],
  name_asc: [asc(products.name), asc(products.id)],
  name_desc: [desc(products.name), asc(products.id)],
  rating_desc: [
    sql`${products.ratingSum}::float8 / nullif(${products.ratingCount}, 0) desc nulls last`,
    desc(products.ratingCount),
    asc(products.id),
  ],
}

/**
 * The public catalogue: active products matching the filters, one page of them and the
 * total, read with two queries run side by side.
 */
export async function listProducts(db: Database, filters: ProductListFilters, page: PageRequest) {
  const where = and(isNull(products.archivedAt), ...filterConditions(filters))
  return pageOfProducts(db, where, orders[filters.sort ?? 'newest'], page)
}

/** A seller's own products, archived ones included, newest first. */
export async function listSellerProducts(db: Database, sellerId: string, page: PageRequest) {
  return pageOfProducts(db, eq(products.sellerId, sellerId), orders.newest, page)
}

async function pageOfProducts(
  db: Database,
  where: SQL | undefined,
  orderBy: SQL[],
  page: PageRequest,
) {
  const [rows, [counted]] = await Promise.all([
    db.select(productColumns).from(products).where(where)
      .orderBy(...orderBy).limit(page.perPage).offset(page.offset),
    db.select({ total: count() }).from(products).where(where),
  ])
  return { data: rows.map(toProductView), pagination: paginationOf(page, counted?.total ?? 0) }
}

function filterConditions(filters: ProductListFilters): SQL[] {
  const conditions: SQL[] = []
  if (filters.category !== undefined) conditions.push(eq(products.category, filters.category))
  if (filters.sellerId !== undefined) conditions.push(eq(products.sellerId, filters.sellerId))
  if (filters.minPrice !== undefined) conditions.push(gte(products.price, filters.minPrice))
  if (filters.maxPrice !== undefined) conditions.push(lte(products.price, filters.maxPrice))

  const { minPrice, maxPrice } = filters
  if (minPrice !== undefined && maxPrice !== undefined && toCents(minPrice) > toCents(maxPrice)) {
    throw invalid('minPrice', 'must not exceed maxPrice')
  }

  const term = filters.search?.trim()
  if (term) conditions.push(searchCondition(term))
  return conditions
}

/**
 * Case-insensitive substring match over name and description; ILIKE '%term%' is served by the
 * pg_trgm GIN indexes on both columns. An all-digit term also matches the dataset's id.
 */
function searchCondition(term: string): SQL {
  const datasetId = /^\d{1,10}$/.test(term) && Number(term) <= MAX_INT4 ? Number(term) : undefined
  const byId = datasetId === undefined ? undefined : eq(products.originalProductId, datasetId)

  // Trigrams need three characters: "83" as text would scan every description, and what
  // someone typing two digits wants is product 83.
  if (byId && term.length < 3) return byId

  const pattern = `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
  return or(ilike(products.name, pattern), ilike(products.description, pattern), byId)!
}
