import type { DatabaseHandle } from '../db/client'
import { AppError } from '../shared/errors'
import { restoreError, throwIfAborted } from './errors'
import { planFromHeader } from './format'
import type { BackupInput } from './input'
import { importLegacy } from './legacy/import'
import { LineReader, type LineBatch } from './line-reader'
import { withLoadSession } from './load-session'
import { NdjsonLoader, parseLine } from './ndjson-loader'
import { pinpointMissingKey } from './pinpoint'
import { backupTables } from './tables'

/** What a caller may watch while a restore runs (the CLI draws progress from it). */
export interface RestoreHooks {
  onTableStart?(table: string): void
  onRows?(count: number): void
  onTableDone?(table: string, rows: number): void
}

export interface RestoreOptions {
  /** Do every check, then roll back. */
  dryRun: boolean
  signal?: AbortSignal
  hooks?: RestoreHooks
}

export interface RestoreResult {
  format: 'ndjson' | 'legacy'
  rows: Record<string, number>
  committed: boolean
  /** Fields and arrays of a legacy file that have no place in our schema. */
  ignored?: string[]
}

/** A backup whose header was read and checked; nothing in the database was touched yet. */
export interface PreparedRestore {
  format: 'ndjson' | 'legacy'
  /** One line for the operator: what is about to be restored. */
  description: string
  run(database: DatabaseHandle, options: RestoreOptions): Promise<RestoreResult>
}

const ndjsonStart = /^\uFEFF?\{"format":/
const legacyStart = /^\uFEFF?\s*\{\s*"(metadata|data)"\s*:/

/** Recognises the backup by its first bytes and checks its header. */
export async function prepareRestore(input: BackupInput): Promise<PreparedRestore> {
  const head = new TextDecoder().decode(input.head.subarray(0, 4096))
  if (ndjsonStart.test(head)) return prepareNdjson(input)
  if (legacyStart.test(head)) {
    return {
      format: 'legacy',
      description: `${input.name}: a JSON backup of the older Express/Prisma system`,
      run: (database, options) => importLegacy(database, input, options),
    }
  }
  throw restoreError({ file: input.name, line: 1 },
    input.head.length === 0 ? 'the input is empty' : 'not a backup this code knows ' +
      '(neither the NDJSON format nor the older system\'s JSON backup)')
}

async function prepareNdjson(input: BackupInput): Promise<PreparedRestore> {
  const reader = new LineReader({ file: input.name })
  const batches = readBatches(reader, input)
  const first = await batches.next()
  if (first.done || first.value.lines.length === 0) {
    throw restoreError({ file: input.name, line: 1 }, 'the header line is cut off')
  }

  const header = parseLine(first.value.lines[0]!, { file: input.name, line: 1 }) as {
    createdAt?: string
    schemaVersion?: string
  }
  const plan = planFromHeader(header, { file: input.name, line: 1 })
  const rest: LineBatch = { lines: first.value.lines.slice(1), firstLine: 2 }

  return {
    format: 'ndjson',
    description: `${input.name}: backup of ${header.createdAt}, schema ${header.schemaVersion}`,
    async run(database, options) {
      try {
        return await withLoadSession(database, { commit: !options.dryRun }, async (session) => {
          const loader = new NdjsonLoader(session, input.name, plan, options)
          await session.clear(backupTables)
          await loader.load(rest, batches)
          await session.finishLoad()
          loader.verify(reader.digest())
          throwIfAborted(options.signal)
          if (!options.dryRun) await session.resetSequences(backupTables)
          return { format: 'ndjson' as const, rows: loader.rows, committed: !options.dryRun }
        })
      } catch (error) {
        throw await pinpointMissingKey(error, input.stdin ? '-' : input.name, plan)
      }
    },
  }
}

/** The reader's batches, with failures of the input itself (a damaged gzip) named. */
async function* readBatches(reader: LineReader, input: BackupInput): AsyncGenerator<LineBatch> {
  let lastLine = 0
  try {
    for await (const batch of reader.batches(input.chunks)) {
      lastLine = batch.firstLine + batch.lines.length - 1
      yield batch
    }
  } catch (error) {
    if (error instanceof AppError) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw restoreError({ file: input.name, line: lastLine + 1 },
      `cannot read on${input.compressed ? ' (damaged or cut-off gzip data)' : ''}: ${message}`)
  }
}
