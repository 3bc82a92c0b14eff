import { Elysia } from 'elysia'
import type { AppDeps } from '../app-deps'
import type { AuthPlugin } from '../http/auth'

/** Routes of the products area (being built). */
export function productsRoutes(_deps: AppDeps, auth: AuthPlugin) {
  return new Elysia({ name: 'products-routes' }).use(auth)
}
