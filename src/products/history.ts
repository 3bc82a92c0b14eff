import { count, desc, eq, getTableColumns, sql } from 'drizzle-orm'
import type { Database, Transaction } from '../db/client'
import { productEditHistory, products, users } from '../db/schema'
import type { PageRequest } from '../http/pagination'
import { paginationOf } from '../http/pagination'
import { notFound } from '../shared/errors'
import { centsToDecimal, toCents } from '../shared/money'
import { type Actor, assertManager } from './access'
import type { HistoryEntry } from './schemas'

export type EditType = 'CREATE' | 'UPDATE' | 'DELETE' | 'RESTORE'

/** One field's change, values already in their stored text form. */
export interface FieldChange {
  field: string
  oldValue: string | null
  newValue: string | null
}

/**
 * A field's value as the history stores it: money as "19.99", lists as JSON, numbers and
 * booleans as their JSON text, absent as null.
 */
export function valueText(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (field === 'price') return centsToDecimal(toCents(value as string | number))
  if (typeof value === 'string') return value
  if (value instanceof Date) return value.toISOString()
  return JSON.stringify(value)
}

/** A CREATE entry for every field the new product was given. */
export function createdFields(input: object): FieldChange[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => ({ field, oldValue: null, newValue: valueText(field, value) }))
}

/** The fields whose stored text really differs between the current row and the request. */
export function changedFields(current: object, requested: object): FieldChange[] {
  const before = current as Record<string, unknown>
  const changes: FieldChange[] = []
  for (const [field, value] of Object.entries(requested)) {
    if (value === undefined) continue

    const oldValue = valueText(field, before[field])
    const newValue = valueText(field, value)
    if (oldValue !== newValue) changes.push({ field, oldValue, newValue })
  }
  return changes
}

export interface HistoryRecord {
  productId: string
  editedBy: string
  editType: EditType
  editReason?: string
  changes: FieldChange[]
}

/**
 * Writes one history row per change inside the caller's transaction. The time is the
 * statement's clock, not the transaction's start: edits that waited for the row lock are
 * stamped after the edit they waited for, so the history reads in the order edits applied.
 */
export async function recordHistory(tx: Transaction, record: HistoryRecord): Promise<void> {
  if (record.changes.length === 0) return

  await tx.insert(productEditHistory).values(record.changes.map((change) => ({
    productId: record.productId,
    editedBy: record.editedBy,
    editType: record.editType,
    editReason: record.editReason ?? null,
    fieldChanged: change.field,
    oldValue: change.oldValue,
    newValue: change.newValue,
    createdAt: sql`clock_timestamp()`,
  })))
}

/** A product's edit history, newest first; only its seller and admins may read it. */
export async function listProductHistory(
  db: Database,
  actor: Actor,
  productId: string,
  page: PageRequest,
) {
  const [product] = await db
    .select({ sellerId: products.sellerId, archivedAt: products.archivedAt })
    .from(products)
    .where(eq(products.id, productId))
  if (!product) throw notFound('Product')
  assertManager(actor, product)

  const forProduct = eq(productEditHistory.productId, productId)
  const [rows, [counted]] = await Promise.all([
    db
      .select({ ...getTableColumns(productEditHistory), editorName: users.name })
      .from(productEditHistory)
      .leftJoin(users, eq(users.id, productEditHistory.editedBy))
      .where(forProduct)
      .orderBy(desc(productEditHistory.createdAt), desc(productEditHistory.id))
      .limit(page.perPage)
      .offset(page.offset),
    db.select({ total: count() }).from(productEditHistory).where(forProduct),
  ])

  return { data: rows.map(toHistoryEntry), pagination: paginationOf(page, counted?.total ?? 0) }
}

type HistoryRow = typeof productEditHistory.$inferSelect & { editorName: string | null }

function toHistoryEntry(row: HistoryRow): HistoryEntry {
  return {
    id: row.id,
    productId: row.productId,
    editType: row.editType,
    fieldChanged: row.fieldChanged,
    oldValue: row.oldValue,
    newValue: row.newValue,
    editReason: row.editReason,
    editor: row.editedBy && row.editorName !== null
      ? { id: row.editedBy, name: row.editorName }
      : null,
    createdAt: row.createdAt.toISOString(),
  }
}
