import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'

/** Routes of the reviews area (being built). */
export function reviewsRoutes(_deps: AppDeps, auth: AuthPlugin) {
  return new Elysia({ name: 'reviews-routes' }).use(auth)
}
