import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { loadConfig } from '../src/config'
import type { BenchCase } from './cases'

/**
 * The floor of the benchmark: a bare Bun.serve whose handler runs, over postgres.js, the
 * statements the API runs for the same request (side by side), and answers their rows as
 * JSON. No framework, no validation, no mapping: what is left is the database and HTTP.
 *
 * `bun bench/floor-server.ts <cases.json> <port>`; DATABASE_URL as for the API.
 */

const [casesFile, portText] = process.argv.slice(2)
const cases = (await Bun.file(casesFile!).json()) as BenchCase[]
const byPath = new Map(cases.map((c) => [c.path, c.statements]))

const config = loadConfig()
// The API's pool: same size, and the same parsers drizzle installs on its client.
const sql = postgres(config.databaseUrl!, { max: 10, onnotice: () => {} })
drizzle(sql)

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(portText),
  async fetch(request) {
    const url = new URL(request.url)
    const statements = byPath.get(`${url.pathname}${url.search}`)
    if (!statements) return new Response('unknown case', { status: 404 })

    const results = await Promise.all(
      statements.map((s) => sql.unsafe(s.query, s.params as never[], { prepare: false })),
    )
    return Response.json(results)
  },
})

process.on('SIGTERM', async () => {
  server.stop(true)
  await sql.end({ timeout: 2 })
  process.exit(0)
})
