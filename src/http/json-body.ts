import { AppError } from '../shared/errors'

/** Nesting no real request needs; deeper bodies cost the validator time out of proportion. */
export const MAX_JSON_DEPTH = 32

// C0 control characters other than tab, newline and carriage return, and DEL.
const controlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

const rawBodies = new WeakMap<Request, string>()

/** The exact text of a JSON body this parser read, for signatures computed over its bytes. */
export function rawBodyOf(request: Request): string | undefined {
  return rawBodies.get(request)
}

/**
 * The one JSON body parser: enforces the size limit on bodies sent without a length,
 * answers malformed JSON with 400, then refuses what the schemas cannot see or would
 * mishandle (see `checkJsonValue`). Returns undefined for an empty body.
 */
export async function parseJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  const text = await request.text()
  rawBodies.set(request, text)
  if (Buffer.byteLength(text) > limitBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The body may be at most ${limitBytes} bytes`)
  }
  if (text.trim() === '') return undefined

  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new AppError('MALFORMED_REQUEST', 'The request body is not valid JSON')
  }
  checkJsonValue(value)
  return value
}

/**
 * Walks a parsed body (a loop, so depth is no risk) and refuses, naming the field:
 * - nesting deeper than MAX_JSON_DEPTH;
 * - `__proto__` keys, which JSON.parse keeps as plain fields but Elysia's copy of the body
 *   would turn into the object's prototype, so the field would vanish instead of being refused;
 * - strings with lone UTF-16 surrogates (PostgreSQL would store U+FFFD) or control characters.
 */
export function checkJsonValue(body: unknown): void {
  const pending: [unknown, string, number][] = [[body, '', 0]]

  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path, depth] = next
    if (typeof value === 'string') {
      checkString(value, path)
      continue
    }
    if (value === null || typeof value !== 'object') continue
    if (depth >= MAX_JSON_DEPTH) {
      throw refused(path, `is nested deeper than ${MAX_JSON_DEPTH} levels`)
    }

    for (const [key, child] of Object.entries(value)) {
      const at = path === '' ? key : `${path}.${key}`
      if (key === '__proto__') throw refused(at, 'is not an accepted field')
      pending.push([child, at, depth + 1])
    }
  }
}

function checkString(value: string, path: string): void {
  if (!value.isWellFormed()) throw refused(path, 'contains an unpaired UTF-16 surrogate')
  if (controlCharacter.test(value)) throw refused(path, 'contains a control character')
}

function refused(path: string, message: string): AppError {
  const field = path === '' ? 'body' : path
  return new AppError('VALIDATION_FAILED', `Invalid body: ${field} ${message}`, [
    { field, message },
  ])
}
