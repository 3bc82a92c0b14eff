import { describe, expect, test } from 'bun:test'
import { seededRandom } from '../../src/catalogue/random'
import {
  generateRatings, generateReviews, latestReviewDay, reviewUuid, scaledCount,
  type ReviewStatsInput,
} from '../../src/catalogue/review-generator'

const dayMs = 86_400_000

const row: ReviewStatsInput = {
  productId: 11,
  reviewCount: 67,
  averageRating: 3.701492537313433,
  avgDaysBetween: 37.04545454545454,
  maxDaysBetween: 285,
  minDaysBetween: 0,
}

function daysOf(reviews: { reviewDate: Date }[]) {
  return reviews.map((review) => Math.floor(review.reviewDate.getTime() / dayMs))
}

function gapsOf(reviews: { reviewDate: Date }[]) {
  const days = daysOf(reviews)
  return days.slice(1).map((day, i) => day - days[i]!)
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length

describe('review generation', () => {
  test('at scale 1, count, mean rating and day gaps are exactly the row\'s', () => {
    const reviews = generateReviews(row, 1)
    expect(reviews).toHaveLength(67)
    expect(mean(reviews.map((r) => r.rating))).toBeCloseTo(row.averageRating, 10)

    const gaps = gapsOf(reviews)
    expect(Math.min(...gaps)).toBe(0)
    expect(Math.max(...gaps)).toBe(285)
    expect(mean(gaps)).toBeCloseTo(row.avgDaysBetween, 10)
  })

  test('a scale multiplies the count, keeping at least one review', () => {
    expect(generateReviews(row, 0.2)).toHaveLength(13)
    expect(generateReviews(row, 2)).toHaveLength(134)
    expect(generateReviews(row, 0.001)).toHaveLength(1)
    expect(scaledCount(0, 1)).toBe(0)
    expect(generateReviews({ ...row, reviewCount: 0 }, 1)).toEqual([])
  })

  test('scaled reviews keep the mean within half a star per review, gaps within bounds', () => {
    for (const scale of [0.05, 0.2, 0.5]) {
      const reviews = generateReviews(row, scale)
      const ratingError = Math.abs(mean(reviews.map((r) => r.rating)) - row.averageRating)
      expect(ratingError).toBeLessThanOrEqual(0.5 / reviews.length + 1e-9)

      for (const gap of gapsOf(reviews)) {
        expect(gap).toBeGreaterThanOrEqual(0)
        expect(gap).toBeLessThanOrEqual(285)
      }
    }
  })

  test('ratings hit extreme means exactly and stay whole stars from 1 to 5', () => {
    for (const target of [1, 1.3387, 4.98, 5]) {
      const ratings = generateRatings(200, target, seededRandom(target * 1000))
      expect(ratings.every((r) => Number.isInteger(r) && r >= 1 && r <= 5)).toBe(true)
      expect(ratings.reduce((s, r) => s + r, 0)).toBe(Math.round(target * 200))
    }
  })

  test('high means look like real ratings: mostly fives, few ones', () => {
    const ratings = generateRatings(1000, 4.5, seededRandom(7))
    const fives = ratings.filter((r) => r === 5).length
    const ones = ratings.filter((r) => r === 1).length
    expect(fives).toBeGreaterThan(500)
    expect(ones).toBeLessThan(fives / 10)
  })

  test('the same product gives the same reviews; another product gives others', () => {
    expect(generateReviews(row, 1)).toEqual(generateReviews(row, 1))
    const other = generateReviews({ ...row, productId: 12 }, 1)
    expect(other.map((r) => r.title)).not.toEqual(generateReviews(row, 1).map((r) => r.title))
  })

  test('reviews come oldest first, the newest within the year before the anchor day', () => {
    const reviews = generateReviews(row, 1)
    const days = daysOf(reviews)
    expect(days).toEqual([...days].sort((a, b) => a - b))
    const newest = reviews.at(-1)!.reviewDate.getTime()
    expect(newest).toBeLessThan(latestReviewDay + dayMs)
    expect(newest).toBeGreaterThan(latestReviewDay - 366 * dayMs)
  })

  test('ids are unique, stable and in the product\'s own range', () => {
    const reviews = generateReviews(row, 1)
    expect(new Set(reviews.map((r) => r.id)).size).toBe(67)
    expect(reviews[0]!.id).toBe(reviewUuid(11, 0))
    expect(reviewUuid(11, 66)).toBe('0000000b-5eed-8001-8000-000000000042')
  })

  test('texts and reviewer ids are filled in', () => {
    for (const review of generateReviews(row, 1)) {
      expect(review.title.length).toBeGreaterThan(0)
      expect(review.body.length).toBeGreaterThan(0)
      expect(review.reviewerId).toMatch(/^reviewer-\d+$/)
      expect(review.helpful).toBeGreaterThanOrEqual(0)
    }
  })
})
