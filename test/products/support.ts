import { expect } from 'bun:test'
import { asc, eq, sql } from 'drizzle-orm'
import { productEditHistory, products } from '../../src/db/schema'
import type { CatalogueInput } from '../../src/products/input'
import { call, type TestAccount, type TestContext } from '../support/harness'

/** A unique lower-case marker for names and categories, so a shared database never collides. */
export function marker(prefix = 'm'): string {
  return `${prefix}${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
}

/** Catalogue fields, and any other field a test wants to send. */
export type ProductFields = CatalogueInput & Record<string, unknown>

/** A valid create body with unique name and category; `fields` override. */
export function productBody(fields: ProductFields = {}) {
  return { name: `widget ${marker()}`, price: 19.99, stock: 5, category: marker('cat'), ...fields }
}

/** Creates a product through the API as `owner` and returns the answer's body. */
export async function createProduct(
  ctx: TestContext,
  owner: TestAccount,
  fields: ProductFields = {},
) {
  const body = productBody(fields)
  const res = await call(ctx, 'POST', '/api/products', { token: owner.token, body })
  expect(res.status).toBe(201)
  return res.body
}

export async function archive(ctx: TestContext, owner: TestAccount, productId: string) {
  const res = await call(ctx, 'DELETE', `/api/products/${productId}`, { token: owner.token })
  expect(res.status).toBe(200)
  return res.body
}

/** The stored row, read around the API. */
export async function productRow(ctx: TestContext, productId: string) {
  const [row] = await ctx.database.db.select().from(products).where(eq(products.id, productId))
  return row
}

/** How many products carry exactly this name (to prove a refused request wrote nothing). */
export async function countByName(ctx: TestContext, name: string): Promise<number> {
  const rows = await ctx.database.db
    .select({ id: products.id })
    .from(products)
    .where(eq(products.name, name))
  return rows.length
}

/** A product's history rows, oldest first, read around the API. */
export async function historyRows(ctx: TestContext, productId: string) {
  return ctx.database.db
    .select()
    .from(productEditHistory)
    .where(eq(productEditHistory.productId, productId))
    .orderBy(asc(productEditHistory.createdAt), asc(productEditHistory.id))
}

/** Sets the live review statistics directly, as the reviews area would. */
export async function setRatings(ctx: TestContext, productId: string, count: number, sum: number) {
  await ctx.database.db
    .update(products)
    .set({ ratingCount: count, ratingSum: sum })
    .where(sql`${products.id} = ${productId}`)
}

/** A number no other test uses as the dataset's product id. */
export function uniqueDatasetId(): number {
  return 1_000_000 + Math.floor(Math.random() * 2_000_000_000)
}
