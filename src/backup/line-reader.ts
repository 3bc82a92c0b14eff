import { restoreError } from './errors'
import { FOOTER_PREFIX, MAX_LINE_BYTES } from './format'
import { MemoryKeeper } from './memory'

/** Complete lines decoded from the input, numbered from 1. */
export interface LineBatch {
  lines: string[]
  firstLine: number
}

export interface LineReaderOptions {
  /** The input's name, for error messages. */
  file: string
  maxLineBytes?: number
}

const newline = 0x0a
const footerAfterNewline = Buffer.from(`\n${FOOTER_PREFIX}`)
const footerAtStart = Buffer.from(FOOTER_PREFIX)

/**
 * Splits a byte stream into lines without ever holding more than one chunk and one line:
 * lines are cut on the newline byte (which never occurs inside a multi-byte UTF-8 sequence),
 * then decoded strictly, so an invalid byte is reported with its line number. Every byte
 * before the footer line goes into a SHA-256 as it passes.
 */
export class LineReader {
  private readonly hasher = new Bun.CryptoHasher('sha256')
  private readonly decoder = new TextDecoder('utf-8', { fatal: true })
  private readonly memory = new MemoryKeeper()
  private readonly maxLineBytes: number
  private footerSeen = false

  constructor(private readonly options: LineReaderOptions) {
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES
  }

  /** Hex SHA-256 of every byte before the footer line. */
  digest(): string {
    return this.hasher.digest('hex')
  }

  async *batches(source: AsyncIterable<Uint8Array>): AsyncGenerator<LineBatch> {
    let pending: Buffer | undefined
    let nextLine = 1

    for await (const chunk of source) {
      this.memory.passed(chunk.byteLength)
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      const end = bytes.lastIndexOf(newline)
      if (end === -1) {
        pending = pending ? Buffer.concat([pending, bytes]) : Buffer.from(bytes)
        this.checkLength(pending.length, nextLine)
        continue
      }

      if (pending) this.checkLength(pending.length + bytes.indexOf(newline), nextLine)
      const head = bytes.subarray(0, end + 1)
      const complete = pending ? Buffer.concat([pending, head]) : head
      pending = end + 1 < bytes.length ? Buffer.from(bytes.subarray(end + 1)) : undefined

      const { lines, invalid } = this.decode(complete, nextLine)
      if (invalid !== undefined) {
        // The lines before the bad one go first, so the error names the table it falls in.
        yield { lines, firstLine: nextLine }
        throw restoreError({ file: this.options.file, line: invalid },
          'the line is not valid UTF-8')
      }
      if (pending) this.checkLength(pending.length, nextLine + lines.length)
      yield { lines, firstLine: nextLine }
      nextLine += lines.length
    }

    if (pending && pending.length > 0) {
      throw restoreError({ file: this.options.file, line: nextLine },
        'the line is cut off: the file ends in the middle of it (truncated file?)')
    }
  }

  private checkLength(bytes: number, line: number): void {
    if (bytes <= this.maxLineBytes) return
    throw restoreError({ file: this.options.file, line },
      `the line is longer than ${this.maxLineBytes} bytes`)
  }

  /** Decodes whole lines; on invalid UTF-8, the lines before the bad one and its number. */
  private decode(complete: Buffer, firstLine: number): { lines: string[]; invalid?: number } {
    this.hash(complete)

    let text: string
    try {
      text = this.decoder.decode(complete)
    } catch {
      const { line, offset } = this.invalidLine(complete, firstLine)
      return { lines: this.split(this.decoder.decode(complete.subarray(0, offset))), invalid: line }
    }
    return { lines: this.split(text) }
  }

  private split(text: string): string[] {
    const lines = text.split('\n')
    lines.pop()
    return lines
  }

  private hash(complete: Buffer): void {
    if (this.footerSeen) return

    const footer = complete.subarray(0, footerAtStart.length).equals(footerAtStart)
      ? 0
      : complete.indexOf(footerAfterNewline)
    if (footer === -1) {
      this.hasher.update(complete)
      return
    }
    const start = footer === 0 ? 0 : footer + 1
    this.hasher.update(complete.subarray(0, start))
    this.footerSeen = true
  }

  private invalidLine(complete: Buffer, firstLine: number): { line: number; offset: number } {
    const strict = new TextDecoder('utf-8', { fatal: true })
    let start = 0
    for (let line = firstLine; start < complete.length; line++) {
      const end = complete.indexOf(newline, start)
      try {
        strict.decode(complete.subarray(start, end))
      } catch {
        return { line, offset: start }
      }
      start = end + 1
    }
    return { line: firstLine, offset: 0 }
  }
}
