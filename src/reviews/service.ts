import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Database, Transaction } from '../db/client'
import { isUniqueViolation } from '../db/errors'
import { products, reviews, type ReviewRow } from '../db/schema'
import type { AuthUser } from '../http/auth'
import { conflict, forbidden, invalid, notFound } from '../shared/errors'
import type { CreateReviewInput, UpdateReviewInput } from './schemas'

export interface NewReview {
  productId: string
  author: Pick<AuthUser, 'id'>
  input: CreateReviewInput
  ipAddress: string | null
}

/**
 * Writes a review and adds it to the product's live statistics in one transaction. The
 * unique index `reviews_one_per_user_product` decides races between duplicates: the loser's
 * insert fails and its whole transaction, statistics included, rolls back.
 */
export async function createReview(db: Database, review: NewReview): Promise<ReviewRow> {
  refuseBlank(review.input)
  const { productId, author, input } = review

  try {
    return await db.transaction(async (tx) => {
      await requireOpenProduct(tx, productId)

      const [row] = await tx.insert(reviews).values({
        productId,
        reviewerId: author.id,
        userId: author.id,
        reviewRating: input.rating,
        reviewTitle: input.title,
        reviewBody: input.comment,
        ipAddress: review.ipAddress,
      }).returning()

      await adjustStats(tx, productId, 1, input.rating)
      return row!
    })
  } catch (error) {
    if (isUniqueViolation(error, 'reviews_one_per_user_product')) {
      throw conflict('You have already reviewed this product', [
        { field: 'productId', message: 'already reviewed by this account' },
      ])
    }
    throw error
  }
}

/** Changes a review (author or admin) and moves the product's rating sum by the difference. */
export async function updateReview(
  db: Database,
  reviewId: string,
  actor: Pick<AuthUser, 'id' | 'role'>,
  input: UpdateReviewInput,
): Promise<ReviewRow> {
  refuseBlank(input)

  return db.transaction(async (tx) => {
    const current = await lockReview(tx, reviewId, actor)

    const [row] = await tx.update(reviews).set({
      reviewRating: input.rating,
      reviewTitle: input.title,
      reviewBody: input.comment,
      updatedAt: new Date(),
    }).where(eq(reviews.id, reviewId)).returning()

    // The old rating was read under the row lock, so the difference is exact.
    const delta = row!.reviewRating - current.reviewRating
    if (delta !== 0) await adjustStats(tx, current.productId, 0, delta)
    return row!
  })
}

/** Deletes a review (author or admin) and takes it out of the product's statistics. */
export async function deleteReview(
  db: Database,
  reviewId: string,
  actor: Pick<AuthUser, 'id' | 'role'>,
): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await lockReview(tx, reviewId, actor)

    await tx.delete(reviews).where(eq(reviews.id, reviewId))
    await adjustStats(tx, current.productId, -1, -current.reviewRating)
  })
}

async function requireOpenProduct(tx: Transaction, productId: string): Promise<void> {
  const [product] = await tx
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.id, productId), isNull(products.archivedAt)))
  if (!product) throw notFound('Product')
}

// Locks the review row first and the product row last, in every write, so concurrent
// writers queue up instead of deadlocking.
async function lockReview(
  tx: Transaction,
  reviewId: string,
  actor: Pick<AuthUser, 'id' | 'role'>,
) {
  const [current] = await tx
    .select({
      productId: reviews.productId,
      userId: reviews.userId,
      reviewRating: reviews.reviewRating,
    })
    .from(reviews)
    .where(eq(reviews.id, reviewId))
    .for('update')
  if (!current) throw notFound('Review')

  const isAuthor = current.userId !== null && current.userId === actor.id
  if (!isAuthor && actor.role !== 'admin') {
    throw forbidden('Only the review\'s author or an admin may change it')
  }
  return current
}

// One atomic statement: concurrent reviews never lose each other's increments.
async function adjustStats(tx: Transaction, productId: string, count: number, sum: number) {
  await tx.update(products).set({
    ratingCount: sql`${products.ratingCount} + ${count}::int`,
    ratingSum: sql`${products.ratingSum} + ${sum}::int`,
  }).where(eq(products.id, productId))
}

function refuseBlank(input: { title?: string; comment?: string }): void {
  if (input.title !== undefined && input.title.trim() === '') {
    throw invalid('title', 'must not be blank')
  }
  if (input.comment !== undefined && input.comment.trim() === '') {
    throw invalid('comment', 'must not be blank')
  }
}
