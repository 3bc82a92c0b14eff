/**
 * The product statistics file of the review-fraud dataset (../shared/data/README.md): its
 * columns, and the validation that turns one CSV record into a typed row.
 */

export interface DatasetRow {
  /** Physical line in the file, for messages. */
  line: number
  productId: number
  reviewCount: number
  averageRating: number
  avgDaysBetween: number
  maxDaysBetween: number
  minDaysBetween: number
  clusterId: number
  pageRank: number
  eigenvectorCentrality: number
  clusteringCoefficient: number
  weightedDegree: number
  fakeScore: number
  fake: boolean
}

export const datasetColumns = [
  'n_of_reviews', 'avg_review_rating', 'avg_days_between_reviews', 'max_days_between_reviews',
  'min_days_between_reviews', 'product_ID', 'cluster_ID', 'pagerank', 'eigenvector_cent',
  'clustering_coef', 'w_degree', 'fake_score', 'fake',
] as const

type Column = (typeof datasetColumns)[number]

/** A record that cannot become a product; the importer skips it and reports the line. */
export class RowError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`)
    this.name = 'RowError'
  }
}

/** The header is wrong: nothing in the file can be read safely, so the import stops. */
export class HeaderError extends Error {
  override name = 'HeaderError'
}

/** Where each column sits in this file; columns may come in any order, extras are ignored. */
export type ColumnIndex = Record<Column, number>

export function indexHeader(header: string[]): ColumnIndex {
  const names = header.map((name) => name.trim())
  const missing = datasetColumns.filter((column) => !names.includes(column))
  if (missing.length > 0) {
    throw new HeaderError(`the header lacks column(s) ${missing.join(', ')}`)
  }

  const duplicated = datasetColumns.filter((c) => names.indexOf(c) !== names.lastIndexOf(c))
  if (duplicated.length > 0) {
    throw new HeaderError(`the header repeats column(s) ${duplicated.join(', ')}`)
  }
  return Object.fromEntries(datasetColumns.map((c) => [c, names.indexOf(c)])) as ColumnIndex
}

// Plain decimals with an optional exponent, as the research tools wrote them.
const decimalPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const maxInteger = 2_147_483_647

/** Validates one record against the header; throws RowError naming the line and column. */
export function parseDatasetRow(fields: string[], index: ColumnIndex, line: number): DatasetRow {
  const width = Object.keys(index).length
  if (fields.length < width) {
    throw new RowError(line, `expected at least ${width} fields, found ${fields.length}`)
  }

  const number = (column: Column, min: number, max: number): number => {
    const raw = (fields[index[column]] ?? '').trim()
    if (!decimalPattern.test(raw)) {
      throw new RowError(line, `${column} is not a number: ${JSON.stringify(raw.slice(0, 40))}`)
    }
    const value = Number(raw)
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new RowError(line, `${column} must be between ${min} and ${max}, got ${raw}`)
    }
    return value === 0 ? 0 : value // the file has "-0.0"; store a plain zero

  }
  const integer = (column: Column, min: number, max: number): number => {
    const value = number(column, min, max)
    if (!Number.isInteger(value)) throw new RowError(line, `${column} must be a whole number`)
    return value
  }

  const row: DatasetRow = {
    line,
    productId: integer('product_ID', 0, maxInteger),
    reviewCount: integer('n_of_reviews', 0, 1_000_000),
    averageRating: number('avg_review_rating', 1, 5),
    avgDaysBetween: number('avg_days_between_reviews', 0, 100_000),
    maxDaysBetween: number('max_days_between_reviews', 0, 100_000),
    minDaysBetween: number('min_days_between_reviews', 0, 100_000),
    clusterId: integer('cluster_ID', 0, maxInteger),
    pageRank: number('pagerank', 0, 1),
    eigenvectorCentrality: number('eigenvector_cent', 0, 1),
    clusteringCoefficient: number('clustering_coef', 0, 1),
    weightedDegree: number('w_degree', 0, Number.MAX_SAFE_INTEGER),
    fakeScore: number('fake_score', 0, 1),
    fake: integer('fake', 0, 1) === 1,
  }

  if (row.minDaysBetween > row.avgDaysBetween || row.avgDaysBetween > row.maxDaysBetween) {
    throw new RowError(line, 'day gaps must satisfy min <= avg <= max')
  }
  return row
}
