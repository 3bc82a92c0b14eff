import { t } from 'elysia'
import { callStatuses, returnStatuses } from '../db/schema'
import { pageOf, pageQuery } from '../http/pagination'
import { integer, noNul, nullable, oneOf, timestamp, uuid } from '../http/types'

/** The largest refund accepted, so it always fits numeric(12,2). */
export const MAX_REFUND = 9_999_999_999.99

const text = (minLength: number, maxLength: number, description: string) =>
  t.String({ minLength, maxLength, pattern: noNul, description })

export const OrderIdParams = t.Object({ id: uuid('Order id') })
export const ReturnIdParams = t.Object({ id: uuid('Return request id') })

/** `{ productId, title, reason, description? }`: the older version's body. */
export const CreateReturnBody = t.Object({
  productId: uuid('A product of the order'),
  title: text(1, 200, 'Short headline, 1 to 200 characters'),
  reason: text(1, 500, 'Why the product goes back, 1 to 500 characters'),
  description: t.Optional(text(0, 5000, 'Details, up to 5000 characters')),
}, { additionalProperties: false })

export type CreateReturnInput = typeof CreateReturnBody.static

/** The decisions an admin can take; PENDING is only ever the starting point. */
export const decisionStatuses = ['APPROVED', 'REJECTED', 'PROCESSING', 'COMPLETED'] as const

export const DecisionBody = t.Object({
  status: oneOf(decisionStatuses, {
    description: 'The new status; see the state machine in docs/returns-and-calls.md',
  }),
  adminResponse: t.Optional(text(0, 2000, 'Message to the customer, up to 2000 characters')),
  refundAmount: t.Optional(t.Number({
    exclusiveMinimum: 0,
    maximum: MAX_REFUND,
    description: 'A JSON number with at most two decimals, no more than was paid for the line',
  })),
}, { additionalProperties: false })

export type DecisionInput = typeof DecisionBody.static

export const TranscriptLineView = t.Object({
  type: oneOf(['agent', 'user']),
  text: t.String(),
  timestamp: t.String(),
})

/** What every view of a return request shows; the detail adds transcript and analysis. */
const commonFields = {
  id: t.String({ format: 'uuid' }),
  orderId: t.String({ format: 'uuid' }),
  orderNumber: t.String(),
  userId: t.String({ format: 'uuid' }),
  productId: t.String({ format: 'uuid' }),
  productName: t.String(),
  title: t.String(),
  reason: t.String(),
  description: nullable(t.String()),
  status: oneOf(returnStatuses),
  isCalled: oneOf(callStatuses, {
    description: 'Call status (named after the older system\'s field)',
  }),
  callFailureReason: nullable(t.String()),
  callSid: nullable(t.String({ description: 'Only the request\'s owner and admins see it' })),
  callStartedAt: nullable(timestamp('When the calling service accepted the call')),
  callEndedAt: nullable(timestamp('When the call finished')),
  analysisStatus: t.String({
    description: 'none, pending, completed, failed, blocked, unavailable',
  }),
  aiSummary: nullable(t.String()),
  adminResponse: nullable(t.String()),
  refundAmount: nullable(t.Number()),
  processedAt: nullable(timestamp('When the request was completed or rejected')),
  createdAt: timestamp('ISO 8601, UTC'),
  updatedAt: timestamp('ISO 8601, UTC'),
}

/** A return request as its owner or an admin sees it, with the call's transcript. */
export const ReturnRequestView = t.Object({
  ...commonFields,
  transcript: t.Array(TranscriptLineView, {
    description: 'The call so far; only the request\'s owner and admins see it',
  }),
  aiAnalysis: nullable(t.Record(t.String(), t.Unknown())),
  analyzedAt: nullable(timestamp('When the analysis was stored')),
}, { description: 'A return request' })

export type ReturnRequestView = typeof ReturnRequestView.static

/** Lists leave the transcript out (it can be long) and say how many lines it has. */
export const ReturnRequestListItem = t.Object({
  ...commonFields,
  transcriptLines: integer({ minimum: 0 }),
}, { description: 'A return request in a list' })

export type ReturnRequestListItem = typeof ReturnRequestListItem.static

export const ReturnPage = pageOf(ReturnRequestListItem)

export const MyReturnsQuery = t.Object(pageQuery, { additionalProperties: false })

export const AdminReturnsQuery = t.Object({
  ...pageQuery,
  status: t.Optional(oneOf(returnStatuses)),
  isCalled: t.Optional(oneOf(callStatuses, { description: 'Call status' })),
  from: t.Optional(timestamp('Created at or after (ISO 8601)')),
  to: t.Optional(timestamp('Created before (ISO 8601)')),
}, { additionalProperties: false })

export type AdminReturnsFilter = typeof AdminReturnsQuery.static
