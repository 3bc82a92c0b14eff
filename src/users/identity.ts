import { parsePhoneNumberFromString } from 'libphonenumber-js/min'
import type { UserRole } from '../db/schema'
import { invalid } from '../shared/errors'

/** Limits shared by the request schemas, the service and the admin:create command. */
export const limits = {
  name: { min: 1, max: 100 },
  password: { min: 8, max: 128 },
  email: { max: 254 },
  phone: { max: 32 },
} as const

/** The roles an account may choose for itself; admins come only from `admin:create`. */
export const selfServiceRoles = ['customer', 'seller'] as const satisfies readonly UserRole[]
export type SelfServiceRole = (typeof selfServiceRoles)[number]

// International format only: a leading +, then digits with the separators people type.
// libphonenumber alone would also accept letters, extensions and fullwidth digits.
const phoneShape = /^\+[0-9][0-9 ().-]*$/
const emailShape = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/
const controlCharacters = /[\u0000-\u001f\u007f]/

/**
 * E.164 (`+14155550123`) from `+1 (415) 555-0123` and the like, for numbers being stored:
 * 400 naming `field` unless libphonenumber deems the number valid.
 */
export function normalisePhone(raw: string, field = 'phone'): string {
  const parsed = parsePhoneNumberFromString(internationalShape(raw, field))
  if (!parsed?.isValid()) throw invalid(field, 'is not a valid phone number')
  return parsed.number
}

/**
 * The stored form of a number typed to log in: E.164 where libphonenumber can parse it,
 * otherwise `+` and the digits. No validity check: accounts from the older system hold
 * numbers libphonenumber calls invalid (such as +1 555-01xx), and they must still log in.
 */
export function phoneLookupKey(raw: string, field = 'phone'): string {
  const trimmed = internationalShape(raw, field)
  return parsePhoneNumberFromString(trimmed)?.number ?? `+${trimmed.replace(/\D/g, '')}`
}

function internationalShape(raw: string, field: string): string {
  const trimmed = raw.trim()
  if (trimmed.length > limits.phone.max || !phoneShape.test(trimmed)) {
    throw invalid(field, 'must be in international format, e.g. +14155550123')
  }
  return trimmed
}

/** Lower-cased and checked; 400 naming `field` when it is not an address. */
export function normaliseEmail(raw: string, field = 'email'): string {
  const email = raw.trim().toLowerCase()
  if (email.length > limits.email.max || !emailShape.test(email)) {
    throw invalid(field, 'is not a valid email address')
  }
  return email
}

/** Trimmed display name without control characters. */
export function checkName(raw: string, field = 'name'): string {
  const name = raw.trim()
  if (name.length < limits.name.min || name.length > limits.name.max) {
    throw invalid(field, `must be ${limits.name.min} to ${limits.name.max} characters`)
  }
  if (controlCharacters.test(name)) throw invalid(field, 'may not contain control characters')
  return name
}

/** Passwords are taken as typed (no trimming); only length and NUL bytes are refused. */
export function checkPassword(password: string, field = 'password'): string {
  if (password.length < limits.password.min || password.length > limits.password.max) {
    throw invalid(field, `must be ${limits.password.min} to ${limits.password.max} characters`)
  }
  if (password.includes('\u0000')) throw invalid(field, 'may not contain NUL bytes')
  return password
}
