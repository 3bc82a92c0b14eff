import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'

/** Routes of the users area (being built). */
export function usersRoutes(_deps: AppDeps, auth: AuthPlugin) {
  return new Elysia({ name: 'users-routes' }).use(auth)
}
