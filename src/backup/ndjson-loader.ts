import { createRowEncoder, type RowEncoder } from './copy-text'
import {
  restoreError, throwIfAborted, unlessAborted, withTable, type SourcePosition,
} from './errors'
import { parseFooter, type BackupFooter, type PlannedTable } from './format'
import { LineMap } from './line-map'
import type { LineBatch } from './line-reader'
import type { CopySink, LoadSession } from './load-session'
import type { RestoreOptions } from './restore'

/** Parses one line, naming its place when it is not JSON. */
export function parseLine(line: string, at: SourcePosition & { line: number }): unknown {
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
export class NdjsonLoader {
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
