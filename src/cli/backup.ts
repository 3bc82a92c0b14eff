import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { writeBackup, type BackupHooks } from '../backup/backup'
import { openBackupOutput } from '../backup/output'
import { loadConfig } from '../config'
import { openMigratedDatabase } from '../db/open'
import { createProgress, printSummary, type Progress } from './progress'
import { commandLogger, formatBytes, runCommand, UsageError } from '../backup/command'

const usage = `Usage: bun run backup [--out FILE | -] [--gzip] [--quiet]

Writes every table, from one consistent snapshot, as NDJSON (see docs/backup.md).
  --out FILE   where to write (default backups/amazon_eye_backup_<time>.ndjson); - is stdout
  --gzip       compress (also implied by a FILE ending in .gz)
  --quiet      no progress or summary on stderr`

interface BackupCommand {
  out: string
  gzip: boolean
  quiet: boolean
}

/** `bun run backup`: options, checks, then the backup itself. */
function parseCommand(argv: string[]): BackupCommand {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', short: 'o' },
      gzip: { type: 'boolean', short: 'z', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  })
  if (values.help) throw new UsageError(usage, 0)
  const [extra] = positionals as string[]
  if (extra !== undefined) throw new UsageError(`Unexpected argument ${extra}\n\n${usage}`)
  if (values.out === '') throw new UsageError(`--out needs a file name or -\n\n${usage}`)

  const gzip = values.gzip || (values.out?.endsWith('.gz') ?? false)
  const out = values.out ?? defaultPath(gzip)
  return { out: out === '-' ? out : resolve(out), gzip, quiet: values.quiet }
}

function defaultPath(gzip: boolean): string {
  // ISO 8601 basic format: sortable, and safe in file names on every system.
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return `backups/amazon_eye_backup_${stamp}.ndjson${gzip ? '.gz' : ''}`
}

function progressHooks(quiet: boolean): BackupHooks {
  let progress: Progress | undefined
  return {
    onTableStart(table, estimatedRows) {
      progress = createProgress({ label: table, total: estimatedRows, quiet })
    },
    onRows: (count) => progress?.tick(count),
    onTableDone: () => progress?.done(),
  }
}

await runCommand(async (signal) => {
  const command = parseCommand(process.argv.slice(2))
  const config = loadConfig()
  const database = await openMigratedDatabase(config, commandLogger(config))
  const started = performance.now()

  try {
    const output = await openBackupOutput(command.out, { gzip: command.gzip })
    const result = await writeBackup(database, output, {
      signal,
      hooks: progressHooks(command.quiet),
    })
    if (command.quiet) return

    const total = Object.values(result.rows).reduce((sum, rows) => sum + rows, 0)
    printSummary(`Backup written to ${output.name}`, {
      ...result.rows,
      'rows in all': total,
      size: formatBytes(result.bytes) + (command.gzip ? ' before compression' : ''),
      time: `${((performance.now() - started) / 1000).toFixed(1)} s`,
      sha256: result.sha256,
    })
  } finally {
    await database.close()
  }
})
