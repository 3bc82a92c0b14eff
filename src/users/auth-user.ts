import { eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { users } from '../db/schema'
import type { AuthUser } from '../http/auth'

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Loads the account behind a token; undefined when it no longer exists. */
export function authUserLoader(db: Database) {
  return async (id: string): Promise<AuthUser | undefined> => {
    if (!uuidPattern.test(id)) return undefined

    const [user] = await db
      .select({
        id: users.id, role: users.role, name: users.name, email: users.email, phone: users.phone,
      })
      .from(users)
      .where(eq(users.id, id))
    return user
  }
}
