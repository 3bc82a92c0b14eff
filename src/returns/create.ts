import { and, eq } from 'drizzle-orm'
import type { AppDeps } from '../app-deps'
import { recordCallEvent } from '../calls/events'
import { CALL_DISPATCH_JOB, callDispatchKey } from '../calls/dispatch'
import { orderItems, orders, returnRequests, users } from '../db/schema'
import { enqueueJob } from '../jobs/queue'
import { AppError, conflict, invalid, notFound } from '../shared/errors'
import type { CreateReturnInput } from './schemas'

/** Why a request without a phone number gets no call; kept in callFailureReason. */
export const NO_PHONE_REASON = 'no phone number'

/**
 * Opens a return request for one product of a delivered order of the caller's, in one
 * transaction with its events and, when the customer has a phone number, the queued call.
 * The call is placed later by a background job; this never waits for the calling service.
 * Returns the new request's id.
 */
export async function createReturnRequest(
  deps: AppDeps,
  userId: string,
  orderId: string,
  input: CreateReturnInput,
): Promise<string> {
  const title = nonBlank('title', input.title)
  const reason = nonBlank('reason', input.reason)

  return deps.database.db.transaction(async (tx) => {
    const [order] = await tx
      .select({
        orderNumber: orders.orderNumber,
        status: orders.status,
        orderPhone: orders.phone,
        accountPhone: users.phone,
      })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .where(and(eq(orders.id, orderId), eq(orders.userId, userId)))
    if (!order) throw notFound('Order')

    if (order.status !== 'DELIVERED') {
      throw new AppError('ILLEGAL_TRANSITION', 'Only a delivered order can be returned', [
        { field: 'status', message: `the order is ${order.status}` },
      ])
    }

    const [line] = await tx
      .select({ id: orderItems.id })
      .from(orderItems)
      .where(and(eq(orderItems.orderId, orderId), eq(orderItems.productId, input.productId)))
      .limit(1)
    if (!line) throw invalid('productId', 'is not part of this order')

    const phone = order.orderPhone ?? order.accountPhone
    const [created] = await tx
      .insert(returnRequests)
      .values({
        orderId,
        userId,
        productId: input.productId,
        title,
        reason,
        description: input.description ?? null,
        isCalled: phone ? 'queued' : 'pending',
        callFailureReason: phone ? null : NO_PHONE_REASON,
      })
      // A concurrent duplicate waits for the first insert to commit, then inserts nothing.
      .onConflictDoNothing({ target: [returnRequests.orderId, returnRequests.productId] })
      .returning({ id: returnRequests.id })
    if (!created) {
      throw conflict('A return request for this product of this order already exists', [
        { field: 'productId', message: 'already has a return request for this order' },
      ])
    }

    const event = { returnRequestId: created.id, orderNumber: order.orderNumber }
    await recordCallEvent(tx, {
      ...event,
      type: 'return.created',
      data: { status: 'PENDING', isCalled: phone ? 'queued' : 'pending' },
    })
    if (phone) {
      await enqueueJob(tx, {
        kind: CALL_DISPATCH_JOB,
        payload: { returnRequestId: created.id },
        dedupeKey: callDispatchKey(created.id),
        maxAttempts: deps.config.queue.maxAttempts,
      })
      await recordCallEvent(tx, { ...event, type: 'call.queued', data: { status: 'queued' } })
    }
    return created.id
  })
}

function nonBlank(field: string, value: string): string {
  const trimmed = value.trim()
  if (trimmed === '') throw invalid(field, 'must not be blank')
  return trimmed
}
