import type { ReviewRow } from '../db/schema'
import type { ReviewView, ReviewWithIp } from './schemas'

type PrivateColumns = 'ipAddress' | 'reviewerImage' | 'imageAuthScore' | 'imageAnalysis'
type ViewColumns = Omit<ReviewRow, PrivateColumns>

/** A stored review as the public sees it; timestamps become ISO 8601 text. */
export function toReviewView(row: ViewColumns): ReviewView {
  return {
    id: row.id,
    productId: row.productId,
    reviewerId: row.reviewerId,
    userId: row.userId,
    reviewRating: row.reviewRating,
    reviewTitle: row.reviewTitle,
    reviewBody: row.reviewBody,
    numberOfHelpful: row.numberOfHelpful,
    reviewDate: row.reviewDate.toISOString(),
    isAiGenerated: row.isAiGenerated,
    aiGeneratedScore: row.aiGeneratedScore,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** A stored review as its author or an admin sees it. */
export function toReviewWithIp(row: ReviewRow): ReviewWithIp {
  return { ...toReviewView(row), ipAddress: row.ipAddress }
}
