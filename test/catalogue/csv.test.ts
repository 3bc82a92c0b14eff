import { describe, expect, test } from 'bun:test'
import { readCsv, readCsvText } from '../../src/catalogue/csv'

async function readChunks(chunks: string[]) {
  const records = []
  for await (const record of readCsv((async function* () { yield* chunks })())) {
    records.push(record)
  }
  return records
}

describe('CSV reader', () => {
  test('reads plain records and numbers lines from the header', () => {
    const records = readCsvText('a,b\n1,2\n3,4\n')
    expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']])
    expect(records.map((r) => r.line)).toEqual([1, 2, 3])
  })

  test('reads quoted fields with separators, doubled quotes and line breaks', () => {
    const [record, next] = readCsvText('"x, y","say ""hi""","two\nlines",""\nz,1,2,3\n')
    expect(record!.fields).toEqual(['x, y', 'say "hi"', 'two\nlines', ''])
    expect(record!.error).toBeUndefined()
    expect(next!.line).toBe(3)
  })

  test('CRLF endings, a byte order mark, blank lines and no final newline', () => {
    const records = readCsvText('\uFEFFa,b\r\n\r\n1,2\r\n3,4')
    expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']])
    expect(records.map((r) => r.line)).toEqual([1, 3, 4])
  })

  test('keeps empty fields', () => {
    expect(readCsvText(',a,,\n')[0]!.fields).toEqual(['', 'a', '', ''])
  })

  test('a stray quote marks only its own record as malformed', () => {
    const records = readCsvText('1,ab"c,3\n"x"y,2,3\n4,5,6\n')
    expect(records[0]!.error).toContain('quote inside an unquoted field')
    expect(records[1]!.error).toContain('after a closing quote')
    expect(records[2]).toEqual({ line: 3, fields: ['4', '5', '6'] })
  })

  test('an unclosed quote at the end of the input is reported', () => {
    const records = readCsvText('1,2\n"open,3\n')
    expect(records.at(-1)!.error).toContain('never closed')
    expect(records.at(-1)!.line).toBe(2)
  })

  test('gives the same records however the input is split into chunks', async () => {
    const text = 'h1,h2\r\n"a ""q""\r\nb",2\r\n"",x\r\nlast,"1,2"'
    const whole = readCsvText(text)
    for (let cut = 1; cut < text.length; cut++) {
      expect(await readChunks([text.slice(0, cut), text.slice(cut)])).toEqual(whole)
    }
    expect(await readChunks(text.split(''))).toEqual(whole)
  })
})
