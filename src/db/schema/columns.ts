import { numeric, timestamp } from 'drizzle-orm/pg-core'

/** Every timestamp is timestamptz, read as a Date so JSON renders ISO 8601 with `Z`. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const createdAt = () => timestamptz('created_at').notNull().defaultNow()
export const updatedAt = () => timestamptz('updated_at').notNull().defaultNow()

/** Money is exact: numeric(12,2), read as a decimal string and converted at the edge. */
export const money = (name: string) => numeric(name, { precision: 12, scale: 2 })
