import { existsSync, statSync } from 'node:fs'
import type { RowError } from '../catalogue/dataset'
import { seedCatalogue, type SeedOptions, type SeedResult } from '../catalogue/seed'
import { loadConfig } from '../config'
import { openMigratedDatabase } from '../db/open'
import { createLogger } from '../shared/logger'
import { createProgress, printSummary, type Progress } from './progress'

/**
 * `bun run seed -- <csv> [--reviews] [--scale <factor>] [--quiet]`: imports a product file
 * of the review-fraud dataset into the configured database (see docs/seeding.md).
 * Exit status: 0 done, 1 nothing or not everything could be imported, 2 done but some rows
 * were skipped as invalid.
 */

const usage = `Usage: bun run seed -- <file.csv> [--reviews] [--scale <factor>] [--quiet]

  --reviews         also generate reviews following each row's count, rating and gaps
  --scale <factor>  reviews per product = n_of_reviews x factor (default 1; e.g. 0.2)
  --quiet           no progress or summary (invalid rows are still reported)
`

interface CliOptions extends SeedOptions {
  quiet: boolean
}

const maxReportedRows = 20

/** Parses and validates the arguments; returns a message instead when they are wrong. */
export function parseSeedArgs(args: string[]): CliOptions | string {
  const options: CliOptions = { file: '', reviews: false, scale: 1, quiet: false }
  let scaleGiven = false

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--reviews') options.reviews = true
    else if (arg === '--quiet') options.quiet = true
    else if (arg === '--scale') {
      const raw = args[++i] ?? ''
      if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) <= 0 || Number(raw) > 10) {
        return `--scale takes a number above 0 and at most 10, got "${raw}"`
      }
      options.scale = Number(raw)
      scaleGiven = true
    } else if (arg === '--help' || arg === '-h') return usage
    else if (arg.startsWith('-')) return `Unknown option ${arg}\n\n${usage}`
    else if (options.file) return `Only one file may be given\n\n${usage}`
    else options.file = arg
  }

  if (!options.file) return usage
  if (scaleGiven && !options.reviews) return '--scale only applies with --reviews'
  if (!existsSync(options.file) || !statSync(options.file).isFile()) {
    return `No such file: ${options.file}`
  }
  return options
}

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  const options = parseSeedArgs(args)
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n`)
    return args.includes('--help') || args.includes('-h') ? 0 : 1
  }

  const config = loadConfig()
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel)
  const database = await openMigratedDatabase(config, logger, 16)
  const started = performance.now()
  let progress: Progress | undefined
  let reported = 0

  try {
    const result = await seedCatalogue(database, options, {
      phase(name, total) {
        progress?.done()
        progress = createProgress({ label: name, total, quiet: options.quiet })
      },
      progress: (rows) => progress?.tick(rows),
      rowError(error) {
        reported += 1
        reportRowError(error, reported)
      },
    })
    progress?.done()

    if (!options.quiet) {
      printSummary('Seed finished', summaryOf(result, database.kind, performance.now() - started))
    }
    return result.badRows > 0 ? 2 : 0
  } finally {
    await database.close()
  }
}

function reportRowError(error: RowError, count: number) {
  if (count <= maxReportedRows) process.stderr.write(`skipped ${error.message}\n`)
  else if (count === maxReportedRows + 1) process.stderr.write('skipped more rows...\n')
}

function summaryOf(result: SeedResult, driver: string, elapsedMs: number) {
  const summary: Record<string, string | number> = {
    database: driver,
    'rows imported': result.products.rows,
    'products created': result.products.inserted,
    'products updated': result.products.updated,
    'products unchanged': result.products.unchanged,
    'rows skipped (invalid)': result.badRows,
  }
  if (result.reviews) {
    summary['reviews written'] = result.reviews.written
    summary['products already complete'] = result.reviews.complete
    summary['reviews expected'] = result.reviews.expected
  }
  summary.seconds = (elapsedMs / 1000).toFixed(1)
  return summary
}

if (import.meta.main) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error)
      process.stderr.write(`seed failed: ${message}\n`)
      process.exit(1)
    },
  )
}
