import { Elysia } from 'elysia'
import type { AppDeps } from '../../app-deps'
import type { AuthPlugin } from '../../http/auth'

/** The live admin feed of call events (being built). */
export function callFeedRoutes(_deps: AppDeps, auth: AuthPlugin) {
  return new Elysia({ name: 'call-feed-routes' }).use(auth)
}
