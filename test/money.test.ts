import { describe, expect, test } from 'bun:test'
import {
  applyRate, centsToDecimal, centsToNumber, decimalToNumber, roundFloatToCents, toCents,
} from '../src/shared/money'

describe('money', () => {
  test('parses decimal strings exactly', () => {
    expect(toCents('19.99')).toBe(1999)
    expect(toCents('0.1')).toBe(10)
    expect(toCents('10')).toBe(1000)
    expect(toCents('-2.05')).toBe(-205)
  })

  test('refuses text that is not an amount', () => {
    expect(() => toCents('1e3')).toThrow(RangeError)
    expect(() => toCents('0x10')).toThrow(RangeError)
    expect(() => toCents('')).toThrow(RangeError)
  })

  test('renders cents as a decimal string and a two-decimal number', () => {
    expect(centsToDecimal(5)).toBe('0.05')
    expect(centsToDecimal(-105)).toBe('-1.05')
    expect(centsToNumber(6597)).toBe(65.97)
    expect(decimalToNumber('10.00')).toBe(10)
    expect(decimalToNumber(null)).toBeNull()
  })

  test('rounds float noise from the older system to the cent', () => {
    expect(roundFloatToCents(0.1 + 0.2)).toBe(30)
    expect(roundFloatToCents(65.967)).toBe(6597)
    expect(roundFloatToCents(5.997)).toBe(600)
    expect(roundFloatToCents(1.005)).toBe(101)
  })

  test('applies a tax rate rounding half up', () => {
    expect(applyRate(5997, '0.10')).toBe(600)
    expect(applyRate(1005, '0.10')).toBe(101)
    expect(applyRate(1000, '0.075')).toBe(75)
    expect(applyRate(0, '0.10')).toBe(0)
  })
})
