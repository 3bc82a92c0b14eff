import { jwt } from '@elysiajs/jwt'
import { Elysia } from 'elysia'
import type { Config } from '../config'
import type { UserRole } from '../db/schema'
import { AppError } from '../shared/errors'

/** The caller as routes see it once the bearer token checked out. */
export interface AuthUser {
  id: string
  role: UserRole
  name: string
  email: string | null
  phone: string | null
}

/** `true`: any signed-in account; a role: that role (an admin passes every check). */
export type AuthRequirement = true | 'seller' | 'admin'

export type LoadUser = (id: string) => Promise<AuthUser | undefined>

interface TokenVerifier {
  verify(token?: string): Promise<false | Record<string, unknown>>
}

const unauthenticated = (message: string) => new AppError('UNAUTHENTICATED', message)

/** Checks a bearer token and loads its account, so a deleted or demoted account loses access. */
export async function authenticate(
  header: string | undefined | null,
  verifier: TokenVerifier,
  loadUser: LoadUser,
): Promise<AuthUser> {
  const match = /^Bearer ([A-Za-z0-9._-]{10,4096})$/.exec(header ?? '')
  if (!match) throw unauthenticated('Send a bearer token in the Authorization header')

  // Our tokens always expire; one without `exp` was not issued by this service's login.
  const claims = await verifier.verify(match[1])
  const subject = claims && typeof claims.exp === 'number' ? claims.sub : undefined
  if (typeof subject !== 'string') throw unauthenticated('The token is invalid or has expired')

  const user = await loadUser(subject)
  if (!user) throw unauthenticated('The account of this token no longer exists')
  return user
}

export function authorize(user: AuthUser, need: AuthRequirement): void {
  if (need === true || user.role === 'admin') return
  if (need === 'seller' && user.role === 'seller') return
  throw new AppError('FORBIDDEN', `This needs the ${need} role`)
}

/**
 * Adds `jwt` to the context and the `auth` route option: `{ auth: true }`,
 * `{ auth: 'seller' }` or `{ auth: 'admin' }` resolves `user` or answers 401/403.
 */
export function authPlugin(config: Config, loadUser: LoadUser) {
  return new Elysia({ name: 'auth', seed: config.jwtSecret })
    .use(jwt({ name: 'jwt', secret: config.jwtSecret, exp: `${config.jwtExpiresInSeconds}s` }))
    .macro({
      auth: (need: AuthRequirement) => ({
        detail: { security: [{ bearerAuth: [] }] },
        async resolve({ headers, jwt }) {
          const user = await authenticate(headers.authorization, jwt, loadUser)
          authorize(user, need)
          return { user }
        },
      }),
    })
}

export type AuthPlugin = ReturnType<typeof authPlugin>
