import { products, type ProductRow } from '../db/schema'
import { decimalToNumber } from '../shared/money'
import type { ProductView } from './schemas'

/** The columns every product answer is built from (lists select exactly these). */
export const productColumns = {
  id: products.id,
  name: products.name,
  description: products.description,
  price: products.price,
  stock: products.stock,
  category: products.category,
  images: products.images,
  sellerId: products.sellerId,
  ratingCount: products.ratingCount,
  ratingSum: products.ratingSum,
  originalProductId: products.originalProductId,
  fakeProbability: products.fakeProbability,
  trustScore: products.trustScore,
  reviewCount: products.reviewCount,
  averageRating: products.averageRating,
  clusterId: products.clusterId,
  pageRank: products.pageRank,
  eigenvectorCentrality: products.eigenvectorCentrality,
  clusteringCoefficient: products.clusteringCoefficient,
  weightedDegree: products.weightedDegree,
  isFake: products.isFake,
  archivedAt: products.archivedAt,
  createdAt: products.createdAt,
  updatedAt: products.updatedAt,
}

export type ProductViewRow = Pick<ProductRow, keyof typeof productColumns>

/** Mean of the stored reviews rounded to two decimals; null while there are none. */
export function averageOf(ratingSum: number, ratingCount: number): number | null {
  if (ratingCount === 0) return null
  return Math.round((ratingSum * 100) / ratingCount) / 100
}

/**
 * A product as clients see it. The public `reviewCount`/`averageRating` are the live figures
 * of the reviews stored here; the dataset's own figures stay apart under `dataset`.
 */
export function toProductView(row: ProductViewRow): ProductView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    price: decimalToNumber(row.price),
    stock: row.stock,
    category: row.category,
    images: row.images,
    sellerId: row.sellerId,
    reviewCount: row.ratingCount,
    averageRating: averageOf(row.ratingSum, row.ratingCount),
    dataset: {
      originalProductId: row.originalProductId,
      fakeProbability: row.fakeProbability,
      trustScore: row.trustScore,
      reviewCount: row.reviewCount,
      averageRating: row.averageRating,
      clusterId: row.clusterId,
      pageRank: row.pageRank,
      eigenvectorCentrality: row.eigenvectorCentrality,
      clusteringCoefficient: row.clusteringCoefficient,
      weightedDegree: row.weightedDegree,
      isFake: row.isFake,
    },
    archived: row.archivedAt !== null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
