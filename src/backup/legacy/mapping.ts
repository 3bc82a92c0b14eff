import { callStatuses } from '../../db/schema'
import { centsToDecimal, roundFloatToCents, toCents } from '../../shared/money'
import { findBackupTable, type BackupColumn, type BackupTable } from '../tables'

/**
 * How each array of the older system's JSON backup maps onto our tables: Prisma's camelCase
 * fields to our columns, float money to exact decimals, legacy roles and call flags to ours.
 * A converter returns the value in the backup format's encoding (numeric and jsonb as text),
 * or throws a message.
 */
type Fields = Record<string, unknown>
type Convert = (fields: Fields) => unknown

export interface LegacyTableMapping {
  /** The array's name under `data` in the legacy file. */
  legacy: string
  table: BackupTable
  columns: BackupColumn[]
  converters: Convert[]
  /** Legacy fields this mapping reads (any other scalar field is reported as ignored). */
  reads: ReadonlySet<string>
  /** Fields whose value is JSON kept whole (objects/arrays are not nested copies here). */
  jsonFields: ReadonlySet<string>
}

/** A mapping problem in one record; the importer adds file, line and table. */
export class LegacyValueError extends Error {}

const roles: Record<string, string> = {
  USER: 'customer',
  CUSTOMER: 'customer',
  SELLER: 'seller',
  ADMIN: 'admin',
}

export const legacyMappings: readonly LegacyTableMapping[] = [
  mapping('users', 'users', {
    id: text('id'),
    email: reading(['email'], (f) =>
      nullable(f.email, (email) => textOf(email, 'email').toLowerCase())),
    phone: optionalText('phone'),
    password_hash: text('password'),
    name: text('name'),
    role: reading(['role'], (f) => {
      const role = roles[String(f.role ?? 'USER').toUpperCase()]
      if (!role) throw new LegacyValueError(`unknown role ${JSON.stringify(f.role)}`)
      return role
    }),
    created_at: text('createdAt'),
    updated_at: text('updatedAt'),
  }),
  mapping('products', 'products', {
    id: text('id'),
    name: text('name'),
    description: withDefault(optionalText('description'), ''),
    price: money('price'),
    stock: withDefault(plain('stock'), 0),
    images: withDefault(jsonValue('images'), '[]'),
    category: text('category'),
    seller_id: text('sellerId'),
    original_product_id: plain('originalProductId'),
    fake_probability: plain('fakeProbability'),
    trust_score: plain('trustScore'),
    review_count: plain('reviewCount'),
    average_rating: plain('averageRating'),
    cluster_id: plain('clusterId'),
    page_rank: plain('pageRank'),
    eigenvector_centrality: firstOf('eigenvectorCent', 'eigenvectorCentrality'),
    clustering_coefficient: firstOf('clusteringCoef', 'clusteringCoefficient'),
    weighted_degree: plain('weightedDegree'),
    is_fake: plain('isFake'),
    archived_at: firstOf('archivedAt', 'deletedAt'),
    created_at: text('createdAt'),
    updated_at: text('updatedAt'),
  }, ['images']),
  mapping('reviews', 'reviews', {
    id: text('id'),
    product_id: text('productId'),
    reviewer_id: reading(['reviewerId', 'userId'], (f) =>
      textOf(f.reviewerId ?? f.userId, 'reviewerId')),
    user_id: optionalText('userId'),
    review_rating: plain('reviewRating'),
    review_title: withDefault(optionalText('reviewTitle'), ''),
    review_body: withDefault(optionalText('reviewBody'), ''),
    number_of_helpful: withDefault(plain('numberOfHelpful'), 0),
    review_date: reading(['reviewDate', 'createdAt'], (f) =>
      textOf(f.reviewDate ?? f.createdAt, 'reviewDate')),
    ip_address: optionalText('ipAddress'),
    reviewer_image: optionalText('reviewerImage'),
    image_auth_score: plain('imageAuthScore'),
    image_analysis: optionalText('imageAnalysis'),
    is_ai_generated: plain('isAiGenerated'),
    ai_generated_score: plain('aiGeneratedScore'),
    created_at: text('createdAt'),
    updated_at: text('updatedAt'),
  }),
  mapping('orders', 'orders', {
    id: text('id'),
    order_number: text('orderNumber'),
    user_id: text('userId'),
    shipping_address: text('shippingAddress'),
    city: text('city'),
    state: text('state'),
    zip_code: text('zipCode'),
    first_name: text('firstName'),
    last_name: text('lastName'),
    email: text('email'),
    phone: optionalText('phone'),
    subtotal: money('subtotal'),
    tax: money('tax'),
    shipping: money('shipping'),
    total: money('total'),
    status: text('status'),
    payment_method: optionalText('paymentMethod'),
    payment_status: text('paymentStatus'),
    created_at: text('createdAt'),
    updated_at: text('updatedAt'),
    shipped_at: optionalText('shippedAt'),
    delivered_at: optionalText('deliveredAt'),
    cancelled_at: optionalText('cancelledAt'),
  }),
  mapping('orderItems', 'order_items', {
    id: text('id'),
    order_id: text('orderId'),
    product_id: text('productId'),
    quantity: plain('quantity'),
    price: money('price'),
    total: money('total'),
    created_at: text('createdAt'),
  }),
  mapping('returnRequests', 'return_requests', {
    id: text('id'),
    order_id: text('orderId'),
    user_id: text('userId'),
    product_id: text('productId'),
    title: text('title'),
    reason: text('reason'),
    description: optionalText('description'),
    status: text('status'),
    is_called: reading(['isCalled'], (f) => callStatus(f.isCalled)),
    call_failure_reason: optionalText('callFailureReason'),
    call_sid: optionalText('callSid'),
    transcript: jsonValue('transcript'),
    call_started_at: optionalText('callStartedAt'),
    call_ended_at: optionalText('callEndedAt'),
    ai_summary: optionalText('aiSummary'),
    ai_analysis: jsonValue('aiAnalysis'),
    admin_response: optionalText('adminResponse'),
    refund_amount: money('refundAmount'),
    processed_at: optionalText('processedAt'),
    created_at: text('createdAt'),
    updated_at: text('updatedAt'),
  }, ['transcript', 'aiAnalysis']),
  mapping('productEditHistory', 'product_edit_history', {
    id: text('id'),
    product_id: text('productId'),
    edited_by: optionalText('editedBy'),
    field_changed: text('fieldChanged'),
    old_value: optionalText('oldValue'),
    new_value: optionalText('newValue'),
    edit_reason: optionalText('editReason'),
    edit_type: text('editType'),
    created_at: text('createdAt'),
  }),
]

/** Converts one legacy record to a row of backup-format values, in `columns` order. */
export function mapRecord(mapping: LegacyTableMapping, fields: Fields): unknown[] {
  return mapping.converters.map((convert) => {
    const value = convert(fields)
    return value === undefined ? null : value
  })
}

function mapping(
  legacy: string,
  tableName: string,
  converters: Record<string, Convert & { reads?: string[] }>,
  jsonFields: string[] = [],
): LegacyTableMapping {
  const table = findBackupTable(tableName)
  if (!table) throw new Error(`legacy import: no table ${tableName}`)

  const columns = Object.keys(converters).map((name) => {
    const column = table.columns.find((candidate) => candidate.name === name)
    if (!column) throw new Error(`legacy import: no column ${tableName}.${name}`)
    return column
  })
  const reads = new Set(Object.values(converters).flatMap((convert) => convert.reads ?? []))
  return {
    legacy, table, columns, reads, jsonFields: new Set(jsonFields),
    converters: Object.values(converters),
  }
}

/** Declares which legacy fields a converter reads (for the ignored-fields report). */
function reading(fields: string[], convert: Convert): Convert & { reads: string[] } {
  return Object.assign(convert, { reads: fields })
}

/** A converter whose null becomes `fallback` (a NOT NULL column with a default). */
function withDefault(convert: Convert & { reads?: string[] }, fallback: unknown): Convert {
  return reading(convert.reads ?? [], (f) => convert(f) ?? fallback)
}

function textOf(value: unknown, field: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new LegacyValueError(`${field} must be text, got ${JSON.stringify(value)}`)
}

function nullable<T>(value: unknown, convert: (value: unknown) => T): T | null {
  return value === null || value === undefined ? null : convert(value)
}

function text(field: string): Convert {
  return reading([field], (f) => {
    if (f[field] === undefined || f[field] === null) {
      throw new LegacyValueError(`${field} is missing`)
    }
    return textOf(f[field], field)
  })
}

function optionalText(field: string): Convert {
  return reading([field], (f) => nullable(f[field], (value) => textOf(value, field)))
}

function plain(field: string): Convert {
  return reading([field], (f) => f[field] ?? null)
}

function firstOf(...fields: string[]): Convert {
  return reading(fields, (f) => fields.map((field) => f[field]).find((v) => v != null) ?? null)
}

/** Float money (0.1 + 0.2 noise) rounded to the cent; a Prisma Decimal string kept exact. */
function money(field: string): Convert {
  return reading([field], (f) => nullable(f[field], (value) => {
    if (typeof value === 'number' && Number.isFinite(value)) {
      return centsToDecimal(roundFloatToCents(value))
    }
    if (typeof value === 'string') {
      try {
        return centsToDecimal(toCents(value))
      } catch {
        // Reported below with the field's name.
      }
    }
    throw new LegacyValueError(`${field} is not an amount of money: ${JSON.stringify(value)}`)
  }))
}

/** A JSON field (the transcript) stays JSON; a string holding JSON is parsed first. */
function jsonValue(field: string): Convert {
  return reading([field], (f) => nullable(f[field], (value) => {
    if (typeof value !== 'string') return JSON.stringify(value)
    try {
      return JSON.stringify(JSON.parse(value))
    } catch {
      throw new LegacyValueError(`${field} holds text that is not JSON`)
    }
  }))
}

/**
 * The legacy `isCalled` already held call status text ("completed"); very old rows held a
 * boolean. Either becomes our call status.
 */
function callStatus(value: unknown): string {
  if (value === null || value === undefined || value === false) return 'pending'
  if (value === true) return 'completed'

  const status = String(value).toLowerCase().replaceAll('_', '-')
  if (!(callStatuses as readonly string[]).includes(status)) {
    throw new LegacyValueError(`isCalled ${JSON.stringify(value)} is not a call status`)
  }
  return status
}
