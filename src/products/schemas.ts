import { t } from 'elysia'
import { productEditTypes } from '../db/schema'
import { pageOf, pageQuery } from '../http/pagination'
import { integer, noNul, nullable, oneOf, timestamp, uuid } from '../http/types'
import { ReviewView } from '../reviews/schemas'

/** The most a product may cost, so a price always fits numeric(12,2) with room to spare. */
export const MAX_PRICE = 99_999_999.99
export const MAX_STOCK = 1_000_000_000
export const MAX_IMAGES = 20

const text = (minLength: number, maxLength: number, description: string) =>
  t.String({ minLength, maxLength, pattern: noNul, description })

export const ProductIdParams = t.Object({ id: uuid('Product id') })

/** The catalogue fields a seller writes; all of them appear in the edit history. */
const catalogueFields = {
  name: text(1, 200, 'Product name, 1 to 200 characters'),
  description: text(0, 5000, 'Up to 5000 characters'),
  price: t.Number({
    minimum: 0,
    maximum: MAX_PRICE,
    description: 'A JSON number with at most two decimals, 0 to 99999999.99',
  }),
  stock: integer({ minimum: 0, maximum: MAX_STOCK, description: 'Units in stock' }),
  category: text(1, 100, 'Category name, matched exactly by the list filter'),
  images: t.Array(t.String({
    maxLength: 2048,
    pattern: '^https?://[^\\s\\u0000]+$',
    description: 'An http(s) URL',
  }), { maxItems: MAX_IMAGES, description: `Up to ${MAX_IMAGES} image URLs` }),
}

/** Fields of the review-fraud research dataset; only admins (importers) set them. */
const datasetFields = {
  originalProductId: t.Optional(integer({
    minimum: 0, maximum: 2_147_483_647, description: 'The dataset\'s numeric product id (unique)',
  })),
  fakeProbability: t.Optional(t.Number({ minimum: 0, maximum: 1 })),
  trustScore: t.Optional(t.Number({ minimum: 0, maximum: 1 })),
  reviewCount: t.Optional(integer({ minimum: 0, maximum: 2_147_483_647 })),
  averageRating: t.Optional(t.Number({ minimum: 0, maximum: 5 })),
  clusterId: t.Optional(integer({ minimum: 0, maximum: 2_147_483_647 })),
  pageRank: t.Optional(t.Number({ minimum: 0, maximum: 1e9 })),
  eigenvectorCentrality: t.Optional(t.Number({ minimum: 0, maximum: 1e9 })),
  clusteringCoefficient: t.Optional(t.Number({ minimum: 0, maximum: 1 })),
  weightedDegree: t.Optional(t.Number({ minimum: 0, maximum: 1e12 })),
  isFake: t.Optional(t.Boolean()),
}

export const datasetFieldNames = Object.keys(datasetFields) as (keyof typeof datasetFields)[]
export const catalogueFieldNames = Object.keys(catalogueFields) as (keyof typeof catalogueFields)[]

export const CreateProductBody = t.Object({
  name: catalogueFields.name,
  description: t.Optional(catalogueFields.description),
  price: catalogueFields.price,
  stock: catalogueFields.stock,
  category: catalogueFields.category,
  images: t.Optional(catalogueFields.images),
  ...datasetFields,
}, { additionalProperties: false, description: 'A new product; dataset fields need an admin' })

export const UpdateProductBody = t.Object({
  name: t.Optional(catalogueFields.name),
  description: t.Optional(catalogueFields.description),
  price: t.Optional(catalogueFields.price),
  stock: t.Optional(catalogueFields.stock),
  category: t.Optional(catalogueFields.category),
  images: t.Optional(catalogueFields.images),
  editReason: t.Optional(text(1, 500, 'Why the product changed; stored with each history row')),
}, {
  additionalProperties: false,
  minProperties: 1,
  description: 'The fields to change (at least one) and an optional reason',
})

export type CreateProductInput = typeof CreateProductBody.static
export type UpdateProductInput = typeof UpdateProductBody.static

export const productSorts = [
  'newest', 'oldest', 'price_asc', 'price_desc', 'name_asc', 'name_desc', 'rating_desc',
] as const
export type ProductSort = (typeof productSorts)[number]

const decimal = (description: string) =>
  t.String({ pattern: '^[0-9]{1,8}(\\.[0-9]{1,2})?$', description })

export const ProductListQuery = t.Object({
  ...pageQuery,
  category: t.Optional(text(1, 100, 'Only this category (exact match)')),
  search: t.Optional(text(0, 200, 'Case-insensitive text in name or description; an all-digit '
    + 'term also matches the dataset\'s product id')),
  sort: t.Optional(oneOf(productSorts, { description: 'Order; newest by default' })),
  minPrice: t.Optional(decimal('Lowest price, e.g. 10 or 9.99')),
  maxPrice: t.Optional(decimal('Highest price, e.g. 100 or 99.99')),
  sellerId: t.Optional(uuid('Only this seller\'s products')),
}, { additionalProperties: false })

export type ProductListFilters = typeof ProductListQuery.static

export const DatasetView = t.Object({
  originalProductId: nullable(integer()),
  fakeProbability: nullable(t.Number()),
  trustScore: nullable(t.Number()),
  reviewCount: nullable(integer({ description: 'Reviews the product had in the dataset' })),
  averageRating: nullable(t.Number({ description: 'Mean rating in the dataset' })),
  clusterId: nullable(integer()),
  pageRank: nullable(t.Number()),
  eigenvectorCentrality: nullable(t.Number()),
  clusteringCoefficient: nullable(t.Number()),
  weightedDegree: nullable(t.Number()),
  isFake: nullable(t.Boolean()),
}, { description: 'The research dataset\'s own figures, as imported; null for other products' })

export const ProductView = t.Object({
  id: t.String({ format: 'uuid' }),
  name: t.String(),
  description: t.String(),
  price: t.Number({ description: 'Two decimals' }),
  stock: integer(),
  category: t.String(),
  images: t.Array(t.String()),
  sellerId: t.String({ format: 'uuid' }),
  reviewCount: integer({ description: 'Reviews stored here, kept exact' }),
  averageRating: nullable(t.Number({ description: 'Mean of stored reviews, two decimals' })),
  dataset: DatasetView,
  archived: t.Boolean(),
  archivedAt: nullable(timestamp('When the product was archived; null when active')),
  createdAt: timestamp('ISO 8601, UTC'),
  updatedAt: timestamp('ISO 8601, UTC'),
}, { description: 'A product' })

export type ProductView = typeof ProductView.static

export const ProductDetail = t.Object({
  ...ProductView.properties,
  seller: t.Object({ id: t.String({ format: 'uuid' }), name: t.String() }),
  reviews: t.Object({
    data: t.Array(ReviewView),
    nextCursor: nullable(t.String({
      description: 'Pass as `cursor` to GET /api/reviews/product/:productId for the next page',
    })),
  }, { description: 'The first page of reviews, newest first' }),
}, { description: 'A product with its seller and first page of reviews' })

export type ProductDetail = typeof ProductDetail.static

export const ProductPage = pageOf(ProductView)

export const HistoryEntry = t.Object({
  id: t.String({ format: 'uuid' }),
  productId: t.String({ format: 'uuid' }),
  editType: oneOf(productEditTypes),
  fieldChanged: t.String(),
  oldValue: nullable(t.String()),
  newValue: nullable(t.String()),
  editReason: nullable(t.String()),
  editor: nullable(t.Object({ id: t.String({ format: 'uuid' }), name: t.String() })),
  createdAt: timestamp('ISO 8601, UTC'),
}, { description: 'One changed field of one edit; values are text, money as "19.99"' })

export type HistoryEntry = typeof HistoryEntry.static

export const HistoryPage = pageOf(HistoryEntry)

export const PageOnlyQuery = t.Object(pageQuery, { additionalProperties: false })
