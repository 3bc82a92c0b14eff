import { and, eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { violatedUniqueConstraint } from '../db/errors'
import { users, type UserRole, type UserRow } from '../db/schema'
import { AppError, conflict, invalid } from '../shared/errors'
import type { SelfServiceRole } from './identity'
import {
  checkName, checkPassword, normaliseEmail, normalisePhone, phoneLookupKey,
} from './identity'
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './passwords'

/** An account as the API shows it: never the password hash. */
export interface PublicUser {
  id: string
  name: string
  email: string | null
  phone: string | null
  role: UserRole
  createdAt: string
}

/** Who signs in or registers: a phone number, an email, or both (registration only). */
export interface Identity {
  phone?: string
  email?: string
}

export interface NewAccount extends Identity {
  name: string
  password: string
  role: UserRole
}

export interface Registration extends NewAccount {
  role: SelfServiceRole
}

export interface Credentials {
  identity: { phone: string } | { email: string }
  password: string
}

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
  }
}

/** Validates and normalises a registration body; 400 naming the first bad field. */
export function parseRegistration(body: {
  name: string
  password: string
  phone?: string
  email?: string
  role?: SelfServiceRole
}): Registration {
  if (body.phone === undefined && body.email === undefined) {
    throw invalid('phone', 'give a phone number (or at least an email)')
  }

  return {
    name: checkName(body.name),
    password: checkPassword(body.password),
    ...(body.phone === undefined ? {} : { phone: normalisePhone(body.phone) }),
    ...(body.email === undefined ? {} : { email: normaliseEmail(body.email) }),
    role: body.role ?? 'customer',
  }
}

/** Validates a login body: exactly one of phone and email, and a password. */
export function parseCredentials(body: {
  phone?: string
  email?: string
  password: string
}): Credentials {
  if (body.phone !== undefined && body.email !== undefined) {
    throw invalid('phone', 'send either phone or email, not both')
  }
  if (body.phone === undefined && body.email === undefined) {
    throw invalid('phone', 'send a phone number or an email')
  }

  const identity = body.phone !== undefined
    ? { phone: phoneLookupKey(body.phone) }
    : { email: normaliseEmail(body.email!) }
  return { identity, password: body.password }
}

/** The key the per-account rate limit counts under. */
export function accountKey(identity: Identity): string {
  return identity.phone !== undefined ? `phone:${identity.phone}` : `email:${identity.email}`
}

/**
 * Creates an account. Duplicates are detected by the unique constraints rather than a
 * prior lookup, so two concurrent registrations of one number cannot both succeed.
 */
export async function createUser(db: Database, account: NewAccount): Promise<PublicUser> {
  const passwordHash = await hashPassword(account.password)

  try {
    const [row] = await db.insert(users).values({
      name: account.name,
      phone: account.phone ?? null,
      email: account.email ?? null,
      role: account.role,
      passwordHash,
    }).returning()
    return toPublicUser(row!)
  } catch (error) {
    throw duplicateOr(error)
  }
}

export function registerUser(db: Database, registration: Registration): Promise<PublicUser> {
  return createUser(db, registration)
}

/**
 * Checks credentials. Unknown accounts and wrong passwords get the same answer after a
 * comparable amount of work; a bcrypt hash from the older version is upgraded on success.
 */
export async function logIn(db: Database, credentials: Credentials): Promise<PublicUser> {
  const row = await findByIdentity(db, credentials.identity)
  const matches = row
    ? await verifyPassword(credentials.password, row.passwordHash)
    : await verifyAgainstDummy(credentials.password)
  if (!row || !matches) {
    throw new AppError('UNAUTHENTICATED', 'Wrong phone number, email or password')
  }

  if (needsRehash(row.passwordHash)) await upgradeHash(db, row, credentials.password)
  return toPublicUser(row)
}

/** The account behind a token, or 401 when it is gone. */
export async function findUser(db: Database, id: string): Promise<PublicUser> {
  const [row] = await db.select().from(users).where(eq(users.id, id))
  if (!row) throw new AppError('UNAUTHENTICATED', 'The account of this token no longer exists')
  return toPublicUser(row)
}

export async function findByIdentity(
  db: Database,
  identity: { phone: string } | { email: string },
): Promise<UserRow | undefined> {
  const where = 'phone' in identity
    ? eq(users.phone, identity.phone)
    : eq(users.email, identity.email)
  const [row] = await db.select().from(users).where(where)
  return row
}

async function upgradeHash(db: Database, row: UserRow, password: string): Promise<void> {
  const passwordHash = await hashPassword(password)

  // Only replace the hash that was verified, so a password changed meanwhile is kept.
  await db.update(users)
    .set({ passwordHash, updatedAt: new Date() })
    .where(and(eq(users.id, row.id), eq(users.passwordHash, row.passwordHash)))
}

function duplicateOr(error: unknown): unknown {
  const constraint = violatedUniqueConstraint(error)
  if (constraint === undefined) return error

  const field = constraint.includes('email') ? 'email' : 'phone'
  const what = field === 'email' ? 'email address' : 'phone number'
  return conflict(`An account with this ${what} already exists`, [
    { field, message: 'is already registered' },
  ])
}
