import { describe, expect, test } from 'bun:test'
import { JsonEventParser, type JsonHandler } from '../../src/backup/legacy/json-events'
import { AppError } from '../../src/shared/errors'

/** Rebuilds the document from the parser's events, to compare with JSON.parse. */
class Rebuild implements JsonHandler {
  private readonly stack: { value: unknown[] | Record<string, unknown>; key?: string }[] = []
  result: unknown

  startObject() {
    this.open({})
  }
  startArray() {
    this.open([])
  }
  endObject() {
    this.close()
  }
  endArray() {
    this.close()
  }
  key(name: string) {
    this.stack.at(-1)!.key = name
  }
  value(value: unknown) {
    this.attach(value)
  }

  private open(container: unknown[] | Record<string, unknown>) {
    this.attach(container)
    this.stack.push({ value: container })
  }
  private close() {
    this.stack.pop()
  }
  private attach(value: unknown) {
    const top = this.stack.at(-1)
    if (!top) this.result = value
    else if (Array.isArray(top.value)) top.value.push(value)
    else top.value[top.key!] = value
  }
}

function parseInChunks(text: string, size: number): { value: unknown; lines: number } {
  const rebuild = new Rebuild()
  const parser = new JsonEventParser(rebuild, { file: 'doc.json', maxTokenChars: 1 << 20 })
  for (let at = 0; at < text.length; at += size) parser.write(text.slice(at, at + size))
  parser.end()
  return { value: rebuild.result, lines: parser.line }
}

function failure(text: string, size = 3): AppError {
  try {
    parseInChunks(text, size)
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return error as AppError
  }
  throw new Error('no error')
}

const document = JSON.stringify({
  metadata: { version: '1.0', totalRecords: { users: 2 } },
  data: {
    users: [
      { id: 'a', name: 'Zoë "the" \\ back\\slash', bio: 'line\nbreak\ttab\r\u0001', n: -0.5e10 },
      {
        id: 'b', emoji: '😀 \ud83d\ude00 中文', big: 1e21, small: 5e-324,
        flags: [true, false, null],
      },
    ],
    empty: [], nothing: {}, nested: [[[]], [{}], [1, [2, [3]]]],
  },
}, null, 2)

describe('the streaming JSON parser', () => {
  test('gives the same document as JSON.parse whatever the chunk boundaries', () => {
    const expected = JSON.parse(document)
    for (const size of [1, 2, 3, 5, 7, 64, document.length]) {
      expect(parseInChunks(document, size).value).toEqual(expected)
    }
  })

  test('splits inside escapes, surrogate pairs, numbers and literals are read whole', () => {
    const text = '["\\u00e9\\"\\\\", "\\ud83d\\ude00", 12345.678e-3, true, false, null, -0]'
    for (let size = 1; size <= text.length; size++) {
      expect(parseInChunks(text, size).value).toEqual(JSON.parse(text))
    }
  })

  test('counts lines for error messages', () => {
    expect(parseInChunks(document, 11).lines).toBe(document.split('\n').length)
    const error = failure('{\n  "a": 1,\n  "b": tru\n}')
    expect(error.message).toContain('doc.json:3')
  })

  test('refuses what JSON.parse refuses', () => {
    expect(failure('{"a": 1} x').message).toContain('after the end of the JSON document')
    expect(failure('{"a": 1').message).toContain('cut off')
    expect(failure('["abc').message).toContain('cut off')
    expect(failure('[01]').message).toContain('invalid number')
    expect(failure('[1.]').message).toContain('invalid number')
    expect(failure('["a\u0001b"]').message).toContain('invalid string')
    expect(failure('["\\x"]').message).toContain('invalid string')
    expect(failure('{"a" 1}').message).toContain('expected ":"')
    expect(failure('{a: 1}').message).toContain('expected a property name')
    expect(failure('[1 2]').message).toContain('expected ","')
    expect(failure('[1}').message).toContain('unexpected end of object')
    expect(failure('nul').message).toContain('unexpected')
  })

  test('a value longer than the limit is refused instead of being buffered', () => {
    const parser = new JsonEventParser(new Rebuild(), { file: 'big.json', maxTokenChars: 1000 })
    parser.write('["')
    expect(() => parser.write('x'.repeat(2000))).toThrow('longer than 1000 characters')
  })
})
