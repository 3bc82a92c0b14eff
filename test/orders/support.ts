import { eq } from 'drizzle-orm'
import { products } from '../../src/db/schema'
import { uniqueEmail, type TestContext } from '../support/harness'
import { insertProduct, type InsertedProductOptions } from '../support/products'

/** A product of a fresh seller, 100 in stock unless told otherwise; returns its id. */
export const createProduct = (ctx: TestContext, options: InsertedProductOptions = {}) =>
  insertProduct(ctx, { label: 'Order test product', stock: 100, ...options })

export async function stockOf(ctx: TestContext, productId: string): Promise<number> {
  const [row] = await ctx.database.db.select({ stock: products.stock }).from(products)
    .where(eq(products.id, productId))
  return row!.stock
}

/** A valid checkout body for these lines; `overrides` replace or add fields. */
export function checkoutBody(
  items: { productId: string; quantity: unknown }[],
  overrides: Record<string, unknown> = {},
) {
  return {
    items,
    shippingAddress: '1 Main St, Apt 2',
    city: 'Springfield',
    state: 'IL',
    zipCode: '62701',
    firstName: 'Ana',
    lastName: 'Müller',
    email: uniqueEmail('buyer'),
    ...overrides,
  }
}
