import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { createApp } from '../src/app'
import type { Config } from '../src/config'
import type { Database, DatabaseHandle } from '../src/db/client'
import * as schema from '../src/db/schema'
import { encodeReviewCursor } from '../src/reviews/list'
import { createLogger } from '../src/shared/logger'
import { deepProduct, deepRow } from './dataset'

/** One measured request: the API answers `path`, the floor runs `statements`. */
export interface BenchCase {
  name: string
  path: string
  statements: Statement[]
}

export interface Statement {
  query: string
  params: (string | number | boolean | null)[]
}

/** A dataset product with a handful of reviews, for the detail page. */
const detailDatasetId = 11
const searchTerm = 'lantern'

type Sql = NonNullable<DatabaseHandle['raw']>

/** The requests of the benchmark, with the cursor of row 100,000 read straight from SQL. */
export async function benchPaths(sql: Sql): Promise<{ name: string; path: string }[]> {
  const [detail] = await sql<{ id: string }[]>`
    select id from products where original_product_id = ${detailDatasetId}`
  const [deep] = await sql<{ id: string }[]>`
    select id from products where original_product_id = ${deepProduct.datasetId}`
  if (!detail || !deep) throw new Error('The benchmark products are missing; seeding failed?')

  // Same order as the API (newest first, id breaking ties), at microsecond precision.
  const [row] = await sql<{ id: string; date: string }[]>`
    select id, to_char(review_date at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as date
    from reviews where product_id = ${deep.id}
    order by review_date desc, id desc offset ${deepRow - 1} limit 1`
  if (!row) throw new Error(`The deep product has fewer than ${deepRow} reviews`)
  const cursor = encodeReviewCursor(row.date, row.id)

  return [
    { name: 'GET /api/products (page 1)', path: '/api/products' },
    { name: `GET /api/products?search=${searchTerm}`, path: `/api/products?search=${searchTerm}` },
    { name: 'GET /api/products/:id', path: `/api/products/${detail.id}` },
    { name: 'reviews, first page', path: `/api/reviews/product/${deep.id}` },
    {
      name: `reviews, ${deepRow.toLocaleString('en-US')} deep`,
      path: `/api/reviews/product/${deep.id}?cursor=${cursor}`,
    },
  ]
}

/**
 * Learns the SQL each request runs by answering it once in-process with a drizzle client that
 * records its statements: the floor then runs exactly those statements with those values.
 */
export async function captureStatements(
  config: Config,
  database: DatabaseHandle,
  paths: { name: string; path: string }[],
): Promise<BenchCase[]> {
  let recorded: Statement[] = []
  const client = postgres(database.url!, { max: 4, onnotice: () => {} })
  const db = drizzle(client, {
    schema,
    logger: {
      logQuery: (query, params) => {
        recorded.push({ query, params: params.map(plainValue) })
      },
    },
  }) as unknown as Database

  const app = createApp({
    config: { ...config, logLevel: 'silent' },
    database: { ...database, db },
    logger: createLogger('silent'),
  })

  try {
    const cases: BenchCase[] = []
    for (const { name, path } of paths) {
      recorded = []
      const response = await app.handle(new Request(`http://localhost${path}`))
      if (response.status !== 200) {
        throw new Error(`${path} answered ${response.status}: ${await response.text()}`)
      }
      cases.push({ name, path, statements: recorded })
    }
    return cases
  } finally {
    await client.end({ timeout: 5 })
  }
}

function plainValue(value: unknown): Statement['params'][number] {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return value as Statement['params'][number]
  }
  if (value instanceof Date) return value.toISOString()
  throw new Error(`Cannot replay a parameter of type ${typeof value}`)
}
