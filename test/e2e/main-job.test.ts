import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Subprocess } from 'bun'

/**
 * The main job as a newcomer meets it, over real HTTP: import a sample of the real dataset
 * with the seed command, start the server with `bun start`, then register, log in, search,
 * open a product, page through all its reviews and read the OpenAPI document.
 */

const root = resolve(import.meta.dir, '../..')
const sample = resolve(root, 'test/fixtures/products-sample.csv')
const scale = '0.05'
// The first row of the sample: product_ID 83 with 349 reviews -> 17 at this scale.
const datasetId = 83
const expectedReviews = 17

let dir: string
let baseUrl: string
let server: Subprocess<'ignore', 'ignore', 'pipe'> | undefined

function childEnv(port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: join(dir, 'data'),
    // An empty value overrides a developer's .env: unset means the embedded database.
    DATABASE_URL: process.env.DATABASE_URL ?? '',
  }
}

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done))
  const address = probe.address()
  await new Promise((done) => probe.close(done))
  if (!address || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function waitForHealth(child: Subprocess<'ignore', 'ignore', 'pipe'>): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const output = await new Response(child.stderr).text()
      throw new Error(`server exited (${child.exitCode}): ${output}`)
    }
    const ok = await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false)
    if (ok) return
    await Bun.sleep(100)
  }
  throw new Error('server did not become healthy within 60 s')
}

async function http<T = any>(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amazon-eye-e2e-'))
  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  const env = childEnv(port)

  // PGlite admits one process at a time: import first, then start the server.
  const seed = Bun.spawn(['bun', 'run', 'seed', '--', sample, '--reviews', '--scale', scale], {
    cwd: root, env, stdout: 'pipe', stderr: 'pipe',
  })
  const [code, seedErr] = await Promise.all([seed.exited, new Response(seed.stderr).text()])
  if (code !== 0) throw new Error(`seed failed (${code}): ${seedErr}`)
  expect(seedErr).toContain('Seed finished')

  server = Bun.spawn(['bun', 'start'], {
    cwd: root, env, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe',
  })
  await waitForHealth(server)
}, { timeout: 180_000 })

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    const stopped = await Promise.race([server.exited.then(() => true), Bun.sleep(10_000)])
    if (!stopped) server.kill('SIGKILL')
    await server.exited
  }
  rmSync(dir, { recursive: true, force: true })
}, { timeout: 30_000 })

describe('main job over real HTTP', () => {
  const account = {
    name: 'E2E Shopper',
    email: `e2e-${crypto.randomUUID().slice(0, 8)}@example.com`,
    password: 'correct-horse-battery-1',
  }
  let token = ''
  let productId = ''
  // On a fresh embedded database the product has exactly its generated reviews; a shared
  // PostgreSQL may hold reviews left by earlier runs, so later checks count from here.
  let reviewCount = 0

  test('the server is healthy', async () => {
    const health = await http('GET', '/health')
    expect(health.status).toBe(200)
  })

  test('a newcomer registers, logs in and reads their account', async () => {
    const registered = await http('POST', '/api/users/register', account)
    expect(registered.status).toBe(201)
    expect(registered.body.user).toMatchObject({ email: account.email, role: 'customer' })

    const login = await http('POST', '/api/users/login', {
      email: account.email, password: account.password,
    })
    expect(login.status).toBe(200)
    expect(typeof login.body.token).toBe('string')
    token = login.body.token

    const me = await http('GET', '/api/users/me', undefined, token)
    expect(me.status).toBe(200)
    expect(me.body.user ?? me.body).toMatchObject({ email: account.email })
  })

  test('searching by the dataset id finds the imported product', async () => {
    const found = await http('GET', `/api/products?search=${datasetId}&perPage=100`)
    expect(found.status).toBe(200)
    const product = found.body.data.find(
      (p: any) => p.dataset.originalProductId === datasetId,
    )
    expect(product).toBeDefined()
    productId = product.id
    reviewCount = product.reviewCount
    if (!process.env.DATABASE_URL) expect(reviewCount).toBe(expectedReviews)
    else expect(reviewCount).toBeGreaterThanOrEqual(expectedReviews)
  })

  test('searching by a word of its name finds it, and only matching products', async () => {
    const detail = await http('GET', `/api/products/${productId}`)
    const word = detail.body.name.split(' ')[0] as string

    const found = await http('GET', `/api/products?search=${encodeURIComponent(word)}&perPage=100`)
    expect(found.status).toBe(200)
    expect(found.body.pagination.total).toBeGreaterThan(0)
    for (const product of found.body.data) {
      expect(`${product.name} ${product.description}`.toLowerCase()).toContain(word.toLowerCase())
    }

    const byName = await http('GET', `/api/products?search=${encodeURIComponent(detail.body.name)}`)
    expect(byName.body.data.map((p: any) => p.id)).toContain(productId)
  })

  test('the detail shows the seller, the dataset fields and the first reviews', async () => {
    const detail = await http('GET', `/api/products/${productId}`)
    expect(detail.status).toBe(200)
    expect(detail.body.seller.name).toBe('Catalogue Importer')
    expect(detail.body.dataset).toMatchObject({ originalProductId: datasetId, reviewCount: 349 })
    expect(detail.body.reviewCount).toBe(reviewCount)
    expect(detail.body.reviews.data.length).toBe(Math.min(10, reviewCount))
  })

  test('paging through the reviews with the cursor reaches every review once', async () => {
    const seen: string[] = []
    let dates: string[] = []
    let cursor: string | null = null
    let pages = 0

    do {
      const query: string = cursor ? `perPage=5&cursor=${cursor}` : 'perPage=5'
      const page = await http('GET', `/api/reviews/product/${productId}?${query}`)
      expect(page.status).toBe(200)
      expect(page.body.pagination.total).toBe(reviewCount)
      seen.push(...page.body.data.map((r: any) => r.id))
      dates = [...dates, ...page.body.data.map((r: any) => r.reviewDate)]
      cursor = page.body.nextCursor
      pages += 1
    } while (cursor && pages < 50)

    expect(pages).toBe(Math.ceil(reviewCount / 5))
    expect(seen).toHaveLength(reviewCount)
    expect(new Set(seen).size).toBe(reviewCount)
    expect(dates).toEqual([...dates].sort().reverse())
  })

  test('a review of the newcomer counts with the imported ones until they delete it', async () => {
    const posted = await http('POST', `/api/reviews/${productId}`, {
      rating: 5, title: 'Great', comment: 'Bought after reading the reviews.',
    }, token)
    expect(posted.status).toBe(201)
    const reviewId = posted.body.id
    expect(typeof reviewId).toBe('string')

    const after = await http('GET', `/api/products/${productId}`)
    expect(after.body.reviewCount).toBe(reviewCount + 1)

    expect((await http('DELETE', `/api/reviews/${reviewId}`, undefined, token)).status).toBe(200)
    const restored = await http('GET', `/api/products/${productId}`)
    expect(restored.body.reviewCount).toBe(reviewCount)
  })

  test('the OpenAPI document lists the routes used above', async () => {
    const doc = await http('GET', '/swagger/json')
    expect(doc.status).toBe(200)
    expect(doc.body.openapi).toMatch(/^3\./)
    for (const path of ['/api/users/register', '/api/users/login', '/api/products',
      '/api/products/{id}', '/api/reviews/product/{productId}']) {
      expect(Object.keys(doc.body.paths)).toContain(path)
    }
  })
})
