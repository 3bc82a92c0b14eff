/**
 * Money is exact: stored as numeric(12,2), computed in integer cents, exchanged as JSON
 * numbers rounded to two decimals.
 */
export type Cents = number

/** Parses a decimal string such as "19.99" (as PostgreSQL returns numeric) into cents. */
export function toCents(value: string | number): Cents {
  const text = typeof value === 'number' ? value.toFixed(2) : value.trim()
  const match = /^(-?)(\d+)(?:\.(\d{1,2})\d*)?$/.exec(text)
  if (!match) throw new RangeError(`Not an amount of money: ${text}`)

  const cents = Number(match[2]) * 100 + Number((match[3] ?? '0').padEnd(2, '0'))
  return match[1] === '-' ? -cents : cents
}

/** Rounds a float from the older system (0.1 + 0.2 noise) to the nearest cent. */
export function roundFloatToCents(value: number): Cents {
  return Math.round(Number((value * 100).toPrecision(12)))
}

/** Cents as the decimal string PostgreSQL stores: 1999 -> "19.99". */
export function centsToDecimal(cents: Cents): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** Cents as the JSON number clients receive: 1999 -> 19.99. */
export function centsToNumber(cents: Cents): number {
  return Number(centsToDecimal(cents))
}

/** A numeric column's string as a JSON number; null stays null. */
export function decimalToNumber(value: string): number
export function decimalToNumber(value: string | null): number | null
export function decimalToNumber(value: string | null): number | null {
  return value === null ? null : centsToNumber(toCents(value))
}

/** Multiplies an amount by a decimal rate such as "0.10", rounding half up to the cent. */
export function applyRate(cents: Cents, rate: string): Cents {
  const [whole = '0', fraction = ''] = rate.split('.')
  const scale = 10 ** fraction.length
  const rateUnits = Number(whole) * scale + Number(fraction || '0')
  return Math.floor((cents * rateUnits * 2 + scale) / (2 * scale))
}
