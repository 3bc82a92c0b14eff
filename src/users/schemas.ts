import { t } from 'elysia'
import { errorResponsesOf } from '../http/error-body'
import { noNul, oneOf } from '../http/types'
import { userRoles } from '../db/schema'
import { limits, selfServiceRoles } from './identity'

const nulMessage = 'must be a string without NUL bytes'

const text = (max: number, options: { min?: number; description: string; example?: string }) =>
  t.String({
    minLength: options.min ?? 1,
    maxLength: max,
    pattern: noNul,
    description: options.description,
    ...(options.example ? { examples: [options.example] } : {}),
    error: `${nulMessage}, ${options.min ?? 1} to ${max} characters`,
  })

const phone = text(limits.phone.max, {
  description: 'International format with the country code; spaces, dashes, dots and '
    + 'parentheses are allowed. Stored as E.164.',
  example: '+1 415 555 0123',
})
const email = text(limits.email.max, {
  description: 'Stored lower-cased',
  example: 'ada@example.com',
})
const password = text(limits.password.max, {
  min: limits.password.min,
  description: `${limits.password.min} to ${limits.password.max} characters`,
})

export const RegisterBody = t.Object({
  name: text(limits.name.max, { description: 'Display name', example: 'Ada Lovelace' }),
  password,
  phone: t.Optional(phone),
  email: t.Optional(email),
  role: t.Optional(oneOf(selfServiceRoles, {
    description: 'customer (default) or seller; admins are created by `bun run admin:create`',
  })),
}, { additionalProperties: false, description: 'At least one of phone and email' })

export const LoginBody = t.Object({
  phone: t.Optional(phone),
  email: t.Optional(email),
  password: t.String({ minLength: 1, maxLength: limits.password.max, pattern: noNul }),
}, { additionalProperties: false, description: 'Exactly one of phone and email' })

export const User = t.Object({
  id: t.String({ format: 'uuid' }),
  name: t.String(),
  email: t.Nullable(t.String()),
  phone: t.Nullable(t.String({ description: 'E.164' })),
  role: oneOf(userRoles),
  createdAt: t.String({ format: 'date-time' }),
}, { description: 'An account; the password hash is never included' })

export const UserEnvelope = t.Object({ user: User }, { description: 'The signed-in account' })

export const Session = t.Object({
  user: User,
  token: t.String({ description: 'Bearer token for the Authorization header' }),
}, { description: 'The account and a bearer token' })

export const registerResponses = { 201: Session, ...errorResponsesOf(400, 409, 413, 415, 429) }

export const loginResponses = { 200: Session, ...errorResponsesOf(400, 401, 413, 415, 429) }

export const meResponses = { 200: UserEnvelope, ...errorResponsesOf(401) }
