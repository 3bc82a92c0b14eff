import { desc, eq, sql } from 'drizzle-orm'
import type { AppDeps } from '../app-deps'
import type { Database } from '../db/client'
import { productReviewInsights, products, reviews } from '../db/schema'
import type { AuthUser } from '../http/auth'
import { AppError, conflict, forbidden, notFound } from '../shared/errors'
import { generateContent } from './gemini'
import {
  MAX_REVIEW_CHARS, REVIEW_INSIGHTS_PROMPT_VERSION, REVIEW_SAMPLE_SIZE, reviewInsightsPrompt,
  type ProductContext, type ReviewSample,
} from './prompts'
import { ReviewInsights, type ReviewInsightsView } from './schemas'
import { parseStructured, toGeminiSchema } from './structured'

/** Cached insights are served for this long, then asked for again. */
export const INSIGHTS_TTL_MS = 24 * 3600_000

const responseSchema = toGeminiSchema(ReviewInsights)

interface ProductForInsights extends ProductContext {
  id: string
  sellerId: string
}

/**
 * Review insights of products, cached in `product_review_insights`. Concurrent requests for
 * the same product in this process share one Gemini call.
 */
export function reviewInsightsService(deps: AppDeps) {
  const { db } = deps.database
  const inFlight = new Map<string, Promise<ReviewInsightsView>>()

  const generate = (product: ProductForInsights) => {
    const running = inFlight.get(product.id)
    if (running) return running

    const started = generateInsights(deps, product).finally(() => inFlight.delete(product.id))
    inFlight.set(product.id, started)
    return started
  }

  return {
    /** The product's insights for its seller or an admin; `refresh` (admins) skips the cache. */
    async get(user: AuthUser, productId: string, refresh: boolean): Promise<ReviewInsightsView> {
      const product = await loadProduct(db, productId)
      if (!product) throw notFound('Product')
      if (user.role !== 'admin' && product.sellerId !== user.id) {
        throw forbidden('Only the product\'s seller or an admin may read its review insights')
      }
      if (refresh && user.role !== 'admin') throw forbidden('Only admins may refresh insights')

      const cached = refresh ? undefined : await freshCache(db, productId, deps.config.gemini.model)
      return cached ?? generate(product)
    },
  }
}

async function generateInsights(
  deps: AppDeps,
  product: ProductForInsights,
): Promise<ReviewInsightsView> {
  const { db } = deps.database
  const sample = await latestReviews(db, product.id)
  if (sample.length === 0) throw conflict('The product has no reviews to analyse yet')

  const outcome = await generateContent(
    deps.config.gemini,
    reviewInsightsPrompt(product, sample),
    { responseSchema },
  )
  if (outcome.status !== 'ok') {
    deps.logger.warn('review_insights.failed', { productId: product.id, reason: outcome.reason })
    throw outcome.status === 'rate-limited'
      ? new AppError('UNAVAILABLE', 'Gemini is busy; try again later', undefined, {
        'retry-after': String(Math.ceil((outcome.retryAfterMs ?? 30_000) / 1000)),
      })
      : new AppError('UNAVAILABLE', `Review insights are unavailable: ${outcome.reason}`)
  }

  const parsed = parseStructured(ReviewInsights, outcome.text)
  if (!parsed.ok) {
    deps.logger.warn('review_insights.invalid', { productId: product.id, reason: parsed.reason })
    throw new AppError('UNAVAILABLE', 'Gemini\'s answer could not be used; try again later')
  }

  const stored = {
    insights: parsed.value,
    model: deps.config.gemini.model,
    promptVersion: REVIEW_INSIGHTS_PROMPT_VERSION,
    sampleSize: sample.length,
    createdAt: new Date(),
  }
  await db.insert(productReviewInsights)
    .values({ productId: product.id, ...stored })
    .onConflictDoUpdate({ target: productReviewInsights.productId, set: stored })

  return {
    productId: product.id,
    insights: parsed.value,
    model: stored.model,
    promptVersion: stored.promptVersion,
    sampleSize: stored.sampleSize,
    generatedAt: stored.createdAt.toISOString(),
    cached: false,
  }
}

async function freshCache(
  db: Database,
  productId: string,
  model: string,
): Promise<ReviewInsightsView | undefined> {
  const [row] = await db
    .select()
    .from(productReviewInsights)
    .where(eq(productReviewInsights.productId, productId))

  const fresh = row && row.promptVersion === REVIEW_INSIGHTS_PROMPT_VERSION &&
    row.model === model && Date.now() - row.createdAt.getTime() < INSIGHTS_TTL_MS
  if (!fresh) return undefined

  const parsed = parseStructured(ReviewInsights, JSON.stringify(row.insights))
  if (!parsed.ok) return undefined

  return {
    productId,
    insights: parsed.value,
    model: row.model,
    promptVersion: row.promptVersion,
    sampleSize: row.sampleSize,
    generatedAt: row.createdAt.toISOString(),
    cached: true,
  }
}

async function loadProduct(db: Database, id: string): Promise<ProductForInsights | undefined> {
  const [row] = await db
    .select({
      id: products.id,
      sellerId: products.sellerId,
      name: products.name,
      category: products.category,
      ratingCount: products.ratingCount,
      ratingSum: products.ratingSum,
      datasetAverage: products.averageRating,
    })
    .from(products)
    .where(eq(products.id, id))
  if (!row) return undefined

  const averageRating = row.ratingCount > 0
    ? Math.round((row.ratingSum / row.ratingCount) * 100) / 100
    : row.datasetAverage
  return { ...row, averageRating }
}

async function latestReviews(db: Database, productId: string): Promise<ReviewSample[]> {
  return db
    .select({
      rating: reviews.reviewRating,
      title: reviews.reviewTitle,
      // Only what the prompt uses leaves the database: a review body can be long.
      body: sql<string>`left(${reviews.reviewBody}, ${MAX_REVIEW_CHARS + 1})`,
      date: reviews.reviewDate,
    })
    .from(reviews)
    .where(eq(reviews.productId, productId))
    .orderBy(desc(reviews.reviewDate), desc(reviews.id))
    .limit(REVIEW_SAMPLE_SIZE)
}
