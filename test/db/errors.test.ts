import { describe, expect, test } from 'bun:test'
import { isUniqueViolation, violatedUniqueConstraint } from '../../src/db/errors'

// The shapes each driver raises for SQLSTATE 23505, and drizzle's wrapper around them.
const fromPostgresJs = { code: '23505', constraint_name: 'users_email_unique' }
const fromPglite = { code: '23505', constraint: 'users_email_unique' }
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query'), { cause })

describe('unique violations', () => {
  test('name the constraint on both drivers, wrapped in `cause` or not', () => {
    const raised = [fromPostgresJs, fromPglite, wrapped(fromPglite), wrapped(wrapped(fromPglite))]
    for (const error of raised) {
      expect(violatedUniqueConstraint(error)).toBe('users_email_unique')
      expect(isUniqueViolation(error)).toBe(true)
      expect(isUniqueViolation(error, 'users_email_unique')).toBe(true)
      expect(isUniqueViolation(error, 'users_phone_unique')).toBe(false)
    }
  })

  test('a violation without a constraint name still counts when no name is asked for', () => {
    expect(violatedUniqueConstraint({ code: '23505' })).toBe('')
    expect(isUniqueViolation({ code: '23505' })).toBe(true)
  })

  test('other errors, other codes and non-errors are not violations', () => {
    const others = [new Error('boom'), { code: '23503' }, wrapped({ code: '40001' }), null, 'x']
    for (const error of others) {
      expect(violatedUniqueConstraint(error)).toBeUndefined()
      expect(isUniqueViolation(error)).toBe(false)
    }
  })

  test('a cause cycle ends the search instead of looping', () => {
    const cyclic: { cause?: unknown } = {}
    cyclic.cause = cyclic
    expect(isUniqueViolation(cyclic)).toBe(false)
  })
})
