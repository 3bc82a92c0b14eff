import {
  index, jsonb, pgEnum, pgTable, text, unique, uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, money, timestamptz, updatedAt } from './columns'
import { orders } from './orders'
import { products } from './products'
import { users } from './users'

export const returnStatuses = [
  'PENDING', 'APPROVED', 'REJECTED', 'PROCESSING', 'COMPLETED',
] as const
export type ReturnStatus = (typeof returnStatuses)[number]
export const returnStatus = pgEnum('return_status', returnStatuses)

/** The call's life cycle; the last four are final. */
export const callStatuses = [
  'pending', 'queued', 'initiated', 'ringing', 'in-progress',
  'completed', 'failed', 'busy', 'no-answer',
] as const
export type CallStatus = (typeof callStatuses)[number]

export const analysisStatuses = [
  'none', 'pending', 'completed', 'failed', 'blocked', 'unavailable',
] as const
export type AnalysisStatus = (typeof analysisStatuses)[number]

export interface TranscriptLine {
  type: 'agent' | 'user'
  text: string
  timestamp: string
}

export const returnRequests = pgTable('return_requests', {
  id: uuid('id').primaryKey().defaultRandom(),
  orderId: uuid('order_id').notNull().references(() => orders.id),
  userId: uuid('user_id').notNull().references(() => users.id),
  productId: uuid('product_id').notNull().references(() => products.id),
  title: text('title').notNull(),
  reason: text('reason').notNull(),
  description: text('description'),
  status: returnStatus('status').notNull().default('PENDING'),

  /** Named after the older system's field; holds a CallStatus. */
  isCalled: text('is_called').$type<CallStatus>().notNull().default('pending'),
  callFailureReason: text('call_failure_reason'),
  callSid: text('call_sid').unique(),
  transcript: jsonb('transcript').$type<TranscriptLine[]>(),
  callStartedAt: timestamptz('call_started_at'),
  callEndedAt: timestamptz('call_ended_at'),

  aiSummary: text('ai_summary'),
  aiAnalysis: jsonb('ai_analysis'),
  analysisStatus: text('analysis_status').$type<AnalysisStatus>().notNull().default('none'),
  analysisError: text('analysis_error'),
  analysisRaw: text('analysis_raw'),
  analysisModel: text('analysis_model'),
  analysisPromptVersion: text('analysis_prompt_version'),
  analyzedAt: timestamptz('analyzed_at'),

  adminResponse: text('admin_response'),
  refundAmount: money('refund_amount'),
  processedAt: timestamptz('processed_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (table) => [
  unique('return_requests_order_product_key').on(table.orderId, table.productId),
  index('return_requests_user_idx').on(table.userId, table.createdAt),
  index('return_requests_status_idx').on(table.status, table.createdAt),
])

export type ReturnRequestRow = typeof returnRequests.$inferSelect
