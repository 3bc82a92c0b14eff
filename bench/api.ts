import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { printSummary } from '../src/cli/progress'
import { loadConfig } from '../src/config'
import { openMigratedDatabase } from '../src/db/open'
import { createLogger } from '../src/shared/logger'
import { benchPaths, captureStatements, type BenchCase } from './cases'
import { ensureBenchData } from './dataset'
import { loadToolName, runLoad, type LoadResult } from './load'
import { startServer, type RunningServer } from './servers'

/**
 * `bun run bench [-- --seconds 10 --connections 64]`: the API against a floor (bare Bun.serve
 * + postgres.js running the same SQL) on PostgreSQL, with the 64k products and 2M+ generated
 * reviews. See docs/benchmarks.md.
 */

interface BenchOptions {
  seconds: number
  warmupSeconds: number
  connections: number
}

interface Measured {
  benchCase: BenchCase
  api: LoadResult
  floor: LoadResult
}

function parseArgs(args: string[]): BenchOptions {
  const options: BenchOptions = { seconds: 10, warmupSeconds: 2, connections: 64 }
  for (let i = 0; i < args.length; i += 2) {
    const value = Number(args[i + 1])
    if (!Number.isInteger(value) || value < 1) throw new Error(`${args[i]} takes a whole number`)
    if (args[i] === '--seconds') options.seconds = value
    else if (args[i] === '--warmup') options.warmupSeconds = value
    else if (args[i] === '--connections') options.connections = value
    else throw new Error(`Unknown option ${args[i]} (--seconds, --warmup, --connections)`)
  }
  return options
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  const config = loadConfig()
  if (!config.databaseUrl) {
    process.stderr.write('bun run bench needs PostgreSQL: set DATABASE_URL to a database it may '
      + 'fill with 64k products and 2.4M reviews, e.g.\n'
      + '  DATABASE_URL=postgres://postgres@127.0.0.1:55432/ae_bench bun run bench\n')
    process.exit(1)
  }

  const database = await openMigratedDatabase(config, createLogger('warn'), 16)
  let cases: BenchCase[]
  try {
    await ensureBenchData(database)
    await database.raw!`vacuum analyze products, reviews`
    cases = await captureStatements(config, database, await benchPaths(database.raw!))
  } finally {
    await database.close()
  }

  const dir = mkdtempSync(join(tmpdir(), 'bench-'))
  const servers: RunningServer[] = []
  try {
    const casesFile = join(dir, 'cases.json')
    writeFileSync(casesFile, JSON.stringify(cases))
    const env = serverEnv(config.databaseUrl)

    servers.push(await startServer('api', ['bun', 'src/index.ts'], env, '/health'))
    servers.push(await startServer(
      'floor', ['bun', 'bench/floor-server.ts', casesFile, '{port}'], env, cases[0]!.path,
    ))

    const results = await measure(cases, servers[0]!, servers[1]!, options)
    report(results, options)
  } finally {
    for (const server of servers) await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

function serverEnv(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: crypto.randomUUID() + crypto.randomUUID(),
    CORS_ORIGINS: 'http://127.0.0.1',
  }
}

/** API then floor for each case, each after its own warm-up, one run at a time. */
async function measure(
  cases: BenchCase[],
  api: RunningServer,
  floor: RunningServer,
  options: BenchOptions,
): Promise<Measured[]> {
  const results: Measured[] = []
  for (const benchCase of cases) {
    const run = async (server: RunningServer) => {
      const url = `${server.baseUrl}${benchCase.path}`
      await runLoad({ url, connections: options.connections, seconds: options.warmupSeconds })
      const { connections, seconds } = options
      const result = await runLoad({ url, connections, seconds })
      if (result.failures > 0) {
        throw new Error(`${server.name} ${benchCase.name}: ${result.failures} failed requests`)
      }
      process.stderr.write(`${server.name.padEnd(5)} ${benchCase.name}: `
        + `${Math.round(result.requestsPerSecond)} req/s\n`)
      return result
    }
    results.push({ benchCase, api: await run(api), floor: await run(floor) })
  }
  return results
}

function report(results: Measured[], options: BenchOptions) {
  const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1)
  const header = '| case | API req/s | API p50 ms | API p99 ms | floor req/s | floor p50 ms '
    + '| floor p99 ms | API / floor |'
  const lines = results.map(({ benchCase, api, floor }) => `| ${benchCase.name} `
    + `| ${Math.round(api.requestsPerSecond)} | ${ms(api.p50)} | ${ms(api.p99)} `
    + `| ${Math.round(floor.requestsPerSecond)} | ${ms(floor.p50)} | ${ms(floor.p99)} `
    + `| ${(api.requestsPerSecond / floor.requestsPerSecond).toFixed(2)} |`)
  process.stdout.write(`\n${header}\n|${' --- |'.repeat(8)}\n${lines.join('\n')}\n\n`)

  const first = results.find((r) => r.benchCase.name.includes('first page'))
  const deep = results.find((r) => r.benchCase.name.includes('deep'))
  printSummary('Benchmark', {
    'load tool': loadToolName(),
    'CPUs / load average (1 min)': `${availableParallelism()} / ${loadavg()[0]!.toFixed(1)}`,
    connections: options.connections,
    'seconds per case': options.seconds,
    'deep page p50 / first page p50': first && deep
      ? (deep.api.p50 / first.api.p50).toFixed(2) : 'n/a',
    'lowest API / floor': Math.min(...results.map((r) => r.api.requestsPerSecond
      / r.floor.requestsPerSecond)).toFixed(2),
  }, process.stdout)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
