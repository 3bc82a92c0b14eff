/**
 * Order creation throughput against a running server on real PostgreSQL, then an oversell
 * check: every product's sold units must equal what left its stock, and no stock may be
 * negative. Not part of `bun test`.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55432/ae_orders_bench bun bench/orders.ts
 *   bun bench/orders.ts --connections 32 --requests 5000 --products 200 --stock 100
 *
 * It seeds its own products and buyers (uniquely named, so the database need not be empty),
 * starts `bun src/index.ts` on a free loopback port, fires checkouts from a pool of
 * `--connections` concurrent fetch loops and stops the server at the end.
 */
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { inArray, sql } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { createProgress, printSummary } from '../src/cli/progress'
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../src/db/client'
import { orderItems, orders, products, users } from '../src/db/schema'

interface Options {
  databaseUrl: string
  connections: number
  requests: number
  products: number
  stock: number
  hotProducts: number
  hotStock: number
  buyers: number
  warmup: number
}

interface Seeded {
  productIds: string[]
  hotIds: string[]
  initialStock: Map<string, number>
  buyerIds: string[]
  tokens: string[]
}

interface Outcome {
  status: number
  ms: number
  units: number
}

const root = resolve(import.meta.dir, '..')
const jwtSecret = `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '32' },
      requests: { type: 'string', default: '5000' },
      products: { type: 'string', default: '200' },
      stock: { type: 'string', default: '100' },
      'hot-products': { type: 'string', default: '5' },
      'hot-stock': { type: 'string', default: '20' },
      buyers: { type: 'string', default: '500' },
      warmup: { type: 'string', default: '300' },
    },
  })

  const problems: string[] = []
  const count = (name: keyof typeof values, max: number) => {
    const text = values[name] ?? ''
    const n = Number(text)
    if (!/^[1-9][0-9]*$/.test(text) || n > max) problems.push(`--${name} must be 1 to ${max}`)
    return n
  }

  const options = {
    databaseUrl: process.env.DATABASE_URL ?? '',
    connections: count('connections', 1024),
    requests: count('requests', 1_000_000),
    products: count('products', 100_000),
    stock: count('stock', 1_000_000),
    hotProducts: count('hot-products', 1000),
    hotStock: count('hot-stock', 1_000_000),
    buyers: count('buyers', 100_000),
    warmup: count('warmup', 100_000),
  }
  if (!/^postgres(ql)?:\/\/([^@/]*@)?(127\.0\.0\.1|localhost)[:/]/.test(options.databaseUrl)) {
    problems.push('DATABASE_URL must point at a PostgreSQL on 127.0.0.1 or localhost')
  }
  if (problems.length > 0) {
    process.stderr.write(`bench/orders: ${problems.join('; ')}\n`)
    process.exit(2)
  }
  return options
}

async function seed(database: DatabaseHandle, options: Options): Promise<Seeded> {
  const { db } = database
  const run = crypto.randomUUID().slice(0, 8)
  const account = (role: 'seller' | 'customer', i: number) => ({
    name: `Bench ${role} ${run}-${i}`,
    email: `bench-${role}-${run}-${i}@example.com`,
    passwordHash: 'not-a-login',
    role,
  })

  const [seller] = await db.insert(users).values(account('seller', 0)).returning({ id: users.id })
  const buyers = await db.insert(users)
    .values(Array.from({ length: options.buyers }, (_, i) => account('customer', i)))
    .returning({ id: users.id })

  const product = (i: number, stock: number, kind = 'product') => ({
    name: `Bench ${kind} ${run}-${i}`,
    price: (1 + (i % 40) * 1.25).toFixed(2),
    stock,
    category: 'Bench',
    sellerId: seller!.id,
  })
  const normal = await db.insert(products)
    .values(Array.from({ length: options.products }, (_, i) => product(i, options.stock)))
    .returning({ id: products.id, stock: products.stock })
  const scarce = (_: unknown, i: number) => product(i, options.hotStock, 'scarce')
  const hot = await db.insert(products)
    .values(Array.from({ length: options.hotProducts }, scarce))
    .returning({ id: products.id, stock: products.stock })

  const buyerIds = buyers.map((buyer) => buyer.id)
  return {
    productIds: normal.map((row) => row.id),
    hotIds: hot.map((row) => row.id),
    initialStock: new Map([...normal, ...hot].map((row) => [row.id, row.stock])),
    buyerIds,
    tokens: await Promise.all(buyerIds.map(signToken)),
  }
}

function signToken(userId: string): Promise<string> {
  return new SignJWT({ sub: userId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(jwtSecret))
}

async function startServer(databaseUrl: string) {
  const probe = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() })
  const port = probe.port
  await probe.stop(true)

  const child = Bun.spawn(['bun', 'src/index.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_ADDRESS: '100000',
      RATE_LIMIT_PER_ACCOUNT: '100000',
    },
    stdout: 'ignore',
    stderr: 'inherit',
  })

  const base = `http://127.0.0.1:${port}`
  for (let waited = 0; waited < 60_000; waited += 200) {
    const healthy = await fetch(`${base}/health`).then((res) => res.ok, () => false)
    if (healthy) return { base, stop: () => stopServer(child) }
    if (child.exitCode !== null) break
    await Bun.sleep(200)
  }
  await stopServer(child)
  throw new Error('the server did not become healthy')
}

async function stopServer(child: ReturnType<typeof Bun.spawn>) {
  child.kill('SIGTERM')
  await child.exited
}

/** One checkout: 1 or 2 ordinary lines, and a line of a scarce product one time in five. */
function checkoutFor(seeded: Seeded, i: number) {
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!
  const items = [{ productId: pick(seeded.productIds), quantity: 1 + (i % 2) }]
  if (i % 2 === 0) items.push({ productId: pick(seeded.productIds), quantity: 1 })
  if (i % 5 === 0) items.push({ productId: pick(seeded.hotIds), quantity: 1 })

  return {
    items,
    shippingAddress: `${i} Bench Street`,
    city: 'Springfield',
    state: 'IL',
    zipCode: '62701',
    firstName: 'Bench',
    lastName: `Buyer ${i}`,
    email: `bench-${i}@example.com`,
    paymentMethod: 'Credit Card',
  }
}

interface Batch {
  connections: number
  /** Number of the first checkout; each number has its own Idempotency-Key. */
  first: number
  count: number
}

/** Sends a batch of checkouts from `connections` concurrent fetch loops. */
async function fire(base: string, seeded: Seeded, { connections, first, count }: Batch) {
  const outcomes: Outcome[] = []
  const progress = createProgress({ label: first === 0 ? 'orders' : 'warm-up', total: count })
  let next = first

  const loop = async () => {
    for (let i = next++; i < first + count; i = next++) {
      const body = checkoutFor(seeded, i)
      const started = performance.now()
      const res = await fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${seeded.tokens[i % seeded.tokens.length]}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-${i}`,
        },
        body: JSON.stringify(body),
      })
      await res.arrayBuffer()
      const units = body.items.reduce((sum, item) => sum + item.quantity, 0)
      outcomes.push({ status: res.status, ms: performance.now() - started, units })
      progress.tick(1)
    }
  }

  await Promise.all(Array.from({ length: connections }, loop))
  return { outcomes, seconds: progress.done().seconds }
}

/** Sold units per product from the order items, against what left each product's stock. */
async function checkStock(database: DatabaseHandle, seeded: Seeded, created: number) {
  const { db } = database
  const ids = [...seeded.initialStock.keys()]
  const [current, sold, placed] = await Promise.all([
    db.select({ id: products.id, stock: products.stock }).from(products)
      .where(inArray(products.id, ids)),
    db.select({ id: orderItems.productId, units: sql<string>`sum(${orderItems.quantity})` })
      .from(orderItems).where(inArray(orderItems.productId, ids)).groupBy(orderItems.productId),
    db.select({ n: sql<string>`count(*)` }).from(orders)
      .where(inArray(orders.userId, seeded.buyerIds)),
  ])

  const soldBy = new Map(sold.map((row) => [row.id, Number(row.units)]))
  const mismatched = current.filter((row) =>
    seeded.initialStock.get(row.id)! - row.stock !== (soldBy.get(row.id) ?? 0))
  const negative = current.filter((row) => row.stock < 0)
  const hotLeft = current.filter((row) => seeded.hotIds.includes(row.id))
    .reduce((sum, row) => sum + row.stock, 0)

  return {
    ok: mismatched.length === 0 && negative.length === 0 && Number(placed[0]!.n) === created,
    mismatched: mismatched.length,
    negative: negative.length,
    ordersInDatabase: Number(placed[0]!.n),
    unitsSold: [...soldBy.values()].reduce((sum, n) => sum + n, 0),
    hotLeft,
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function main() {
  const options = readOptions()
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: '' })
  await migrateDatabase(database)

  try {
    const seeded = await seed(database, options)
    const server = await startServer(options.databaseUrl)
    let run
    let warmup
    try {
      const { connections } = options
      warmup = await fire(server.base, seeded, {
        connections, first: options.requests, count: options.warmup,
      })
      run = await fire(server.base, seeded, { connections, first: 0, count: options.requests })
    } finally {
      await server.stop()
    }

    const created = run.outcomes.filter((o) => o.status === 201)
    const statuses = new Map<number, number>()
    for (const o of run.outcomes) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1)
    const latencies = run.outcomes.map((o) => o.ms).sort((a, b) => a - b)
    const allCreated = [...warmup.outcomes, ...run.outcomes].filter((o) => o.status === 201)
    const check = await checkStock(database, seeded, allCreated.length)
    const unitsInAnswers = allCreated.reduce((sum, o) => sum + o.units, 0)

    printSummary('Order creation on PostgreSQL', {
      connections: options.connections,
      requests: `${options.requests} measured, after ${options.warmup} to warm up`,
      statuses: [...statuses].sort().map(([s, n]) => `${s}: ${n}`).join(', '),
      'orders created/s': (created.length / run.seconds).toFixed(0),
      'requests/s': (run.outcomes.length / run.seconds).toFixed(0),
      'latency p50 (ms)': percentile(latencies, 50).toFixed(1),
      'latency p99 (ms)': percentile(latencies, 99).toFixed(1),
      seconds: run.seconds.toFixed(1),
      'units sold (db)': check.unitsSold,
      'units in 201 answers': unitsInAnswers,
      'scarce stock left': check.hotLeft,
      'oversell check': check.ok && unitsInAnswers === check.unitsSold
        ? 'PASS (sold = initial - remaining for every product, no negative stock)'
        : `FAIL (${check.mismatched} mismatched, ${check.negative} negative, `
          + `${check.ordersInDatabase} orders in db vs ${allCreated.length} created)`,
    }, process.stdout)

    if (!check.ok || unitsInAnswers !== check.unitsSold) process.exitCode = 1
  } finally {
    await database.close()
  }
}

await main()
