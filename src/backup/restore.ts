import type { DatabaseHandle } from '../db/client'
import { AppError } from '../shared/errors'
import { createRowEncoder, type RowEncoder } from './copy-text'
import { restoreError, throwIfAborted, unlessAborted, withTable } from './errors'
import { parseFooter, planFromHeader, type BackupFooter, type PlannedTable } from './format'
import type { BackupInput } from './input'
import { importLegacy } from './legacy/import'
import { LineMap } from './line-map'
import { LineReader, type LineBatch } from './line-reader'
import { withLoadSession, type CopySink, type LoadSession } from './load-session'
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

function parseLine(line: string, at: { file: string; line: number; table?: string }): unknown {
  try {
    return JSON.parse(line)
  } catch (error) {
    throw restoreError(at, `invalid JSON: ${(error as Error).message}`)
  }
}

interface Section {
  planned: PlannedTable
  encoder: RowEncoder
  sink: CopySink
  lines: LineMap
}

/** Walks the lines after the header: table lines, rows, then the summary line. */
class NdjsonLoader {
  readonly rows: Record<string, number> = {}
  private section: Section | undefined
  private nextTable = 0
  private footer: { value: BackupFooter; line: number } | undefined
  private lastLine = 1

  constructor(
    private readonly session: LoadSession,
    private readonly file: string,
    private readonly plan: PlannedTable[],
    private readonly options: RestoreOptions,
  ) {}

  async load(first: LineBatch, rest: AsyncIterable<LineBatch>): Promise<void> {
    try {
      await this.loadBatch(first)
      for await (const batch of rest) await this.loadBatch(batch)
    } catch (error) {
      throw withTable(error, this.section?.planned.table.name)
    }

    if (!this.footer) {
      throw restoreError({ file: this.file, line: this.lastLine },
        'the file ends without its summary line (truncated file?)')
    }
  }

  /** Checks the summary line's counts and checksum against what was read. */
  verify(digest: string): void {
    const { value, line } = this.footer!
    const at = { file: this.file, line }
    if (value.sha256 !== digest) {
      throw restoreError(at,
        `checksum mismatch: the file says ${value.sha256}, its content hashes to ${digest}`)
    }
    for (const { table } of this.plan) {
      const expected = value.rows[table.name]
      if (expected !== this.rows[table.name]) {
        throw restoreError({ ...at, table: table.name }, 'row count mismatch: the summary ' +
          `says ${expected}, the file holds ${this.rows[table.name]}`)
      }
    }
    const unknown = Object.keys(value.rows).find((name) => !(name in this.rows))
    if (unknown) throw restoreError(at, `the summary counts a table the file lacks: ${unknown}`)
  }

  private async loadBatch(batch: LineBatch): Promise<void> {
    throwIfAborted(this.options.signal)
    let text = ''
    let count = 0

    for (let index = 0; index < batch.lines.length; index++) {
      const line = batch.lines[index]!
      const number = batch.firstLine + index
      this.lastLine = number
      if (this.footer) {
        throw restoreError({ file: this.file, line: number },
          'unexpected line after the summary line')
      }

      if (line.charCodeAt(0) === 0x5b /* [ */ && this.section) {
        const encoded = this.section.encoder.encode(parseLine(line, this.at(number)))
        if (encoded === undefined) throw restoreError(this.at(number), this.section.encoder.problem)
        text += encoded
        count += 1
        this.section.lines.add(number)
        continue
      }

      await this.flush(text, count)
      text = ''
      count = 0
      await this.control(line, number)
    }
    await this.flush(text, count)
  }

  private at(line: number) {
    return { file: this.file, line, table: this.section?.planned.table.name }
  }

  private async flush(text: string, count: number): Promise<void> {
    if (count === 0) return
    await this.section!.sink.write(text, count)
    this.options.hooks?.onRows?.(count)
  }

  /** A line that is not a row: the next table's line or the summary line. */
  private async control(line: string, number: number): Promise<void> {
    const value = parseLine(line, this.at(number)) as { table?: unknown; end?: unknown } | null
    if (Array.isArray(value)) throw restoreError(this.at(number), 'a row before any table line')
    if (typeof value !== 'object' || value === null) {
      throw restoreError(this.at(number), 'neither a row, a table line nor the summary line')
    }

    await this.closeSection()
    if ('end' in value) {
      this.checkAllTablesSeen(number)
      this.footer = { value: parseFooter(value, { file: this.file, line: number }), line: number }
      return
    }
    await this.openSection(value.table, number)
  }

  private async openSection(name: unknown, number: number): Promise<void> {
    const planned = this.plan[this.nextTable]
    if (!planned || planned.table.name !== name) {
      const expected = planned ? `table ${planned.table.name}` : 'the summary line'
      throw restoreError({ file: this.file, line: number },
        `expected ${expected} here, found ${JSON.stringify({ table: name })}`)
    }
    this.nextTable += 1

    const lines = new LineMap()
    const target = { table: planned.table, columns: planned.columns, file: this.file, lines }
    this.section = {
      planned,
      lines,
      encoder: createRowEncoder(planned.columns),
      sink: await this.session.copy(target),
    }
    this.options.hooks?.onTableStart?.(planned.table.name)
  }

  private async closeSection(): Promise<void> {
    const section = this.section
    if (!section) return

    const loaded = await unlessAborted(section.sink.end(), this.options.signal)
    const name = section.planned.table.name
    if (loaded !== section.lines.size) {
      throw restoreError({ file: this.file, table: name, lines: section.lines.rangeOf() },
        `the database loaded ${loaded} rows, the file holds ${section.lines.size}`)
    }
    this.rows[name] = loaded
    this.section = undefined
    this.options.hooks?.onTableDone?.(name, loaded)
  }

  private checkAllTablesSeen(number: number): void {
    const missing = this.plan[this.nextTable]
    if (missing) {
      throw restoreError({ file: this.file, line: number },
        `the summary line comes before table ${missing.table.name} (listed in the header)`)
    }
  }
}
