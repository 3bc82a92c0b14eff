import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { reviewPageQuery } from '../../src/reviews/list'
import { createTestContext, type TestContext } from '../support/harness'
import { createProduct, seedReviews } from './support'

// The plan only means something on a real PostgreSQL with real statistics.
const onPostgres = Boolean(process.env.DATABASE_URL)
const REVIEWS = 50_000

interface PlanNode {
  'Node Type': string
  'Index Name'?: string
  'Index Cond'?: string
  'Actual Rows'?: number
  Plans?: PlanNode[]
}

let ctx: TestContext
let productId: string

beforeAll(async () => {
  if (!onPostgres) return
  ctx = await createTestContext()
  productId = await createProduct(ctx)
  await seedReviews(ctx, productId, REVIEWS, 3)
  await ctx.database.raw!`analyze reviews`
}, 30_000)

afterAll(async () => {
  await ctx?.close()
})

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)]
}

describe.skipIf(!onPostgres)('keyset paging on PostgreSQL', () => {
  test(`a cursor page ${REVIEWS - 100} reviews deep is an index scan reading one page of rows`,
    async () => {
      const raw = ctx.database.raw!
      const [deep] = await raw`
        select to_char(review_date at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as date,
               id::text as id
        from reviews where product_id = ${productId}
        order by review_date desc, id desc offset ${REVIEWS - 100} limit 1`
      const query = reviewPageQuery(ctx.database.db, productId, 21, {
        reviewDate: deep!.date, id: deep!.id,
      }).toSQL()

      const [result] = await raw.unsafe(
        `explain (analyze, format json) ${query.sql}`, query.params as never[],
      )
      const plan = (result!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan
      const scan = nodes(plan).find((node) => node['Node Type'].includes('Index'))

      expect(nodes(plan).map((node) => node['Node Type'])).not.toContain('Sort')
      expect(scan?.['Node Type']).toMatch(/^Index (Only )?Scan$/)
      expect(scan?.['Index Name']).toBe('reviews_product_date_idx')
      // The cursor is part of the index condition: the scan starts at it, not at the top.
      expect(scan?.['Index Cond']).toContain('review_date')
      expect(scan?.['Actual Rows']).toBe(21)
    })
})
