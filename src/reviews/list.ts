import { and, eq, isNull, sql, type Placeholder } from 'drizzle-orm'
import type { Database } from '../db/client'
import { preparedPerDatabase } from '../db/prepared'
import { products, reviews } from '../db/schema'
import { paginationOf, toPageRequest } from '../http/pagination'
import { invalid, notFound } from '../shared/errors'
import type { ReviewView } from './schemas'
import { toReviewView } from './view'

/** Where a keyset page starts: just after this (reviewDate, id) in newest-first order. */
export interface ReviewCursor {
  /** ISO 8601 UTC text with up to microsecond precision, as PostgreSQL stores it. */
  reviewDate: string
  id: string
}

const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * An opaque cursor for the reviews after (reviewDate, id). A `Date` carries milliseconds
 * only; pass the ISO text read from the database when dates have microseconds.
 *
 * @example encodeReviewCursor(row.reviewDate, row.id) // page after that row
 */
export function encodeReviewCursor(reviewDate: Date | string, id: string): string {
  const iso = typeof reviewDate === 'string' ? reviewDate : reviewDate.toISOString()
  return Buffer.from(`${iso}|${id}`, 'utf8').toString('base64url')
}

/** Reads a cursor back; anything that did not come from `encodeReviewCursor` is a 400. */
export function decodeReviewCursor(text: string): ReviewCursor {
  const malformed = () => invalid('cursor', 'is not a cursor this API issued')
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) throw malformed()

  const [reviewDate = '', id = '', ...rest] = Buffer.from(text, 'base64url')
    .toString('utf8')
    .split('|')
  const valid = rest.length === 0 && isoPattern.test(reviewDate) && uuidPattern.test(id) &&
    isRealDate(reviewDate)
  if (!valid) throw malformed()

  return { reviewDate, id: id.toLowerCase() }
}

// Refuses dates such as Feb 30 that JS would roll over but PostgreSQL would reject with a 500.
function isRealDate(iso: string): boolean {
  const parsed = new Date(iso)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === iso.slice(0, 19)
}

export interface ReviewListRequest {
  perPage: number
  /** Keyset paging: start after this cursor. */
  cursor?: string
  /** Offset paging (the older page/perPage clients); ignored when a cursor is given. */
  offset?: number
}

/**
 * One page of a product's reviews, newest first (ties broken by id), plus the cursor of the
 * next page (null on the last). Keyset pages read the `reviews_product_date_idx` index from
 * the cursor on, so a page deep in millions of reviews costs what the first one does.
 * The caller checks that the product exists.
 */
export async function listProductReviews(
  db: Database,
  productId: string,
  request: ReviewListRequest,
): Promise<{ data: ReviewView[]; nextCursor: string | null }> {
  const after = request.cursor === undefined ? undefined : decodeReviewCursor(request.cursor)
  const statements = preparedFor(db)
  const limit = request.perPage + 1
  const rows = after
    ? await statements.afterCursor.execute({ productId, limit, ...after })
    : await statements.firstPages.execute({ productId, limit, offset: request.offset ?? 0 })

  const page = rows.slice(0, request.perPage)
  const last = page.at(-1)
  const nextCursor = rows.length > request.perPage && last
    ? encodeReviewCursor(last.cursorDate, last.id)
    : null
  return { data: page.map(toReviewView), nextCursor }
}

/**
 * The SELECT of one page (exported so tests can EXPLAIN the very statement the API runs):
 * `(review_date, id) < (cursor)` matches the index order, so PostgreSQL starts the index
 * scan at the cursor instead of walking the rows before it.
 */
export function reviewPageQuery(
  db: Database,
  productId: Bound<string>,
  limit: Bound<number>,
  after?: { reviewDate: Bound<string>; id: Bound<string> },
  offset: Bound<number> = 0,
) {
  return db
    .select({ ...viewColumns, cursorDate: exactDate })
    .from(reviews)
    .where(and(
      eq(reviews.productId, productId),
      after && sql`(${reviews.reviewDate}, ${reviews.id})
        < (${after.reviewDate}::timestamptz, ${after.id}::uuid)`,
    ))
    .orderBy(...newestFirst)
    .limit(limit)
    .offset(after ? 0 : offset)
}

/** A value, or a placeholder bound when a prepared statement runs. */
type Bound<T> = T | Placeholder

/**
 * The listing's statements, prepared once per database: the storefront reads review pages
 * more than anything else, and building the SQL anew cost a fifth of such a request's CPU.
 */
const preparedFor = preparedPerDatabase((db) => {
  const bound = (name: string) => sql.placeholder(name)
  return {
    firstPages: reviewPageQuery(db, bound('productId'), bound('limit'), undefined, bound('offset'))
      .prepare('reviews_page'),
    afterCursor: reviewPageQuery(db, bound('productId'), bound('limit'), {
      reviewDate: bound('reviewDate'), id: bound('id'),
    }).prepare('reviews_page_after_cursor'),
    listedCount: db
      .select({ ratingCount: products.ratingCount })
      .from(products)
      .where(and(eq(products.id, bound('productId')), isNull(products.archivedAt)))
      .prepare('reviews_listed_count'),
  }
})

export interface ReviewPageQuery {
  page?: string
  perPage?: string
  cursor?: string
}

/**
 * The answer of `GET /api/reviews/product/:productId`: offset pages for the older clients,
 * keyset pages with `cursor`. `total` is the product's maintained review count, so no
 * request counts millions of rows. In cursor mode `pagination.page` is 0 (no page number).
 */
export async function reviewPage(db: Database, productId: string, query: ReviewPageQuery) {
  if (query.cursor !== undefined) {
    if (query.page !== undefined) throw invalid('page', 'cannot be combined with cursor')
    decodeReviewCursor(query.cursor)
  }

  // Independent reads, sent together: postgres.js pipelines them, one round trip instead of two.
  const request = toPageRequest(query)
  const [total, { data, nextCursor }] = await Promise.all([
    listedReviewCount(db, productId),
    listProductReviews(db, productId, {
      perPage: request.perPage,
      cursor: query.cursor,
      offset: request.offset,
    }),
  ])

  const position = query.cursor === undefined ? request : { ...request, page: 0 }
  return { data, pagination: paginationOf(position, total), nextCursor }
}

// Archived products are gone from the storefront, and so are their reviews.
async function listedReviewCount(db: Database, productId: string): Promise<number> {
  const [product] = await preparedFor(db).listedCount.execute({ productId })
  if (!product) throw notFound('Product')
  return product.ratingCount
}

// Spelled exactly as the index (drizzle-kit writes DESC NULLS LAST there): a plain DESC means
// NULLS FIRST, which does not match, and PostgreSQL would sort every review of the product.
const newestFirst = [
  sql`${reviews.reviewDate} desc nulls last`,
  sql`${reviews.id} desc nulls last`,
]

const viewColumns = {
  id: reviews.id,
  productId: reviews.productId,
  reviewerId: reviews.reviewerId,
  userId: reviews.userId,
  reviewRating: reviews.reviewRating,
  reviewTitle: reviews.reviewTitle,
  reviewBody: reviews.reviewBody,
  numberOfHelpful: reviews.numberOfHelpful,
  reviewDate: reviews.reviewDate,
  isAiGenerated: reviews.isAiGenerated,
  aiGeneratedScore: reviews.aiGeneratedScore,
  createdAt: reviews.createdAt,
  updatedAt: reviews.updatedAt,
}

// The review date at full (microsecond) precision: a JS Date would round it to milliseconds
// and a cursor built from that would skip rows sharing the millisecond.
const exactDate = sql<string>`to_char(
  ${reviews.reviewDate} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
