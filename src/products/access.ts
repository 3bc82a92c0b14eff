import type { UserRole } from '../db/schema'
import { forbidden, notFound } from '../shared/errors'

/** Who is acting, as the services need it. */
export interface Actor {
  id: string
  role: UserRole
}

interface Owned {
  sellerId: string
  archivedAt: Date | null
}

/** The owning seller and admins manage a product (edit, archive, read its history). */
export function canManage(actor: Actor | undefined, product: Owned): boolean {
  return actor !== undefined && (actor.role === 'admin' || actor.id === product.sellerId)
}

/**
 * Refuses everyone but the product's seller and admins. An archived product is invisible to
 * the public, so others learn nothing about it: 404 rather than 403.
 */
export function assertManager(actor: Actor, product: Owned): void {
  if (canManage(actor, product)) return
  if (product.archivedAt !== null) throw notFound('Product')
  throw forbidden('Only the product\'s seller or an admin may do this')
}
