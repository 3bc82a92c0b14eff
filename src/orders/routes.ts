import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'

/** Routes of the orders area (being built). */
export function ordersRoutes(_deps: AppDeps, auth: AuthPlugin) {
  return new Elysia({ name: 'orders-routes' }).use(auth)
}
