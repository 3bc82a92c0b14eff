import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'

/** Routes of the analysis area (being built). */
export function analysisRoutes(_deps: AppDeps, auth: AuthPlugin) {
  return new Elysia({ name: 'analysis-routes' }).use(auth)
}
