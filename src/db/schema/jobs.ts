import { sql } from 'drizzle-orm'
import {
  bigserial, index, integer, jsonb, pgTable, text, uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, timestamptz, updatedAt } from './columns'

export const jobStatuses = ['queued', 'running', 'done', 'failed'] as const
export type JobStatus = (typeof jobStatuses)[number]

/**
 * The durable background queue. Workers in any API process claim due rows with
 * `FOR UPDATE SKIP LOCKED`; `dedupe_key` makes enqueueing the same work twice a no-op.
 */
export const jobs = pgTable('jobs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  dedupeKey: text('dedupe_key').unique(),
  status: text('status').$type<JobStatus>().notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  maxAttempts: integer('max_attempts').notNull().default(5),
  runAt: timestamptz('run_at').notNull().defaultNow(),
  lockedBy: text('locked_by'),
  lockedUntil: timestamptz('locked_until'),
  lastError: text('last_error'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (table) => [
  index('jobs_due_idx').on(table.runAt).where(sql`${table.status} = 'queued'`),
])

/**
 * Call events in the order they happened. The id is the sequence number clients resume
 * from; NOTIFY carries only the id so payloads stay far below PostgreSQL's limit.
 */
export const callEvents = pgTable('call_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  type: text('type').notNull(),
  returnRequestId: uuid('return_request_id').notNull(),
  orderNumber: text('order_number').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  createdAt: createdAt(),
}, (table) => [
  index('call_events_return_idx').on(table.returnRequestId, table.id),
])

export type JobRow = typeof jobs.$inferSelect
export type CallEventRow = typeof callEvents.$inferSelect
