import type { DatasetRow } from './dataset'
import { hex } from './derive'
import { seededRandom, type Random } from './random'
import { reviewBodies, reviewTitles } from './review-words'

/** One generated review, before it is written. */
export interface GeneratedReview {
  id: string
  reviewerId: string
  rating: number
  title: string
  body: string
  helpful: number
  reviewDate: Date
}

export type ReviewStatsInput = Pick<
  DatasetRow,
  'productId' | 'reviewCount' | 'averageRating' | 'avgDaysBetween' | 'minDaysBetween'
  | 'maxDaysBetween'
>

/** The newest generated review of any product falls in the year before this day. */
export const latestReviewDay = Date.UTC(2024, 11, 31)
const dayMs = 86_400_000
const reviewerPool = 400_000
const reviewStream = 2

/** How many reviews a row gets at a scale: at least one when the row has any. */
export function scaledCount(reviewCount: number, scale: number): number {
  if (reviewCount <= 0) return 0
  return Math.max(1, Math.round(reviewCount * scale))
}

/**
 * A product's reviews, oldest first: their number is the row's count times `scale`, their
 * ratings are whole stars whose mean is the row's mean as closely as whole stars allow, and
 * the day gaps between them include the row's smallest and largest gap and average the row's
 * mean gap. Everything is seeded by the product id.
 */
export function generateReviews(row: ReviewStatsInput, scale = 1): GeneratedReview[] {
  const count = scaledCount(row.reviewCount, scale)
  if (count === 0) return []

  const random = seededRandom(row.productId, reviewStream)
  const ratings = generateRatings(count, row.averageRating, random)
  const gaps = generateGaps(count, row, random)
  const newestDay = latestReviewDay - random.int(0, 364) * dayMs
  let day = newestDay - gaps.reduce((sum, gap) => sum + gap, 0) * dayMs

  const reviews: GeneratedReview[] = []
  for (let index = 0; index < count; index++) {
    if (index > 0) day += gaps[index - 1]! * dayMs
    const rating = ratings[index]!
    reviews.push({
      id: reviewUuid(row.productId, index),
      reviewerId: `reviewer-${random.int(1, reviewerPool)}`,
      rating,
      title: random.pick(reviewTitles[rating]!),
      body: reviewBody(rating, random),
      helpful: random.chance(0.6) ? 0 : Math.floor(-Math.log(1 - random.next()) * 4),
      reviewDate: new Date(day + random.int(0, dayMs / 1000 - 1) * 1000),
    })
  }
  return reviews
}

/** The id of a product's n-th generated review: re-runs write the same ids. */
export function reviewUuid(productId: number, index: number): string {
  return `${hex(productId, 8)}-5eed-8001-8000-${hex(index, 12)}`
}

/**
 * Whole-star ratings with an exact sum of round(mean * count): drawn from the
 * maximum-entropy distribution on 1..5 with that mean (J-shaped for high means, as real
 * ratings are), then nudged one star at a time until the sum is exact.
 */
export function generateRatings(count: number, mean: number, random: Random): number[] {
  const target = Math.min(5 * count, Math.max(count, Math.round(mean * count)))
  const weights = starWeights(target / count)
  const ratings = Array.from({ length: count }, () => drawStar(weights, random.next()))

  let difference = target - ratings.reduce((sum, rating) => sum + rating, 0)
  while (difference !== 0) {
    const step = difference > 0 ? 1 : -1
    const start = random.int(0, count - 1)
    for (let k = 0; k < count; k++) {
      const i = (start + k) % count
      const moved = ratings[i]! + step
      if (moved < 1 || moved > 5) continue
      ratings[i] = moved
      difference -= step
      break
    }
  }
  return ratings
}

/** Probabilities of 1..5 stars proportional to e^(λ·star), with λ solved for the mean. */
function starWeights(mean: number): number[] {
  const distribution = (lambda: number) => {
    const raw = [1, 2, 3, 4, 5].map((star) => Math.exp(lambda * star))
    const total = raw.reduce((sum, value) => sum + value, 0)
    return raw.map((value) => value / total)
  }
  const meanOf = (p: number[]) => p.reduce((sum, value, i) => sum + value * (i + 1), 0)

  let low = -30
  let high = 30
  for (let i = 0; i < 60; i++) {
    const middle = (low + high) / 2
    if (meanOf(distribution(middle)) < mean) low = middle
    else high = middle
  }
  return distribution((low + high) / 2)
}

function drawStar(weights: number[], draw: number): number {
  let cumulative = 0
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i]!
    if (draw < cumulative) return i + 1
  }
  return 5
}

/**
 * count - 1 whole-day gaps within [min, max], containing min and max once each when there
 * are at least two gaps, and summing to round(mean gap * (count - 1)).
 */
export function generateGaps(count: number, row: ReviewStatsInput, random: Random): number[] {
  const slots = count - 1
  const min = Math.round(row.minDaysBetween)
  const max = Math.max(min, Math.round(row.maxDaysBetween))
  if (slots <= 0) return []
  if (slots === 1) return [clamp(Math.round(row.avgDaysBetween), min, max)]

  const others = slots - 2
  const total = Math.round(row.avgDaysBetween * slots)
  const budget = clamp(total - min - max - others * min, 0, others * (max - min))
  const gaps = [min, max, ...spread(others, budget, max - min, random).map((extra) => min + extra)]
  return shuffle(gaps, random)
}

/** `slots` whole numbers in [0, cap] summing to `budget`, exponentially distributed. */
function spread(slots: number, budget: number, cap: number, random: Random): number[] {
  if (slots === 0) return []

  const weights = Array.from({ length: slots }, () => -Math.log(1 - random.next()))
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0)
  const values = weights.map((weight) => Math.min(cap, Math.floor((budget * weight) / weightSum)))

  let left = budget - values.reduce((sum, value) => sum + value, 0)
  for (let i = random.int(0, slots - 1); left > 0; i = (i + 1) % slots) {
    const add = Math.min(cap - values[i]!, left, Math.max(1, Math.ceil(left / slots)))
    values[i]! += add
    left -= add
  }
  return values
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i)
    const held = items[i]!
    items[i] = items[j]!
    items[j] = held
  }
  return items
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}

function reviewBody(rating: number, random: Random): string {
  const pool = reviewBodies[rating]!
  const first = random.int(0, pool.length - 1)
  if (random.chance(0.5)) return pool[first]!
  return `${pool[first]} ${pool[(first + 1 + random.int(0, pool.length - 2)) % pool.length]}`
}
