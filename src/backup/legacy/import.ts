import type { DatabaseHandle } from '../../db/client'
import { AppError } from '../../shared/errors'
import { createRowEncoder, type RowEncoder } from '../copy-text'
import { restoreError, throwIfAborted, unlessAborted } from '../errors'
import { MAX_LINE_BYTES } from '../format'
import type { BackupInput } from '../input'
import { LineMap } from '../line-map'
import { MemoryKeeper } from '../memory'
import { withLoadSession, type CopySink, type LoadSession } from '../load-session'
import type { RestoreOptions, RestoreResult } from '../restore'
import { backupTables } from '../tables'
import { JsonEventParser } from './json-events'
import {
  legacyMappings, LegacyValueError, mapRecord, type LegacyTableMapping,
} from './mapping'
import { LegacyAssembler, type LegacyEvent } from './records'

const mappingByLegacyName = new Map(legacyMappings.map((mapping) => [mapping.legacy, mapping]))

/**
 * Reviews whose reviewer id is the id of an imported account get that account as their
 * user (the first such review per product only: one review per user and product).
 */
const linkReviewersToAccounts = `
  update reviews set user_id = linked.user_id
  from (
    select distinct on (r.product_id, u.id) r.id, u.id as user_id
    from reviews r join users u on u.id::text = r.reviewer_id
    where r.user_id is null
      and not exists (
        select 1 from reviews o where o.product_id = r.product_id and o.user_id = u.id)
    order by r.product_id, u.id, r.review_date, r.id
  ) linked
  where reviews.id = linked.id`

/** The live rating statistics are ours, not the old system's: computed from the reviews. */
const recomputeRatingStatistics = `
  update products set rating_count = stats.count, rating_sum = stats.sum
  from (
    select product_id, count(*)::int as count, sum(review_rating)::int as sum
    from reviews group by product_id
  ) stats
  where products.id = stats.product_id`

/**
 * Imports the older Express/Prisma system's JSON backup, streamed: the document is parsed as
 * it is read, each flat record is mapped to our columns and loaded with COPY, all in one
 * transaction. The counts must match the file's metadata or nothing is kept.
 */
export async function importLegacy(
  database: DatabaseHandle,
  input: BackupInput,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const shape = {
    tables: new Set(mappingByLegacyName.keys()),
    jsonFields: Object.fromEntries(legacyMappings.map((m) => [m.legacy, m.jsonFields])),
  }
  let parser: JsonEventParser | undefined
  const assembler = new LegacyAssembler(shape, () => parser?.line ?? 1)
  parser = new JsonEventParser(assembler, { file: input.name, maxTokenChars: MAX_LINE_BYTES })

  return withLoadSession(database, { commit: !options.dryRun }, async (session) => {
    await session.clear(backupTables)
    const loader = new LegacyLoader(session, input.name, options)
    await streamDocument(input, parser, assembler, loader, options.signal)
    await session.finishLoad()

    loader.checkCounts(assembler.metadata)
    await session.run(linkReviewersToAccounts)
    await session.run(recomputeRatingStatistics)
    throwIfAborted(options.signal)
    if (!options.dryRun) await session.resetSequences(backupTables)

    const ignored = [...assembler.skippedTables].map((name) => `data.${name}`)
    return { format: 'legacy', rows: loader.rows, committed: !options.dryRun,
      ignored: [...ignored, ...loader.ignoredFields()] }
  })
}

async function streamDocument(
  input: BackupInput,
  parser: JsonEventParser,
  assembler: LegacyAssembler,
  loader: LegacyLoader,
  signal: AbortSignal | undefined,
): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  const memory = new MemoryKeeper()
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode()
    } catch {
      throw restoreError({ file: input.name, line: parser.line }, 'the text is not valid UTF-8')
    }
  }

  try {
    for await (const chunk of input.chunks) {
      throwIfAborted(signal)
      memory.passed(chunk.byteLength)
      parser.write(decode(chunk))
      await loader.take(assembler.events)
    }
  } catch (error) {
    if (error instanceof AppError) throw error
    throw restoreError({ file: input.name, line: parser.line },
      `cannot read on: ${error instanceof Error ? error.message : String(error)}`)
  }
  parser.write(decode())
  parser.end()
  await loader.take(assembler.events)
}

interface Section {
  mapping: LegacyTableMapping
  encoder: RowEncoder
  sink: CopySink
  lines: LineMap
}

/** Loads the assembler's records table by table, in the order the file lists them. */
class LegacyLoader {
  readonly rows: Record<string, number> = {}
  private readonly seen: LegacyTableMapping[] = []
  private readonly unknownFields = new Map<string, Set<string>>()
  private section: Section | undefined

  constructor(
    private readonly session: LoadSession,
    private readonly file: string,
    private readonly options: RestoreOptions,
  ) {}

  /** Handles and clears the events gathered from the last chunk. */
  async take(events: LegacyEvent[]): Promise<void> {
    let text = ''
    let count = 0
    for (const event of events) {
      if (event.kind === 'record') {
        text += this.encode(event.record.fields, event.record.line)
        count += 1
        continue
      }
      await this.flush(text, count)
      text = ''
      count = 0
      if (event.kind === 'tableStart') await this.open(event.table, event.line)
      else await this.close()
    }
    await this.flush(text, count)
    events.length = 0
  }

  checkCounts(metadata: unknown): void {
    const totals = (metadata as { totalRecords?: Record<string, unknown> } | undefined)
      ?.totalRecords
    if (typeof totals !== 'object' || totals === null) {
      throw restoreError({ file: this.file },
        'the file has no metadata.totalRecords to check the counts against')
    }
    for (const mapping of legacyMappings) {
      const expected = totals[mapping.legacy] ?? 0
      const found = this.rows[mapping.table.name] ?? 0
      if (expected !== found) {
        throw restoreError({ file: this.file, table: mapping.table.name },
          `metadata.totalRecords.${mapping.legacy} says ${String(expected)}, ` +
          `the file holds ${found}`)
      }
    }
  }

  ignoredFields(): string[] {
    return [...this.unknownFields].flatMap(([table, fields]) =>
      [...fields].map((field) => `${table}.${field}`))
  }

  private encode(fields: Record<string, unknown>, line: number): string {
    const section = this.section!
    const at = { file: this.file, line, table: section.mapping.table.name }
    let row: unknown[]
    try {
      row = mapRecord(section.mapping, fields)
    } catch (error) {
      if (error instanceof LegacyValueError) throw restoreError(at, error.message)
      throw error
    }
    const encoded = section.encoder.encode(row)
    if (encoded === undefined) throw restoreError(at, section.encoder.problem)

    this.noteUnknownFields(section.mapping, fields)
    section.lines.add(line)
    return encoded
  }

  private async flush(text: string, count: number): Promise<void> {
    if (count === 0) return
    await this.section!.sink.write(text, count)
    this.options.hooks?.onRows?.(count)
  }

  private async open(legacy: string, line: number): Promise<void> {
    const mapping = mappingByLegacyName.get(legacy)!
    const at = { file: this.file, line, table: mapping.table.name }
    if (this.seen.includes(mapping)) throw restoreError(at, `data.${legacy} appears twice`)

    const child = this.seen.find((loaded) => loaded.table.parents.includes(mapping.table.name))
    if (child) {
      throw restoreError(at, `data.${legacy} comes after data.${child.legacy}, which refers ` +
        'to it; this importer needs referenced records first (as the old script wrote them)')
    }
    this.seen.push(mapping)

    const lines = new LineMap()
    const target = { table: mapping.table, columns: mapping.columns, file: this.file, lines }
    this.section = {
      mapping,
      lines,
      encoder: createRowEncoder(mapping.columns),
      sink: await this.session.copy(target),
    }
    this.options.hooks?.onTableStart?.(mapping.table.name)
  }

  private async close(): Promise<void> {
    const section = this.section!
    const loaded = await unlessAborted(section.sink.end(), this.options.signal)
    this.rows[section.mapping.table.name] = loaded
    this.section = undefined
    this.options.hooks?.onTableDone?.(section.mapping.table.name, loaded)
  }

  private noteUnknownFields(mapping: LegacyTableMapping, fields: Record<string, unknown>): void {
    for (const key in fields) {
      if (mapping.reads.has(key)) continue
      const known = this.unknownFields.get(mapping.legacy) ?? new Set<string>()
      known.add(key)
      this.unknownFields.set(mapping.legacy, known)
    }
  }
}
