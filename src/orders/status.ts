import type { OrderStatus } from '../db/schema'
import { AppError } from '../shared/errors'

/**
 * The order lifecycle: PENDING -> CONFIRMED -> PROCESSING -> SHIPPED -> DELIVERED, and
 * CANCELLED from any status before SHIPPED. DELIVERED and CANCELLED are final.
 */
export const orderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['PROCESSING', 'CANCELLED'],
  PROCESSING: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
}

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return orderTransitions[from].includes(to)
}

/** Throws 409 ILLEGAL_TRANSITION naming both ends; moving to the same status is illegal too. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (canMove(from, to)) return

  const allowed = orderTransitions[from]
  const hint = allowed.length > 0 ? `; allowed: ${allowed.join(', ')}` : '; it is final'
  throw new AppError('ILLEGAL_TRANSITION', `An order cannot move from ${from} to ${to}${hint}`, [
    { field: 'status', message: `cannot move from ${from} to ${to}`, from, to, allowed },
  ])
}
