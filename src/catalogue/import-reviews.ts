import type { DatasetRow } from './dataset'
import { hex } from './derive'
import { copyText, type RawDatabase, type RawSession } from './raw-sql'
import { generateReviews, scaledCount } from './review-generator'

export interface ReviewGroupResult {
  /** Reviews written by this call. */
  written: number
  /** Products whose generated reviews were already complete, left untouched. */
  complete: number
  /** Rows whose product is not in the database (never imported), skipped. */
  missing: number
}

const reviewColumns = [
  'id', 'product_id', 'reviewer_id', 'review_rating', 'review_title', 'review_body',
  'number_of_helpful', 'review_date',
] as const

/**
 * Generated reviews of a product carry ids in one range (see reviewUuid), so counting,
 * replacing or deleting them never touches reviews written by real users.
 */
const rangeOf = (productId: number) => {
  const prefix = `${hex(productId, 8)}-5eed-8001-8000-`
  return { low: `${prefix}000000000000`, high: `${prefix}ffffffffffff` }
}

interface ProductState {
  id: string
  productId: number
  generated: number
}

/**
 * Makes the generated reviews of these rows match the scale: a product that already has
 * exactly its generated reviews is skipped; any other has them replaced in one transaction,
 * which also sets its live rating count and sum from the reviews it now holds.
 */
export async function writeReviewGroup(
  raw: RawDatabase,
  rows: DatasetRow[],
  scale: number,
): Promise<ReviewGroupResult> {
  const states = await readStates(raw, rows)
  const byProductId = new Map(states.map((state) => [state.productId, state]))
  const result: ReviewGroupResult = { written: 0, complete: 0, missing: 0 }

  const pending: { row: DatasetRow; state: ProductState }[] = []
  for (const row of rows) {
    const state = byProductId.get(row.productId)
    if (!state) result.missing += 1
    else if (state.generated === scaledCount(row.reviewCount, scale)) result.complete += 1
    else pending.push({ row, state })
  }
  if (pending.length === 0) return result

  const lines: string[] = []
  for (const { row, state } of pending) {
    for (const review of generateReviews(row, scale)) {
      lines.push([
        review.id, state.id, copyText(review.reviewerId), review.rating,
        copyText(review.title), copyText(review.body), review.helpful,
        review.reviewDate.toISOString(),
      ].join('\t'))
    }
  }

  await raw.transaction((tx) => replaceReviews(tx, pending.map((p) => p.state), lines))
  result.written = lines.length
  return result
}

async function readStates(raw: RawDatabase, rows: DatasetRow[]): Promise<ProductState[]> {
  return raw.query<ProductState>(`
    select p.id, p.original_product_id as "productId",
      (select count(*)::int from reviews r where r.id between
        (lpad(to_hex(p.original_product_id), 8, '0') || '-5eed-8001-8000-000000000000')::uuid
        and (lpad(to_hex(p.original_product_id), 8, '0') || '-5eed-8001-8000-ffffffffffff')::uuid
      ) as generated
    from products p
    where p.original_product_id = any($1::int[])`,
  [pgArray(rows.map((row) => row.productId))])
}

async function replaceReviews(tx: RawSession, states: ProductState[], lines: string[]) {
  const ids = pgArray(states.map((state) => state.id))

  // Lock the products first: a review posted meanwhile through the API then waits for us,
  // and its own increment lands on top of the exact totals set below.
  await tx.query('select id from products where id = any($1::uuid[]) order by id for update', [ids])

  const stale = states.filter((state) => state.generated > 0)
  if (stale.length > 0) {
    const ranges = stale.map((state) => rangeOf(state.productId))
    await tx.query(`
      delete from reviews r
      using unnest($1::uuid[], $2::uuid[]) as g(low, high)
      where r.id between g.low and g.high`,
    [pgArray(ranges.map((r) => r.low)), pgArray(ranges.map((r) => r.high))])
  }

  if (lines.length > 0) await tx.copyIn('reviews', reviewColumns, `${lines.join('\n')}\n`)

  await tx.query(`
    update products p set rating_count = coalesce(s.count, 0), rating_sum = coalesce(s.sum, 0)
    from (select id from products where id = any($1::uuid[])) as target
    left join (
      select product_id, count(*)::int as count, sum(review_rating)::int as sum
      from reviews where product_id = any($1::uuid[]) group by product_id
    ) as s on s.product_id = target.id
    where p.id = target.id`,
  [ids])
}

/** An array literal for a `$n::type[]` parameter; the same text works on both drivers. */
function pgArray(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`
}
