import { sql } from 'drizzle-orm'
import {
  boolean, check, doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, money, timestamptz, updatedAt } from './columns'
import { users } from './users'

export const products = pgTable('products', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  price: money('price').notNull(),
  stock: integer('stock').notNull().default(0),
  images: jsonb('images').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  category: text('category').notNull(),
  sellerId: uuid('seller_id').notNull().references(() => users.id),

  // Fields of the review-fraud research dataset (see ../shared/data/README.md).
  originalProductId: integer('original_product_id').unique(),
  fakeProbability: doublePrecision('fake_probability'),
  trustScore: doublePrecision('trust_score'),
  reviewCount: integer('review_count'),
  averageRating: doublePrecision('average_rating'),
  clusterId: integer('cluster_id'),
  pageRank: doublePrecision('page_rank'),
  eigenvectorCentrality: doublePrecision('eigenvector_centrality'),
  clusteringCoefficient: doublePrecision('clustering_coefficient'),
  weightedDegree: doublePrecision('weighted_degree'),
  isFake: boolean('is_fake'),

  // Live statistics of the reviews stored here, kept exact by atomic increments.
  ratingCount: integer('rating_count').notNull().default(0),
  ratingSum: integer('rating_sum').notNull().default(0),

  archivedAt: timestamptz('archived_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (table) => [
  check('products_stock_not_negative', sql`${table.stock} >= 0`),
  check('products_price_not_negative', sql`${table.price} >= 0`),
  index('products_seller_idx').on(table.sellerId, table.createdAt),
  index('products_category_idx').on(table.category, table.createdAt),
  // Listing the live catalogue newest first (scanned backwards) and counting it.
  index('products_active_created_idx')
    .on(table.createdAt, table.id)
    .where(sql`${table.archivedAt} is null`),
  index('products_name_trgm_idx').using('gin', sql`${table.name} gin_trgm_ops`),
  index('products_description_trgm_idx').using('gin', sql`${table.description} gin_trgm_ops`),
])

export const productEditTypes = ['CREATE', 'UPDATE', 'DELETE', 'RESTORE'] as const
export const productEditType = pgEnum('product_edit_type', productEditTypes)

export const productEditHistory = pgTable('product_edit_history', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull().references(() => products.id),
  editedBy: uuid('edited_by').references(() => users.id),
  fieldChanged: text('field_changed').notNull(),
  oldValue: text('old_value'),
  newValue: text('new_value'),
  editReason: text('edit_reason'),
  editType: productEditType('edit_type').notNull(),
  createdAt: createdAt(),
}, (table) => [
  index('product_edit_history_product_idx').on(table.productId, table.createdAt),
])

/** Cached Gemini insights over a sample of a product's reviews. */
export const productReviewInsights = pgTable('product_review_insights', {
  productId: uuid('product_id').primaryKey().references(() => products.id),
  insights: jsonb('insights').notNull(),
  model: text('model').notNull(),
  promptVersion: text('prompt_version').notNull(),
  sampleSize: integer('sample_size').notNull(),
  createdAt: createdAt(),
})

export type ProductRow = typeof products.$inferSelect
