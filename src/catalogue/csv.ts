/**
 * A streaming RFC 4180 reader: quoted fields, doubled quotes, separators and line breaks
 * inside quotes, LF or CRLF endings, a UTF-8 byte order mark. It holds one record at a time,
 * so files of any size go through in constant memory.
 */

export interface CsvRecord {
  /** The physical line the record starts on, counting the header as line 1. */
  line: number
  fields: string[]
  /** Set when the record is malformed; the reader then resumes at the next line. */
  error?: string
}

/** Decodes a byte stream (for example `Bun.file(path).stream()`) into text chunks. */
export async function* textChunks(bytes: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8')
  for await (const chunk of bytes) yield decoder.decode(chunk, { stream: true })
  const rest = decoder.decode()
  if (rest) yield rest
}

/** Reads records from text chunks; blank lines are skipped. */
export async function* readCsv(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const reader = new CsvReader()
  let first = true

  for await (let chunk of chunks) {
    if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1)
    first = false
    yield* reader.push(chunk)
  }
  yield* reader.end()
}

/** Reads every record of a string; for tests and small inputs. */
export function readCsvText(text: string): CsvRecord[] {
  const reader = new CsvReader()
  return [...reader.push(text.replace(/^\uFEFF/, '')), ...reader.end()]
}

const COMMA = 44
const QUOTE = 34
const LF = 10
const CR = 13

/** Where a run of ordinary characters starting at `from` ends. */
function plainRunEnd(chunk: string, from: number): number {
  let i = from
  while (i < chunk.length) {
    const code = chunk.charCodeAt(i)
    if (code === COMMA || code === QUOTE || code === LF || code === CR) break
    i += 1
  }
  return i
}

class CsvReader {
  private fields: string[] = []
  private field = ''
  private quoted = false
  /** Inside quotes we just met a quote: either an escaped quote or the closing one. */
  private quoteSeen = false
  /** After the closing quote, only a separator or a line break may follow. */
  private closed = false
  private error: string | undefined
  private line = 1
  private recordLine = 1
  private afterCr = false

  /** Consumes a chunk and returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const records: CsvRecord[] = []
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i)

      if (this.afterCr) {
        this.afterCr = false
        if (code === LF) continue
      }

      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false
          if (code === QUOTE) {
            this.field += '"'
            continue
          }
          this.quoted = false
          this.closed = true
        } else if (code === QUOTE) {
          this.quoteSeen = true
          continue
        } else {
          if (code === LF) this.line += 1
          this.field += chunk[i]
          continue
        }
      }

      if (code === COMMA) {
        this.endField()
      } else if (code === LF || code === CR) {
        this.afterCr = code === CR
        const record = this.endRecord()
        this.line += 1
        this.recordLine = this.line
        if (record) records.push(record)
      } else if (this.closed) {
        this.error ??= `unexpected character ${JSON.stringify(chunk[i])} after a closing quote`
      } else if (code === QUOTE) {
        if (this.field === '') this.quoted = true
        else this.error ??= 'a quote inside an unquoted field'
      } else {
        const end = plainRunEnd(chunk, i)
        this.field += chunk.slice(i, end)
        i = end - 1
      }
    }
    return records
  }

  /** Completes the last record of the input. */
  end(): CsvRecord[] {
    if (this.quoted && !this.quoteSeen) this.error ??= 'a quoted field is never closed'
    this.quoted = false
    this.quoteSeen = false
    const record = this.endRecord()
    return record ? [record] : []
  }

  private endField() {
    this.fields.push(this.field)
    this.field = ''
    this.closed = false
  }

  private endRecord(): CsvRecord | undefined {
    const blank = this.fields.length === 0 && this.field === '' && !this.closed
    this.endField()
    const record: CsvRecord = { line: this.recordLine, fields: this.fields }
    if (this.error) record.error = this.error

    this.fields = []
    this.error = undefined
    return blank && !record.error ? undefined : record
  }
}
