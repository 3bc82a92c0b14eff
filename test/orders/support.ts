import { eq } from 'drizzle-orm'
import { products } from '../../src/db/schema'
import { createAccount, uniqueEmail, type TestContext } from '../support/harness'

export interface ProductOptions {
  price?: string
  stock?: number
  archived?: boolean
}

/** Inserts a product of a fresh seller straight into the database; returns its id. */
export async function createProduct(ctx: TestContext, options: ProductOptions = {}) {
  const seller = await createAccount(ctx, 'seller')
  const [row] = await ctx.database.db.insert(products).values({
    name: `Order test product ${crypto.randomUUID().slice(0, 8)}`,
    price: options.price ?? '19.99',
    stock: options.stock ?? 100,
    category: 'Testing',
    sellerId: seller.id,
    archivedAt: options.archived ? new Date() : null,
  }).returning({ id: products.id })
  return row!.id
}

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
