import { sql } from 'drizzle-orm'
import {
  boolean, check, doublePrecision, index, integer, pgTable, text, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, timestamptz, updatedAt } from './columns'
import { products } from './products'
import { users } from './users'

export const reviews = pgTable('reviews', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull().references(() => products.id),
  /** Free text: imported and generated reviewers have no account here. */
  reviewerId: text('reviewer_id').notNull(),
  userId: uuid('user_id').references(() => users.id),
  reviewRating: integer('review_rating').notNull(),
  reviewTitle: text('review_title').notNull().default(''),
  reviewBody: text('review_body').notNull().default(''),
  numberOfHelpful: integer('number_of_helpful').notNull().default(0),
  reviewDate: timestamptz('review_date').notNull().defaultNow(),
  ipAddress: text('ip_address'),
  reviewerImage: text('reviewer_image'),
  imageAuthScore: doublePrecision('image_auth_score'),
  imageAnalysis: text('image_analysis'),
  isAiGenerated: boolean('is_ai_generated'),
  aiGeneratedScore: doublePrecision('ai_generated_score'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (table) => [
  check('reviews_rating_range', sql`${table.reviewRating} between 1 and 5`),
  // Keyset pagination: newest first, id breaks ties, stays fast at any depth.
  index('reviews_product_date_idx').on(table.productId, table.reviewDate.desc(), table.id.desc()),
  uniqueIndex('reviews_one_per_user_product')
    .on(table.productId, table.userId)
    .where(sql`${table.userId} is not null`),
  index('reviews_user_idx').on(table.userId),
])

export type ReviewRow = typeof reviews.$inferSelect
