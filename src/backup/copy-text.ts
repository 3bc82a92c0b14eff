import type { BackupColumn, ColumnKind } from './tables'

/**
 * Turns the values of a backup row into one line of PostgreSQL's COPY text format, checking
 * each value's JSON type against its column so a corrupted line is refused with a reason
 * instead of being loaded as something else.
 */
export interface RowEncoder {
  /** The COPY line (with its newline), or undefined when the row is invalid. */
  encode(row: unknown): string | undefined
  /** Why the last `encode` refused its row. */
  problem: string
}

type FieldEncoder = (value: unknown) => string | undefined

const specialCharacters = /[\\\n\r\t]/
const specialCharactersAll = /[\\\n\r\t]/g
const escapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }
const nonFiniteFloats = new Set(['NaN', 'Infinity', '-Infinity'])
const bigintText = /^-?\d{1,19}$/

/** COPY text escaping: backslash, newline, carriage return and tab are the special bytes. */
export function escapeCopyText(value: string): string {
  return specialCharacters.test(value)
    ? value.replace(specialCharactersAll, (character) => escapes[character]!)
    : value
}

const fieldEncoders: Record<ColumnKind, FieldEncoder> = {
  text: (value) => typeof value === 'string' ? escapeCopyText(value) : undefined,
  timestamptz: (value) => typeof value === 'string' ? escapeCopyText(value) : undefined,
  numeric: (value) => typeof value === 'string' ? escapeCopyText(value) : undefined,
  jsonb: (value) => typeof value === 'string' ? escapeCopyText(value) : undefined,
  integer: (value) => Number.isInteger(value) ? String(value) : undefined,
  bigint: (value) => {
    if (typeof value === 'string') return bigintText.test(value) ? value : undefined
    return Number.isSafeInteger(value) ? String(value) : undefined
  },
  float: (value) => {
    // String(-0) is "0": negative zero is a distinct float8 value and must survive.
    if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
    return typeof value === 'string' && nonFiniteFloats.has(value) ? value : undefined
  },
  boolean: (value) => value === true ? 't' : value === false ? 'f' : undefined,
}

const expectedJson: Record<ColumnKind, string> = {
  text: 'a string',
  timestamptz: 'a timestamp string',
  numeric: 'a decimal string',
  jsonb: 'a string of JSON text',
  integer: 'an integer',
  bigint: 'an integer or a string of digits',
  float: 'a number',
  boolean: 'true or false',
}

export function createRowEncoder(columns: readonly BackupColumn[]): RowEncoder {
  const encoders = columns.map((column) => fieldEncoders[column.kind])
  const count = columns.length

  const encoder: RowEncoder = {
    problem: '',
    encode(row) {
      if (!Array.isArray(row) || row.length !== count) {
        encoder.problem = Array.isArray(row)
          ? `a row must have ${count} values, this one has ${row.length}`
          : 'a row must be a JSON array'
        return undefined
      }

      let line = ''
      for (let index = 0; index < count; index++) {
        const value = row[index]
        const field = value === null ? '\\N' : encoders[index]!(value)
        if (field === undefined) {
          const column = columns[index]!
          encoder.problem = `column ${column.name} must be ${expectedJson[column.kind]} or null, ` +
            `got ${JSON.stringify(value)?.slice(0, 80)}`
          return undefined
        }
        line += index === 0 ? field : `\t${field}`
      }
      return `${line}\n`
    },
  }
  return encoder
}
