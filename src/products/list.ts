import { and, asc, count, desc, eq, gte, ilike, isNull, lte, or, sql } from 'drizzle-orm'
import type { SQL } from 'drizzle-orm'
import type { Database } from '../db/client'
import { preparedPerDatabase } from '../db/prepared'
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
  return pageOfProducts(db, { ...filterShape(filters), archived: false }, filters.sort, page)
}

/** A seller's own products, archived ones included, newest first. */
export async function listSellerProducts(db: Database, sellerId: string, page: PageRequest) {
  const shape = filterShape({ sellerId })
  return pageOfProducts(db, { ...shape, archived: true }, 'newest', page)
}

/**
 * Which filters a listing uses, with placeholders where the values go: listings of one shape
 * share a prepared statement, so neither drizzle nor PostgreSQL rebuild or replan the SQL.
 */
interface ListingShape {
  key: string
  conditions: SQL[]
  values: Record<string, unknown>
  /** Whether archived products are listed too. */
  archived?: boolean
}

async function pageOfProducts(
  db: Database,
  shape: ListingShape,
  sort: ProductSort = 'newest',
  page: PageRequest,
) {
  const statements = listingStatements(db, shape, sort)
  const values = { ...shape.values, limit: page.perPage, offset: page.offset }
  const [rows, [counted]] = await Promise.all([
    statements.page.execute(values),
    statements.total.execute(shape.values),
  ])
  return { data: rows.map(toProductView), pagination: paginationOf(page, counted?.total ?? 0) }
}

const statementsByShape = preparedPerDatabase(() => new Map<string, ListingStatements>())

type ListingStatements = ReturnType<typeof prepareListing>

function listingStatements(db: Database, shape: ListingShape, sort: ProductSort) {
  const key = `${shape.archived ? 'all' : 'live'}|${shape.key}|${sort}`
  const cache = statementsByShape(db)
  let statements = cache.get(key)
  if (!statements) {
    statements = prepareListing(db, shape, sort, cache.size)
    cache.set(key, statements)
  }
  return statements
}

function prepareListing(db: Database, shape: ListingShape, sort: ProductSort, serial: number) {
  const live = shape.archived ? [] : [isNull(products.archivedAt)]
  const where = and(...live, ...shape.conditions)
  return {
    page: db.select(productColumns).from(products).where(where)
      .orderBy(...orders[sort])
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(`products_page_${serial}`),
    total: db.select({ total: count() }).from(products).where(where)
      .prepare(`products_total_${serial}`),
  }
}

function filterShape(filters: Omit<ProductListFilters, 'sort'>): ListingShape {
  const { minPrice, maxPrice } = filters
  if (minPrice !== undefined && maxPrice !== undefined && toCents(minPrice) > toCents(maxPrice)) {
    throw invalid('minPrice', 'must not exceed maxPrice')
  }

  const shape: ListingShape = { key: '', conditions: [], values: {} }
  const bind = (name: string, value: unknown, condition: SQL | undefined) => {
    shape.key += `${name},`
    shape.values[name] = value
    if (condition) shape.conditions.push(condition)
  }
  const at = (name: string) => sql.placeholder(name)

  if (filters.category !== undefined) {
    bind('category', filters.category, eq(products.category, at('category')))
  }
  if (filters.sellerId !== undefined) {
    bind('sellerId', filters.sellerId, eq(products.sellerId, at('sellerId')))
  }
  if (minPrice !== undefined) bind('minPrice', minPrice, gte(products.price, at('minPrice')))
  if (maxPrice !== undefined) bind('maxPrice', maxPrice, lte(products.price, at('maxPrice')))

  const term = filters.search?.trim()
  if (term) bindSearch(term, bind, at)
  return shape
}

/**
 * Case-insensitive substring match over name and description; ILIKE '%term%' is served by the
 * pg_trgm GIN indexes on both columns. An all-digit term also matches the dataset's id.
 */
function bindSearch(
  term: string,
  bind: (name: string, value: unknown, condition: SQL | undefined) => void,
  at: (name: string) => ReturnType<typeof sql.placeholder>,
): void {
  const datasetId = /^\d{1,10}$/.test(term) && Number(term) <= MAX_INT4 ? Number(term) : undefined
  const byId = datasetId === undefined ? undefined : eq(products.originalProductId, at('datasetId'))

  // Trigrams need three characters: "83" as text would scan every description, and what
  // someone typing two digits wants is product 83.
  if (byId && term.length < 3) {
    bind('datasetId', datasetId, byId)
    return
  }

  if (byId) bind('datasetId', datasetId, undefined)
  const pattern = `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
  const text = or(ilike(products.name, at('pattern')), ilike(products.description, at('pattern')))
  bind('pattern', pattern, byId ? or(text, byId) : text)
}
