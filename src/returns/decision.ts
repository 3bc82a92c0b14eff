import { and, eq, sql } from 'drizzle-orm'
import type { AppDeps } from '../app-deps'
import { orderItems, returnRequests, type ReturnStatus } from '../db/schema'
import { AppError, invalid, notFound } from '../shared/errors'
import { centsToDecimal, toCents } from '../shared/money'
import type { DecisionInput } from './schemas'

/**
 * The return request's life cycle. A request starts PENDING; REJECTED and COMPLETED are
 * final. Anything not listed (including staying put) is an illegal transition (409).
 */
export const returnTransitions: Record<ReturnStatus, readonly ReturnStatus[]> = {
  PENDING: ['APPROVED', 'REJECTED'],
  APPROVED: ['PROCESSING', 'COMPLETED'],
  PROCESSING: ['COMPLETED'],
  REJECTED: [],
  COMPLETED: [],
}

/** Decisions that close the request and stamp processedAt. */
const closing: readonly ReturnStatus[] = ['REJECTED', 'COMPLETED']

/**
 * Applies an admin's decision: moves the status along the state machine, stores the
 * response and a refund of at most what was paid for the product's line.
 */
export async function decideReturnRequest(
  deps: AppDeps,
  id: string,
  input: DecisionInput,
): Promise<void> {
  const refund = input.refundAmount === undefined ? undefined : refundCents(input.refundAmount)
  if (refund !== undefined && input.status === 'REJECTED') {
    throw invalid('refundAmount', 'cannot be given when rejecting')
  }

  await deps.database.db.transaction(async (tx) => {
    const [current] = await tx
      .select({
        status: returnRequests.status,
        orderId: returnRequests.orderId,
        productId: returnRequests.productId,
      })
      .from(returnRequests)
      .where(eq(returnRequests.id, id))
      .for('update')
    if (!current) throw notFound('Return request')

    if (!returnTransitions[current.status].includes(input.status)) {
      throw new AppError(
        'ILLEGAL_TRANSITION',
        `A ${current.status} return request cannot become ${input.status}`,
        [{ field: 'status', message: `allowed next: ${allowedFrom(current.status)}` }],
      )
    }

    if (refund !== undefined) {
      const [paid] = await tx
        .select({ total: sql<string>`coalesce(sum(${orderItems.total}), 0)::text` })
        .from(orderItems)
        .where(and(
          eq(orderItems.orderId, current.orderId),
          eq(orderItems.productId, current.productId),
        ))
      const paidCents = toCents(paid?.total ?? '0')
      if (refund > paidCents) {
        const paidText = centsToDecimal(paidCents)
        throw invalid('refundAmount', `must not exceed ${paidText}, what was paid for the line`)
      }
    }

    await tx
      .update(returnRequests)
      .set({
        status: input.status,
        ...(input.adminResponse !== undefined ? { adminResponse: input.adminResponse } : {}),
        ...(refund !== undefined ? { refundAmount: centsToDecimal(refund) } : {}),
        ...(closing.includes(input.status) ? { processedAt: sql`now()` } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(returnRequests.id, id))
  })
}

function allowedFrom(status: ReturnStatus): string {
  const next = returnTransitions[status]
  return next.length === 0 ? 'nothing (final)' : next.join(', ')
}

/** A JSON number with at most two decimals, in cents; 1.234 or 1e-7 is refused. */
function refundCents(amount: number): number {
  // Shortest round-trip text of the double: exactly what the client wrote for sane amounts.
  if (!/^\d+(\.\d{1,2})?$/.test(String(amount))) {
    throw invalid('refundAmount', 'must have at most two decimals')
  }
  const cents = toCents(amount)
  if (cents <= 0) throw invalid('refundAmount', 'must be more than 0')
  return cents
}
