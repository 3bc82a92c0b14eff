import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'

/** Routes of the returns area (being built). */
export function returnsRoutes(_deps: AppDeps, auth: AuthPlugin) {
  return new Elysia({ name: 'returns-routes' }).use(auth)
}
