import { sql } from 'drizzle-orm'
import { products, reviews } from '../../src/db/schema'
import { call, type TestContext } from '../support/harness'
import { insertProduct } from '../support/products'

/** A product of a fresh seller; `archived` makes it soft-deleted. Returns its id. */
export const createProduct = (ctx: TestContext, options: { archived?: boolean } = {}) =>
  insertProduct(ctx, { label: 'Review test product', ...options })

export async function productStats(ctx: TestContext, productId: string) {
  const [row] = await ctx.database.db
    .select({ ratingCount: products.ratingCount, ratingSum: products.ratingSum })
    .from(products)
    .where(sql`${products.id} = ${productId}`)
  return row!
}

/**
 * Inserts `count` imported reviews in one statement, `perDate` of them sharing each review
 * date (microseconds included), and adds them to the product's live statistics.
 */
export async function seedReviews(
  ctx: TestContext,
  productId: string,
  count: number,
  perDate = 1,
): Promise<void> {
  const { db } = ctx.database
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into ${reviews} (product_id, reviewer_id, review_rating, review_title, review_body,
                              review_date)
      select ${productId}::uuid, 'imported-' || n, 1 + n % 5, 'Title ' || n, 'Body ' || n,
             timestamptz '2024-01-01 00:00:00.123456+00' - ((n / ${perDate}) * interval '1 minute')
      from generate_series(1, ${count}::int) as n`)
    await tx.execute(sql`
      update ${products}
      set rating_count = rating_count + ${count}::int,
          rating_sum = rating_sum + (select coalesce(sum(1 + n % 5), 0)::int
                                     from generate_series(1, ${count}::int) as n)
      where id = ${productId}::uuid`)
  })
}

export const validReview = { rating: 4, title: 'Does the job', comment: 'Sturdy and well made.' }

/** Reviews `productId` through the API as `account`. */
export function postReview(
  ctx: TestContext,
  productId: string,
  account: { token: string },
  body: unknown = validReview,
) {
  return call(ctx, 'POST', `/api/reviews/${productId}`, { body, token: account.token })
}

/** How many reviews the product really has, and their rating sum, counted the slow way. */
export async function countedStats(ctx: TestContext, productId: string) {
  const [row] = await ctx.database.db
    .select({
      ratingCount: sql<number>`count(*)::int`,
      ratingSum: sql<number>`coalesce(sum(${reviews.reviewRating}), 0)::int`,
    })
    .from(reviews)
    .where(sql`${reviews.productId} = ${productId}`)
  return row!
}
