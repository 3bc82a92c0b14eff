import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'

/** Routes of the calls area (being built). */
export function callsRoutes(_deps: AppDeps, auth: AuthPlugin) {
  return new Elysia({ name: 'calls-routes' }).use(auth)
}
