import { pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { createdAt, updatedAt } from './columns'

export const userRoles = ['customer', 'seller', 'admin'] as const
export type UserRole = (typeof userRoles)[number]

export const userRole = pgEnum('user_role', userRoles)

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Stored lower-cased; unique when present. */
  email: text('email').unique(),
  /** E.164; unique when present. Accounts imported from the older system may lack one. */
  phone: text('phone').unique(),
  passwordHash: text('password_hash').notNull(),
  name: text('name').notNull(),
  role: userRole('role').notNull().default('customer'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

export type UserRow = typeof users.$inferSelect
