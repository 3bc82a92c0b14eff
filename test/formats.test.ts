import { describe, expect, test } from 'bun:test'
import { FormatRegistry } from '@sinclair/typebox'
import { registerFastFormats } from '../src/http/formats'

registerFastFormats()
const check = (format: string, value: string) => FormatRegistry.Get(format)!(value)

describe('string formats', () => {
  test('regression: date-times must be real calendar dates (2025-02-30 was rolled over)', () => {
    expect(check('date-time', '2025-02-28T00:00:00Z')).toBe(true)
    expect(check('date-time', '2024-02-29T12:30:00.123+02:00')).toBe(true)
    expect(check('date-time', '2025-02-30T00:00:00Z')).toBe(false)
    expect(check('date-time', '2025-13-01T00:00:00Z')).toBe(false)
    expect(check('date-time', '2025-04-31T00:00:00Z')).toBe(false)
    expect(check('date-time', '2025-01-01')).toBe(false)
    expect(check('date-time', '2025-01-01T00:00:00')).toBe(false)
  })

  test('uuids, emails and addresses', () => {
    expect(check('uuid', '6513270e-269e-4d37-b2a7-4de452e6b438')).toBe(true)
    expect(check('uuid', '6513270e-269e-4d37-b2a7-4de452e6b43')).toBe(false)
    expect(check('email', 'ana@example.com')).toBe(true)
    expect(check('email', 'ana@example')).toBe(false)
    expect(check('ipv6', '2001:db8::1')).toBe(true)
    expect(check('ipv4', '300.1.1.1')).toBe(false)
  })
})
