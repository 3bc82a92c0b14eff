import { eq, sql } from 'drizzle-orm'
import type { Database, Transaction } from '../db/client'
import { products } from '../db/schema'
import { conflict, invalid, notFound } from '../shared/errors'
import { type Actor, assertManager } from './access'
import { changedFields, recordHistory } from './history'
import { catalogueValues } from './input'
import type { ProductView, UpdateProductInput } from './schemas'
import { productColumns, type ProductViewRow, toProductView } from './view'

/**
 * Changes the given fields of a product its caller manages. The row is locked for the
 * transaction, so concurrent edits apply one after the other and each history row's old
 * value is what the previous edit left. Fields sent with their current value write nothing.
 */
export async function updateProduct(
  db: Database,
  actor: Actor,
  productId: string,
  input: UpdateProductInput,
): Promise<ProductView> {
  const { editReason, ...fields } = input
  const requested = catalogueValues(fields)
  if (Object.keys(requested).length === 0) {
    throw invalid('body', 'send at least one field to change')
  }

  return db.transaction(async (tx) => {
    const current = await lockProduct(tx, productId)
    assertManager(actor, current)
    if (current.archivedAt !== null) {
      throw conflict('An archived product cannot be edited; restore it first')
    }

    const changes = changedFields(current, requested)
    if (changes.length === 0) return toProductView(current)

    const changed = Object.fromEntries(
      changes.map(({ field }) => [field, requested[field as keyof typeof requested]]),
    )
    const [row] = await tx
      .update(products)
      .set({ ...changed, updatedAt: sql`clock_timestamp()` })
      .where(eq(products.id, productId))
      .returning(productColumns)

    await recordHistory(tx, {
      productId, editedBy: actor.id, editType: 'UPDATE', editReason, changes,
    })
    return toProductView(row!)
  })
}

/** Reads a product and holds its row lock until the transaction ends; 404 when unknown. */
export async function lockProduct(tx: Transaction, productId: string): Promise<ProductViewRow> {
  const [row] = await tx
    .select(productColumns)
    .from(products)
    .where(eq(products.id, productId))
    .for('update')
  if (!row) throw notFound('Product')
  return row
}
