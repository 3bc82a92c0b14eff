import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'

/** The ops console page (being built). */
export function consoleRoutes(_deps: AppDeps) {
  return new Elysia({ name: 'console-routes' })
}
