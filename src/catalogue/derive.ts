import { centsToDecimal } from '../shared/money'
import type { DatasetRow } from './dataset'
import { seededRandom } from './random'
import { adjectives, brands, categories, closings, variants } from './words'

/** The storefront fields the dataset lacks, derived from the product id alone. */
export interface DerivedProduct {
  name: string
  category: string
  description: string
  /** Decimal string with two places, as the money columns store it. */
  price: string
  stock: number
}

export const categoryNames = categories.map((category) => category.name)

const productStream = 1

/** Same product id, same fields: on every machine, every run, every database. */
export function deriveProduct(productId: number): DerivedProduct {
  const random = seededRandom(productId, productStream)
  const category = random.pick(categories)
  const brand = random.pick(brands)
  const adjective = random.pick(adjectives)
  const noun = random.pick(category.nouns)
  const variant = random.pick(variants)

  const [first, second] = pickTwo(category.features, random.next(), random.next())
  const description = `The ${brand} ${adjective} ${noun} comes with ${first} and ${second}. `
    + `${random.pick(closings)}`

  return {
    name: `${brand} ${adjective} ${noun}${variant}`,
    category: category.name,
    description,
    price: centsToDecimal(priceCents(category.minCents, category.maxCents, random.next())),
    stock: random.chance(0.05) ? 0 : random.int(1, 500),
  }
}

/** A shop-like price: whole dollars ending in .99, .49 or .00. */
function priceCents(min: number, max: number, draw: number): number {
  const dollars = Math.floor((min + draw * (max - min)) / 100)
  const cents = [99, 99, 49, 0][Math.floor(draw * 1000) % 4]!
  return Math.max(min, dollars * 100 + cents)
}

function pickTwo<T>(items: readonly T[], a: number, b: number): [T, T] {
  const i = Math.floor(a * items.length)
  const j = (i + 1 + Math.floor(b * (items.length - 1))) % items.length
  return [items[i]!, items[j]!]
}

/** Dataset fields as stored on the product. Trust is the complement of the fake score. */
export function datasetFields(row: DatasetRow) {
  return {
    originalProductId: row.productId,
    fakeProbability: row.fakeScore,
    trustScore: Math.round((1 - row.fakeScore) * 1e6) / 1e6,
    isFake: row.fake,
    reviewCount: row.reviewCount,
    averageRating: row.averageRating,
    clusterId: row.clusterId,
    pageRank: row.pageRank,
    eigenvectorCentrality: row.eigenvectorCentrality,
    clusteringCoefficient: row.clusteringCoefficient,
    weightedDegree: row.weightedDegree,
  }
}

/**
 * A stable product id for a dataset id (a UUIDv8 whose last 12 digits are the dataset id),
 * so a re-run, a second database or a benchmark finds the same rows under the same ids.
 */
export function productUuid(productId: number): string {
  return `00000000-5eed-8000-8000-${hex(productId, 12)}`
}

export function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0')
}
