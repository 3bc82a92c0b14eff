import { describe, expect, test } from 'bun:test'
import { copyText } from '../../src/catalogue/raw-sql'

describe('COPY text escaping', () => {
  test('leaves ordinary text alone', () => {
    const name = 'Lumina Pro Desk Lamp, 2-Pack "new"'
    expect(copyText(name)).toBe(name)
  })

  test('escapes the characters that would break a COPY row', () => {
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e')
  })

  test('a literal \\N stays text instead of becoming NULL', () => {
    expect(copyText('\\N')).toBe('\\\\N')
  })
})
