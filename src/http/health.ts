import { sql } from 'drizzle-orm'
import { Elysia, t } from 'elysia'
import type { Database } from '../db/client'
import { AppError } from '../shared/errors'
import { ErrorResponse } from './error-body'

const Health = t.Object({ status: t.Literal('ok'), database: t.Literal('up') })

/** `GET /health`: 200 when the database answers, 503 when it does not. */
export function healthRoutes(db: Database) {
  return new Elysia().get('/health', async () => {
    try {
      await db.execute(sql`select 1`)
    } catch {
      throw new AppError('UNAVAILABLE', 'The database is not reachable')
    }
    return { status: 'ok' as const, database: 'up' as const }
  }, {
    response: { 200: Health, 503: ErrorResponse },
    detail: { tags: ['System'], summary: 'Liveness and database reachability' },
  })
}
