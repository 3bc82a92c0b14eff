import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'
import { clientIp } from '../http/client-ip'
import { attemptLimits } from '../http/rate-limit'
import {
  LoginBody, RegisterBody, loginResponses, meResponses, registerResponses,
} from './schemas'
import type { PublicUser } from './service'
import {
  accountKey, findUser, logIn, parseCredentials, parseRegistration, registerUser,
} from './service'

interface TokenSigner {
  sign(claims: { sub: string; role: string }): Promise<string>
}

const session = async (jwt: TokenSigner, user: PublicUser) => ({
  user,
  token: await jwt.sign({ sub: user.id, role: user.role }),
})

/** Registration, login and the signed-in account under /api/users. */
export function usersRoutes(deps: AppDeps, auth: AuthPlugin) {
  const { config, database } = deps
  const db = database.db
  const registerLimits = attemptLimits(config.rateLimit)
  const loginLimits = attemptLimits(config.rateLimit)

  return new Elysia({ name: 'users-routes', prefix: '/api/users' })
    .use(auth)
    .post('/register', async ({ body, jwt, request, server, status }) => {
      registerLimits.address(clientIp(request, server, config.trustProxyHops))
      const registration = parseRegistration(body)
      registerLimits.account(accountKey(registration))

      const user = await registerUser(db, registration)
      return status(201, await session(jwt, user))
    }, {
      body: RegisterBody,
      parse: 'json',
      response: registerResponses,
      detail: {
        tags: ['Users'],
        summary: 'Create a customer or seller account',
        description: 'Answers the account and a bearer token. Rate-limited per client '
          + 'address and per phone/email (429 with Retry-After).',
      },
    })
    .post('/login', async ({ body, jwt, request, server }) => {
      loginLimits.address(clientIp(request, server, config.trustProxyHops))
      const credentials = parseCredentials(body)
      loginLimits.account(accountKey(credentials.identity))

      const user = await logIn(db, credentials)
      return session(jwt, user)
    }, {
      body: LoginBody,
      parse: 'json',
      response: loginResponses,
      detail: {
        tags: ['Users'],
        summary: 'Log in with a phone number or email and a password',
        description: 'Answers the account and a bearer token. The same 401 for an unknown '
          + 'account and a wrong password. Rate-limited like registration.',
      },
    })
    .get('/me', async ({ user }) => ({ user: await findUser(db, user.id) }), {
      auth: true,
      response: meResponses,
      detail: { tags: ['Users'], summary: 'The account of the bearer token' },
    })
}
