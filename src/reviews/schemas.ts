import { t } from 'elysia'
import { Pagination } from '../http/pagination'
import { integer, noNul, timestamp } from '../http/types'

/**
 * The public shape of a review. It leaves out `ipAddress`, which only the review's author
 * and admins see (in `ReviewWithIp`); the public list never shows it.
 */
export const ReviewView = t.Object({
  id: t.String({ format: 'uuid' }),
  productId: t.String({ format: 'uuid' }),
  reviewerId: t.String({ description: 'Free text: imported reviewers have no account here' }),
  userId: t.Union([t.String({ format: 'uuid' }), t.Null()], {
    description: 'The account that wrote the review; null for imported reviews',
  }),
  reviewRating: integer({ minimum: 1, maximum: 5 }),
  reviewTitle: t.String(),
  reviewBody: t.String(),
  numberOfHelpful: integer({ minimum: 0 }),
  reviewDate: timestamp('When the review was written; lists are newest first'),
  isAiGenerated: t.Union([t.Boolean(), t.Null()]),
  aiGeneratedScore: t.Union([t.Number(), t.Null()]),
  createdAt: timestamp('ISO 8601, UTC'),
  updatedAt: timestamp('ISO 8601, UTC'),
}, { description: 'A review' })

export type ReviewView = typeof ReviewView.static

/** A review as its author or an admin sees it: with the address it was written from. */
export const ReviewWithIp = t.Object({
  ...ReviewView.properties,
  ipAddress: t.Union([t.String(), t.Null()], {
    description: 'Client address at creation; only the author and admins see it',
  }),
}, { description: 'A review, with the client address' })

export type ReviewWithIp = typeof ReviewWithIp.static

/** Review text: bounded, no NUL bytes (PostgreSQL text cannot hold them). */
const reviewText = (maxLength: number, description: string) =>
  t.String({ minLength: 1, maxLength, pattern: noNul, description })

const reviewFields = {
  rating: integer({ minimum: 1, maximum: 5, description: 'Whole stars, 1 to 5' }),
  title: reviewText(200, 'Headline, 1 to 200 characters'),
  comment: reviewText(5000, 'The review text, 1 to 5000 characters'),
}

/** `{ rating, title, comment }`: the body the older version's clients send. */
export const CreateReviewBody = t.Object(reviewFields, { additionalProperties: false })

export const UpdateReviewBody = t.Object({
  rating: t.Optional(reviewFields.rating),
  title: t.Optional(reviewFields.title),
  comment: t.Optional(reviewFields.comment),
}, { additionalProperties: false, minProperties: 1 })

export type CreateReviewInput = typeof CreateReviewBody.static
export type UpdateReviewInput = typeof UpdateReviewBody.static

export const ReviewCursor = t.String({
  pattern: '^[A-Za-z0-9_-]{1,200}$',
  maxLength: 200,
  description: 'Opaque cursor from a previous answer\'s nextCursor; lists the reviews after it',
})

export const ReviewPage = t.Object({
  data: t.Array(ReviewView),
  pagination: Pagination,
  nextCursor: t.Union([t.String(), t.Null()], {
    description: 'Pass as `cursor` for the next page; null on the last page',
  }),
}, { description: 'A page of reviews, newest first' })

export const DeletedReview = t.Object({
  message: t.String(),
  id: t.String({ format: 'uuid' }),
}, { description: 'The review was deleted' })
