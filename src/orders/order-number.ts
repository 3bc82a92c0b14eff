// Crockford's base32: no I, L, O or U, so numbers read aloud or typed stay unambiguous.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * A human-friendly order number, `AE-YYYYMMDD-` and ten random base32 characters
 * (50 bits): e.g. `AE-20250101-7KQ2M9XH4D`. The unique index catches the rare collision.
 */
export function newOrderNumber(now = new Date()): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '')
  const bytes = crypto.getRandomValues(new Uint8Array(10))
  const suffix = Array.from(bytes, (byte) => alphabet[byte & 31]).join('')
  return `AE-${date}-${suffix}`
}

export const orderNumberPattern = /^AE-\d{8}-[0-9A-HJKMNP-TV-Z]{10}$/
