import { products } from '../../src/db/schema'
import { createAccount, type TestContext } from './harness'

export interface InsertedProductOptions {
  /** The start of the product's name; a random tag follows it. */
  label?: string
  price?: string
  stock?: number
  archived?: boolean
  /** The seller; a fresh one when not given. */
  sellerId?: string
}

/**
 * Inserts a product (of a fresh seller unless `sellerId` is given) straight into the
 * database, around the products API, for areas that only need one to exist; returns its id.
 */
export async function insertProduct(
  ctx: TestContext,
  options: InsertedProductOptions = {},
): Promise<string> {
  const sellerId = options.sellerId ?? (await createAccount(ctx, 'seller')).id
  const [row] = await ctx.database.db.insert(products).values({
    name: `${options.label ?? 'Test product'} ${crypto.randomUUID().slice(0, 8)}`,
    price: options.price ?? '19.99',
    stock: options.stock,
    category: 'Testing',
    sellerId,
    archivedAt: options.archived ? new Date() : null,
  }).returning({ id: products.id })
  return row!.id
}
