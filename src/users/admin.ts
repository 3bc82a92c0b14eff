import { eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { users } from '../db/schema'
import { checkName, checkPassword, normaliseEmail, normalisePhone } from './identity'
import type { PublicUser } from './service'
import { createUser, findByIdentity, toPublicUser } from './service'

export interface AdminAccount {
  phone: string
  name: string
  password: string
  email?: string
}

export type AdminOutcome =
  | { kind: 'created'; user: PublicUser }
  | { kind: 'promoted'; user: PublicUser }
  | { kind: 'already-admin'; user: PublicUser }
  | { kind: 'declined'; user: PublicUser }

/** Validates the command's input like registration does; 400-style AppError naming the field. */
export function parseAdminAccount(raw: {
  phone: string
  name: string
  password: string
  email?: string
}): AdminAccount {
  return {
    phone: normalisePhone(raw.phone),
    name: checkName(raw.name),
    password: checkPassword(raw.password),
    ...(raw.email === undefined ? {} : { email: normaliseEmail(raw.email) }),
  }
}

/**
 * Creates an admin account, or, when the phone number already has an account, makes that
 * account admin if `mayPromote` agrees. A promoted account keeps its name and password.
 */
export async function ensureAdmin(
  db: Database,
  account: AdminAccount,
  mayPromote: (existing: PublicUser) => Promise<boolean>,
): Promise<AdminOutcome> {
  const existing = await findByIdentity(db, { phone: account.phone })
  if (!existing) {
    return { kind: 'created', user: await createUser(db, { ...account, role: 'admin' }) }
  }

  const user = toPublicUser(existing)
  if (user.role === 'admin') return { kind: 'already-admin', user }
  if (!(await mayPromote(user))) return { kind: 'declined', user }

  const [row] = await db.update(users)
    .set({ role: 'admin', updatedAt: new Date() })
    .where(eq(users.id, user.id))
    .returning()
  return { kind: 'promoted', user: toPublicUser(row!) }
}
