import { eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { preparedPerDatabase } from '../db/prepared'
import { products, users } from '../db/schema'
import { listProductReviews } from '../reviews/list'
import { notFound } from '../shared/errors'
import { type Actor, canManage } from './access'
import type { ProductDetail } from './schemas'
import { productColumns, toProductView } from './view'

/** Reviews shown with a product; the rest are paged through the reviews routes. */
export const DETAIL_REVIEWS = 10

/**
 * A product with its seller and first page of reviews. Archived products are shown only to
 * their seller and admins; `identify` is asked who the caller is only in that rare case, so
 * the public path verifies no token.
 */
export async function getProductDetail(
  db: Database,
  productId: string,
  identify: () => Promise<Actor | undefined>,
): Promise<ProductDetail> {
  const [[row], reviews] = await Promise.all([
    detailStatement(db).execute({ productId }),
    listProductReviews(db, productId, { perPage: DETAIL_REVIEWS }),
  ])
  if (!row) throw notFound('Product')
  if (row.archivedAt !== null && !canManage(await identify(), row)) throw notFound('Product')

  const { sellerName, ...product } = row
  return {
    ...toProductView(product),
    seller: { id: row.sellerId, name: sellerName },
    reviews,
  }
}

// Product pages are among the most read.
const detailStatement = preparedPerDatabase((db) => db
  .select({ ...productColumns, sellerName: users.name })
  .from(products)
  .innerJoin(users, eq(users.id, products.sellerId))
  .where(eq(products.id, sql.placeholder('productId')))
  .prepare('product_detail'))
