import { t } from 'elysia'
import { integer, oneOf, timestamp, uuid } from '../http/types'

const prose = (maxLength: number, description: string) => t.String({ maxLength, description })

const list = (description: string) =>
  t.Array(t.String({ maxLength: 500 }), { maxItems: 20, description })

const sentiment = t.Object({
  label: oneOf(['positive', 'neutral', 'negative', 'mixed'], { description: 'Overall tone' }),
  score: t.Number({
    minimum: -1, maximum: 1, description: 'From -1 (very negative) to 1 (very positive)',
  }),
})

export const recommendedOutcomes = ['refund', 'replace', 'reject', 'needs_review'] as const

/**
 * What Gemini returns about a finished return call. The same definition is sent to Gemini as
 * its response schema and validates what comes back.
 */
export const CallAnalysis = t.Object({
  summary: prose(2000, 'Two to four sentences on what happened in the call'),
  customerIssue: prose(1000, 'The problem with the product, in the customer\'s terms'),
  sentiment,
  resolutionOffered: prose(1000, 'What the agent offered or promised; "none" if nothing'),
  nextSteps: list('Concrete follow-ups for the support team'),
  callQuality: t.Object({
    score: t.Number({ minimum: 0, maximum: 10, description: 'From 0 (poor) to 10 (excellent)' }),
    notes: prose(1000, 'How well the agent handled the call'),
  }),
  keyInsights: list('Facts worth remembering about the product or the customer'),
  recommendedOutcome: oneOf(recommendedOutcomes, {
    description: 'refund, replace, reject, or needs_review when the call does not settle it',
  }),
}, { description: 'Gemini\'s analysis of a return call' })

export type CallAnalysis = typeof CallAnalysis.static

/** What Gemini returns about a sample of a product's reviews. */
export const ReviewInsights = t.Object({
  summary: prose(2000, 'What reviewers say overall, in a few sentences'),
  sentiment,
  commonPraise: list('What reviewers like, most frequent first'),
  commonComplaints: list('What reviewers dislike, most frequent first'),
  suspiciousPatterns: list('Signs of fake or incentivised reviews; empty if none'),
  recommendations: list('What the seller could change'),
}, { description: 'Gemini\'s insights over a sample of a product\'s reviews' })

export type ReviewInsights = typeof ReviewInsights.static

export const ReturnIdParams = t.Object({ id: uuid('Return request id') })

export const ProductIdParams = t.Object({ id: uuid('Product id') })

export const ReviewInsightsQuery = t.Object({
  refresh: t.Optional(oneOf(['true', 'false'], {
    description: 'Admins only: ignore the cached insights and ask Gemini again',
  })),
}, { additionalProperties: false })

export const AnalysisQueued = t.Object({
  returnRequestId: t.String({ format: 'uuid' }),
  analysisStatus: t.Literal('pending'),
  run: integer({ minimum: 2, description: 'Which analysis of this request this is' }),
}, { description: 'The analysis is queued; the feed announces analysis.ready/failed' })

export const ReviewInsightsView = t.Object({
  productId: t.String({ format: 'uuid' }),
  insights: ReviewInsights,
  model: t.String(),
  promptVersion: t.String(),
  sampleSize: integer({ minimum: 1, description: 'How many of the latest reviews were read' }),
  generatedAt: timestamp('When Gemini answered'),
  cached: t.Boolean({ description: 'True when served from the cache' }),
}, { description: 'Review insights of a product' })

export type ReviewInsightsView = typeof ReviewInsightsView.static
