import type { JsonHandler } from './json-events'

/** One flat record of a legacy table: its own fields, nested copies of others left out. */
export interface LegacyRecord {
  fields: Record<string, unknown>
  /** The line where the record starts in the file. */
  line: number
}

/** What the assembler found, in file order; the importer drains it after each chunk. */
export type LegacyEvent =
  | { kind: 'tableStart'; table: string; line: number }
  | { kind: 'record'; table: string; record: LegacyRecord }
  | { kind: 'tableEnd'; table: string }

export interface LegacyShape {
  /** Tables of `data` the importer knows; others are skipped (and reported). */
  tables: ReadonlySet<string>
  /** Fields holding JSON values of their own (kept whole), per table. */
  jsonFields: Readonly<Record<string, ReadonlySet<string>>>
}

type Frame = { kind: 'root' } | { kind: 'data' } | { kind: 'table'; table: string } | {
  kind: 'record'
  table: string
}

/**
 * Turns the parser's events for `{ "metadata": {...}, "data": { "<table>": [ {...} ] } }` into
 * flat records. Values nested in a record (the related records the old script repeated) are
 * skipped as they stream by, never built, unless the field is one of the table's JSON fields
 * (images, a call transcript).
 */
export class LegacyAssembler implements JsonHandler {
  readonly events: LegacyEvent[] = []
  metadata: unknown
  /** Names of `data` entries and record fields that were skipped, for the report. */
  readonly skippedTables = new Set<string>()
  readonly skippedFields = new Map<string, Set<string>>()

  private readonly frames: Frame[] = []
  private pendingKey: string | undefined
  private skipping = 0
  private capture: ValueBuilder | undefined
  private record: LegacyRecord | undefined

  constructor(private readonly shape: LegacyShape, private readonly lineOf: () => number) {}

  startObject(): void {
    this.open(false)
  }

  startArray(): void {
    this.open(true)
  }

  endObject(): void {
    this.close()
  }

  endArray(): void {
    this.close()
  }

  key(name: string): void {
    if (this.skipping > 0) return
    if (this.capture) this.capture.key(name)
    else this.pendingKey = name
  }

  value(value: string | number | boolean | null): void {
    if (this.skipping > 0) return
    if (this.capture) {
      this.capture.value(value)
      return
    }

    const frame = this.frames.at(-1)
    const key = this.takeKey()
    if (frame?.kind === 'record' && key !== undefined) this.record!.fields[key] = value
    else if (frame?.kind === 'root' && key === 'metadata') this.metadata = value
  }

  private open(isArray: boolean): void {
    if (this.skipping > 0) {
      this.skipping += 1
      return
    }
    if (this.capture) {
      this.capture.open(isArray)
      return
    }

    const frame = this.frames.at(-1)
    const key = this.takeKey()
    if (!frame) {
      this.frames.push({ kind: 'root' })
    } else if (frame.kind === 'root') {
      this.openInRoot(key, isArray)
    } else if (frame.kind === 'data') {
      this.openTable(key!, isArray)
    } else if (frame.kind === 'table') {
      this.openRecord(frame.table, isArray)
    } else {
      this.openField(frame.table, key!, isArray)
    }
  }

  private openInRoot(key: string | undefined, isArray: boolean): void {
    if (key === 'metadata') {
      this.capture = new ValueBuilder(isArray, (value) => { this.metadata = value })
    } else if (key === 'data' && !isArray) {
      this.frames.push({ kind: 'data' })
    } else {
      this.skipping = 1
    }
  }

  private openTable(table: string, isArray: boolean): void {
    if (!isArray || !this.shape.tables.has(table)) {
      this.skippedTables.add(table)
      this.skipping = 1
      return
    }
    this.frames.push({ kind: 'table', table })
    this.events.push({ kind: 'tableStart', table, line: this.lineOf() })
  }

  private openRecord(table: string, isArray: boolean): void {
    if (isArray) {
      this.skippedTables.add(`${table}[]`)
      this.skipping = 1
      return
    }
    this.frames.push({ kind: 'record', table })
    this.record = { fields: {}, line: this.lineOf() }
  }

  private openField(table: string, key: string, isArray: boolean): void {
    if (this.shape.jsonFields[table]?.has(key)) {
      const record = this.record!
      this.capture = new ValueBuilder(isArray, (value) => { record.fields[key] = value })
      return
    }
    // A nested copy of related records: the flat arrays hold the originals.
    this.noteSkipped(table, key)
    this.skipping = 1
  }

  private close(): void {
    if (this.skipping > 0) {
      this.skipping -= 1
      return
    }
    if (this.capture) {
      if (this.capture.close()) this.capture = undefined
      return
    }

    const frame = this.frames.pop()
    if (frame?.kind === 'record') {
      this.events.push({ kind: 'record', table: frame.table, record: this.record! })
      this.record = undefined
    } else if (frame?.kind === 'table') {
      this.events.push({ kind: 'tableEnd', table: frame.table })
    }
  }

  private takeKey(): string | undefined {
    const key = this.pendingKey
    this.pendingKey = undefined
    return key
  }

  private noteSkipped(table: string, key: string): void {
    const fields = this.skippedFields.get(table) ?? new Set<string>()
    fields.add(key)
    this.skippedFields.set(table, fields)
  }
}

/** Builds one JSON value from events (a field kept whole, or the metadata). */
class ValueBuilder {
  private readonly stack: { container: unknown[] | Record<string, unknown>; key?: string }[]

  constructor(isArray: boolean, private readonly done: (value: unknown) => void) {
    this.stack = [{ container: isArray ? [] : {} }]
  }

  open(isArray: boolean): void {
    const container = isArray ? [] : {}
    this.attach(container)
    this.stack.push({ container })
  }

  key(name: string): void {
    this.stack.at(-1)!.key = name
  }

  value(value: unknown): void {
    this.attach(value)
  }

  /** Closes the innermost container; true when the whole value is complete. */
  close(): boolean {
    const finished = this.stack.pop()!
    if (this.stack.length > 0) return false
    this.done(finished.container)
    return true
  }

  private attach(value: unknown): void {
    const top = this.stack.at(-1)!
    if (Array.isArray(top.container)) top.container.push(value)
    else top.container[top.key!] = value
  }
}
