import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { commandLogger, runCommand, UsageError } from '../backup/command'
import { databaseHoldsData } from '../backup/existing-data'
import { openBackupInput } from '../backup/input'
import { prepareRestore, type PreparedRestore, type RestoreHooks } from '../backup/restore'
import { loadConfig } from '../config'
import { openMigratedDatabase } from '../db/open'
import { AppError } from '../shared/errors'
import { createProgress, printSummary, type Progress } from './progress'

const usage = `Usage: bun run restore FILE|- [--yes] [--dry-run] [--quiet]

Replaces the database's content with a backup (NDJSON, gzipped or not, or the older system's
JSON backup), in one transaction: any problem leaves the database as it was.
  --yes       confirm replacing a database that holds data (asked on a terminal otherwise)
  --dry-run   read, load and check everything, then roll back
  --quiet     no progress or summary on stderr`

interface RestoreCommand {
  path: string
  yes: boolean
  dryRun: boolean
  quiet: boolean
}

/** `bun run restore`: options, checks of the file and the database, then the restore. */
function parseCommand(argv: string[]): RestoreCommand {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      yes: { type: 'boolean', short: 'y', default: false },
      'dry-run': { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  })
  if (values.help) throw new UsageError(usage, 0)

  const [path, extra] = positionals as string[]
  if (path === undefined) throw new UsageError(`Which backup? Give a file or -\n\n${usage}`)
  if (extra !== undefined) throw new UsageError(`Unexpected argument ${extra}\n\n${usage}`)
  return { path, yes: values.yes, dryRun: values['dry-run'], quiet: values.quiet }
}

/** Restoring over data replaces it: the operator says so with --yes, or on a terminal. */
async function confirmReplace(command: RestoreCommand, prepared: PreparedRestore): Promise<void> {
  const interactive = command.path !== '-' && process.stdin.isTTY && process.stderr.isTTY
  if (!interactive) {
    throw new AppError('CONFLICT', 'The database holds data and a restore replaces all of it; ' +
      'run again with --yes to confirm (or --dry-run to only check the backup)')
  }

  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const answer = await prompt.question(
      `The database holds data. Replace all of it with ${prepared.description}? [y/N] `)
    if (!/^y(es)?$/i.test(answer.trim())) {
      throw new AppError('CONFLICT', 'Not confirmed; nothing changed')
    }
  } finally {
    prompt.close()
  }
}

function progressHooks(quiet: boolean): RestoreHooks {
  let progress: Progress | undefined
  return {
    onTableStart(table) {
      progress = createProgress({ label: table, quiet })
    },
    onRows: (count) => progress?.tick(count),
    onTableDone: () => progress?.done(),
  }
}

await runCommand(async (signal) => {
  const command = parseCommand(process.argv.slice(2))
  const input = await openBackupInput(command.path)
  const prepared = await prepareRestore(input)

  const config = loadConfig()
  const database = await openMigratedDatabase(config, commandLogger(config))
  const started = performance.now()
  try {
    if (!command.yes && !command.dryRun && await databaseHoldsData(database)) {
      await confirmReplace(command, prepared)
    }
    const result = await prepared.run(database, {
      dryRun: command.dryRun,
      signal,
      hooks: progressHooks(command.quiet),
    })
    if (command.quiet) return

    const total = Object.values(result.rows).reduce((sum, rows) => sum + rows, 0)
    const title = result.committed
      ? `Restored ${prepared.description}`
      : `Dry run of ${prepared.description}: every check passed, nothing was changed`
    printSummary(title, {
      ...result.rows,
      'rows in all': total,
      time: `${((performance.now() - started) / 1000).toFixed(1)} s`,
      ...(result.ignored?.length ? { ignored: result.ignored.join(', ') } : {}),
    })
  } finally {
    await database.close()
  }
})
