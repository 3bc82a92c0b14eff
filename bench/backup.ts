import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { formatBytes } from '../src/backup/command'
import { printSummary } from '../src/cli/progress'
import { loadConfig } from '../src/config'
import { migrateDatabase, openDatabase } from '../src/db/client'

/**
 * `bun run bench:backup [-- --reviews 1000000 --runs 3 --keep]`: our backup and restore against
 * pg_dump --data-only -Fc and pg_restore on the same PostgreSQL data, in databases of its own
 * (ae_bench_backup_*) on the server of DATABASE_URL. Time and peak memory (maxRSS) of each
 * process; the median of the runs is reported. See docs/backup.md.
 */

interface BenchOptions {
  reviews: number
  runs: number
  keep: boolean
}

interface Measure {
  seconds: number
  peakBytes: number
  cpuSeconds: number
}

const names = {
  source: 'ae_bench_backup_src',
  ours: 'ae_bench_backup_ours',
  dump: 'ae_bench_backup_dump',
}
const root = join(import.meta.dir, '..')

function parseOptions(args: string[]): BenchOptions {
  const options: BenchOptions = { reviews: 1_000_000, runs: 3, keep: false }
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]
    if (flag === '--keep') {
      options.keep = true
      continue
    }
    const value = Number(args[++i])
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} takes a whole number`)
    if (flag === '--reviews') options.reviews = value
    else if (flag === '--runs') options.runs = value
    else throw new Error(`Unknown option ${flag} (--reviews, --runs, --keep)`)
  }
  return options
}

/** pg_dump and pg_restore: on the PATH, else Debian's versioned directory. */
function postgresBinary(name: string): string {
  const found = Bun.which(name)
  if (found) return found
  for (const version of ['17', '16', '15', '14']) {
    const path = `/usr/lib/postgresql/${version}/bin/${name}`
    if (existsSync(path)) return path
  }
  throw new Error(`${name} not found: install PostgreSQL's client tools`)
}

function urlOf(base: string, database: string): string {
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

async function recreate(admin: postgres.Sql, base: string, name: string): Promise<void> {
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.unsafe(`create database ${name}`)
  const handle = await openDatabase({ databaseUrl: urlOf(base, name), dataDir: '' })
  try {
    await migrateDatabase(handle)
  } finally {
    await handle.close()
  }
}

/** Users, products, 1M+ reviews with realistic text, orders and items: all in SQL. */
async function generate(base: string, reviews: number): Promise<void> {
  const sql = postgres(urlOf(base, names.source), { max: 1, onnotice: () => {} })
  try {
    await sql.unsafe(`
      insert into users (email, password_hash, name, role)
      select 'bench-' || g || '@example.com', '$argon2id$v=19$bench', 'Bench user ' || g,
        (case when g % 50 = 0 then 'seller' else 'customer' end)::user_role
      from generate_series(1, 2000) g`)
    await sql.unsafe(`
      insert into products (name, description, price, stock, images, category, seller_id,
        original_product_id, fake_probability, page_rank, is_fake)
      select 'Product ' || g || ' – “Deluxe” édition',
        'Imported from the catalogue.' || E'\\n' || repeat('Solid, well made. ', 1 + g % 4),
        ((g % 50000) / 100.0 + 0.99)::numeric(12, 2), g % 500,
        jsonb_build_array('https://img.example.com/' || g || '.jpg'), 'Category ' || (g % 24),
        (select id from users where role = 'seller' order by id offset (g % 40) limit 1), g,
        random(), random() / 1000, g % 7 = 0
      from generate_series(1, 64000) g`)
    await sql.unsafe(`
      insert into reviews (product_id, reviewer_id, review_rating, review_title, review_body,
        number_of_helpful, review_date, ip_address, is_ai_generated, ai_generated_score)
      select p.id, 'A' || upper(substr(md5(g::text), 1, 12)), 1 + g % 5, 'Review ' || g,
        repeat('Works as described, would buy again. ', 1 + g % 6) || (case g % 4
          when 0 then 'Great 😀' when 1 then E'Line one\\nline two'
          when 2 then 'Quote "x" \\ y' else '中文评论' end),
        g % 40, now() - make_interval(mins => g), (case when g % 3 = 0 then null
          else '203.0.113.' || (g % 250) end), (case g % 3 when 0 then null when 1 then true
          else false end), (case when g % 2 = 0 then null else random() end)
      from generate_series(1, ${reviews}) g
      join products p on p.original_product_id = 1 + g % 64000`)
    await sql.unsafe(`
      update products set rating_count = s.c, rating_sum = s.s
      from (select product_id, count(*) c, sum(review_rating) s from reviews group by 1) s
      where products.id = s.product_id`)
    await sql.unsafe('vacuum analyze')
  } finally {
    await sql.end()
  }
}

/** Runs a command to its end; maxRSS comes from the kernel's accounting of the child. */
async function measure(command: string[], env: Record<string, string> = {}): Promise<Measure> {
  const started = performance.now()
  const child = Bun.spawn(command, {
    cwd: root, env: { ...process.env, ...env }, stdout: 'ignore', stderr: 'pipe',
  })
  const stderr = await new Response(child.stderr).text()
  const code = await child.exited
  const seconds = (performance.now() - started) / 1000
  if (code !== 0) throw new Error(`${command.join(' ')} failed (${code}):\n${stderr}`)

  const usage = child.resourceUsage()
  const cpu = usage ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1e6 : NaN
  return { seconds, peakBytes: usage?.maxRSS ?? NaN, cpuSeconds: cpu }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function summarise(runs: Measure[]): Measure {
  return {
    seconds: median(runs.map((run) => run.seconds)),
    peakBytes: Math.max(...runs.map((run) => run.peakBytes)),
    cpuSeconds: median(runs.map((run) => run.cpuSeconds)),
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2))
  const base = loadConfig().databaseUrl
  if (!base) {
    process.stderr.write('bun run bench:backup needs PostgreSQL: set DATABASE_URL to the server ' +
      'it may create ae_bench_backup_* databases on, e.g.\n' +
      '  DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres bun run bench:backup\n')
    process.exit(1)
  }
  const pgDump = postgresBinary('pg_dump')
  const pgRestore = postgresBinary('pg_restore')
  const admin = postgres(urlOf(base, 'postgres'), { max: 1, onnotice: () => {} })
  const dir = mkdtempSync(join(tmpdir(), 'ae-bench-backup-'))

  try {
    process.stderr.write(`Generating ${options.reviews.toLocaleString('en-US')} reviews…\n`)
    await recreate(admin, base, names.source)
    await generate(base, options.reviews)

    const ours = join(dir, 'backup.ndjson')
    const oursGzip = join(dir, 'backup.ndjson.gz')
    const dump = join(dir, 'backup.dump')
    const source = { DATABASE_URL: urlOf(base, names.source), LOG_LEVEL: 'warn' }
    const results: Record<string, Measure[]> = {
      backup: [], 'backup --gzip': [], 'pg_dump -Fc': [], restore: [], 'pg_restore': [],
    }

    for (let run = 1; run <= options.runs; run++) {
      process.stderr.write(`Run ${run} of ${options.runs}…\n`)
      results.backup!.push(await measure(
        ['bun', 'src/cli/backup.ts', '--out', ours, '--quiet'], source))
      results['backup --gzip']!.push(await measure(
        ['bun', 'src/cli/backup.ts', '--out', oursGzip, '--quiet'], source))
      results['pg_dump -Fc']!.push(await measure([pgDump, '--data-only', '-Fc', '--schema=public',
        '-f', dump, '-d', urlOf(base, names.source)]))

      await recreate(admin, base, names.ours)
      results.restore!.push(await measure(['bun', 'src/cli/restore.ts', ours, '--yes', '--quiet'],
        { DATABASE_URL: urlOf(base, names.ours), LOG_LEVEL: 'warn' }))
      await recreate(admin, base, names.dump)
      results['pg_restore']!.push(await measure([pgRestore, '--data-only', '--single-transaction',
        '-d', urlOf(base, names.dump), dump]))
    }

    report(options, results, { ours, oursGzip, dump })
  } finally {
    if (!options.keep) {
      for (const name of Object.values(names)) {
        await admin.unsafe(`drop database if exists ${name} with (force)`)
      }
    }
    await admin.end()
    rmSync(dir, { recursive: true, force: true })
  }
}

function report(
  options: BenchOptions,
  results: Record<string, Measure[]>,
  files: { ours: string; oursGzip: string; dump: string },
): void {
  const summary = Object.fromEntries(Object.entries(results).map(([name, runs]) =>
    [name, summarise(runs)]))
  const rows: Record<string, string> = {}
  for (const [name, measured] of Object.entries(summary)) {
    rows[name] = `${measured.seconds.toFixed(2)} s   peak ${formatBytes(measured.peakBytes)}   ` +
      `cpu ${measured.cpuSeconds.toFixed(2)} s`
  }
  const ratio = (a: string, b: string) => (summary[a]!.seconds / summary[b]!.seconds).toFixed(2)
  rows['backup / pg_dump'] = `${ratio('backup', 'pg_dump -Fc')} (aim <= 1.00)`
  rows['backup --gzip / pg_dump'] = ratio('backup --gzip', 'pg_dump -Fc')
  rows['restore / pg_restore'] = `${ratio('restore', 'pg_restore')} (aim <= 1.30)`
  const size = (path: string) => formatBytes(statSync(path).size)
  rows['files'] = `ndjson ${size(files.ours)}, ndjson.gz ${size(files.oursGzip)}, ` +
    `pg_dump -Fc ${size(files.dump)}`
  rows['machine load (1 min)'] = loadavg()[0]!.toFixed(2)

  printSummary(`Backup benchmark: ${options.reviews.toLocaleString('en-US')} reviews, ` +
    `median of ${options.runs} run(s), peak = largest maxRSS`, rows, process.stdout)
}

await main()
