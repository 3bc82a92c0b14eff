import { restoreError } from '../errors'

/** Receives a JSON document as a sequence of events, in document order. */
export interface JsonHandler {
  startObject(): void
  endObject(): void
  startArray(): void
  endArray(): void
  key(name: string): void
  value(value: string | number | boolean | null): void
}

export interface JsonEventParserOptions {
  /** The input's name, for error messages. */
  file: string
  /** The longest single token (a string, mostly) accepted; bounds memory. */
  maxTokenChars: number
}

type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'done'

const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const needsJsonParse = /[\\\u0000-\u001f]/
const literals: Record<string, true | false | null> = { true: true, false: false, null: null }

/**
 * A streaming JSON parser: text goes in by chunks of any size, events come out, and only the
 * token being read is ever kept (chunks may split a string, an escape or a number anywhere).
 * Used to read the older system's backups, one large JSON document, without loading it whole.
 * Strings with escapes are decoded by the engine's JSON.parse, so escape handling is exact.
 */
export class JsonEventParser {
  /** The line the parser has reached (1-based), for error messages. */
  line = 1
  private buffer = ''
  private expect: Expect = 'value'
  private readonly containers: ('object' | 'array')[] = []

  constructor(
    private readonly handler: JsonHandler,
    private readonly options: JsonEventParserOptions,
  ) {}

  write(text: string): void {
    this.buffer = this.buffer.length > 0 ? this.buffer + text : text
    const consumed = this.parse(false)
    this.buffer = this.buffer.slice(consumed)
    if (this.buffer.length > this.options.maxTokenChars) {
      this.fail(`a single value is longer than ${this.options.maxTokenChars} characters`)
    }
  }

  /** Ends the input: the document must be complete. */
  end(): void {
    const consumed = this.parse(true)
    if (consumed < this.buffer.length || this.expect !== 'done') {
      this.fail('the JSON document is cut off (truncated file?)')
    }
  }

  private fail(message: string): never {
    throw restoreError({ file: this.options.file, line: this.line }, message)
  }

  /** Reads as many whole tokens as the buffer holds; returns where it stopped. */
  private parse(final: boolean): number {
    const text = this.buffer
    let at = 0

    while (at < text.length) {
      const code = text.charCodeAt(at)
      if (code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a) {
        if (code === 0x0a) this.line += 1
        at += 1
        continue
      }

      const next = this.token(text, at, code, final)
      if (next === -1) break
      at = next
    }
    return at
  }

  /** Handles the token at `at`; returns the position after it, or -1 if it is incomplete. */
  private token(text: string, at: number, code: number, final: boolean): number {
    switch (this.expect) {
      case 'value':
      case 'valueOrClose':
        if (code === 0x5d /* ] */ && this.expect === 'valueOrClose') return this.close(at, 'array')
        return this.valueToken(text, at, code, final)
      case 'key':
      case 'keyOrClose':
        if (code === 0x7d /* } */ && this.expect === 'keyOrClose') return this.close(at, 'object')
        if (code !== 0x22) this.fail(`expected a property name, found ${describe(text[at])}`)
        return this.stringToken(text, at, (name) => {
          this.handler.key(name)
          this.expect = 'colon'
        })
      case 'colon':
        if (code !== 0x3a) this.fail(`expected ":", found ${describe(text[at])}`)
        this.expect = 'value'
        return at + 1
      case 'commaOrClose':
        if (code === 0x2c) {
          this.expect = this.containers.at(-1) === 'object' ? 'key' : 'value'
          return at + 1
        }
        if (code === 0x7d) return this.close(at, 'object')
        if (code === 0x5d) return this.close(at, 'array')
        return this.fail(`expected "," or the end of the ${this.containers.at(-1)}, ` +
          `found ${describe(text[at])}`)
      case 'done':
        return this.fail(`unexpected ${describe(text[at])} after the end of the JSON document`)
    }
  }

  private valueToken(text: string, at: number, code: number, final: boolean): number {
    if (code === 0x7b /* { */) {
      this.containers.push('object')
      this.expect = 'keyOrClose'
      this.handler.startObject()
      return at + 1
    }
    if (code === 0x5b /* [ */) {
      this.containers.push('array')
      this.expect = 'valueOrClose'
      this.handler.startArray()
      return at + 1
    }
    if (code === 0x22 /* " */) return this.stringToken(text, at, (value) => this.scalar(value))
    if (code === 0x2d || (code >= 0x30 && code <= 0x39)) return this.numberToken(text, at, final)
    return this.literalToken(text, at, final)
  }

  private stringToken(text: string, at: number, emit: (value: string) => void): number {
    let end = text.indexOf('"', at + 1)
    while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1)
    if (end === -1) return -1

    const raw = text.slice(at, end + 1)
    if (!needsJsonParse.test(raw)) {
      emit(raw.slice(1, -1))
      return end + 1
    }
    let value: string
    try {
      value = JSON.parse(raw) as string
    } catch {
      this.fail('invalid string (a bad escape or a raw control character)')
    }
    emit(value)
    return end + 1
  }

  private numberToken(text: string, at: number, final: boolean): number {
    let end = at
    while (end < text.length && isNumberCharacter(text.charCodeAt(end))) end++
    // The number may go on in the next chunk.
    if (end === text.length && !final) return -1

    const raw = text.slice(at, end)
    number.lastIndex = 0
    const match = number.exec(raw)
    if (!match || match[0].length !== raw.length) {
      this.fail(`invalid number ${describe(raw.slice(0, 24))}`)
    }
    this.scalar(Number(raw))
    return end
  }

  private literalToken(text: string, at: number, final: boolean): number {
    for (const [word, value] of Object.entries(literals)) {
      const piece = text.slice(at, at + word.length)
      if (piece === word) {
        this.scalar(value)
        return at + word.length
      }
      if (!final && at + piece.length === text.length && word.startsWith(piece)) return -1
    }
    return this.fail(`unexpected ${describe(text.slice(at, at + 12))}`)
  }

  private scalar(value: string | number | boolean | null): void {
    this.handler.value(value)
    this.afterValue()
  }

  private close(at: number, kind: 'object' | 'array'): number {
    if (this.containers.pop() !== kind) this.fail(`unexpected end of ${kind}`)
    if (kind === 'object') this.handler.endObject()
    else this.handler.endArray()
    this.afterValue()
    return at + 1
  }

  private afterValue(): void {
    this.expect = this.containers.length > 0 ? 'commaOrClose' : 'done'
  }
}

function isNumberCharacter(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2b ||
    code === 0x2e || code === 0x65 || code === 0x45
}

/** Whether the quote at `at` is escaped by an odd number of backslashes before it. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0
  for (let index = at - 1; index >= 0 && text.charCodeAt(index) === 0x5c; index--) backslashes++
  return backslashes % 2 === 1
}

function describe(text: string | undefined): string {
  return text === undefined ? 'the end' : JSON.stringify(text)
}
