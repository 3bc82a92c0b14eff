import { eq, sql, type SQL } from 'drizzle-orm'
import type { Database, Transaction } from '../db/client'
import { products } from '../db/schema'
import { conflict } from '../shared/errors'
import { type Actor, assertManager } from './access'
import { recordHistory } from './history'
import type { ProductView } from './schemas'
import { lockProduct } from './update'
import { productColumns, toProductView } from './view'

/**
 * Archives a product (the soft delete): it leaves the catalogue, orders keep pointing at it.
 * Archiving twice is a 409, so a client learns its delete did not happen now.
 */
export async function archiveProduct(
  db: Database,
  actor: Actor,
  productId: string,
): Promise<ProductView> {
  return db.transaction(async (tx) => {
    const current = await lockProduct(tx, productId)
    assertManager(actor, current)
    if (current.archivedAt !== null) throw conflict('The product is already archived')

    const row = await setArchivedAt(tx, productId, sql`clock_timestamp()`)
    await recordHistory(tx, {
      productId,
      editedBy: actor.id,
      editType: 'DELETE',
      changes: [{ field: 'archivedAt', oldValue: null, newValue: row.archivedAt!.toISOString() }],
    })
    return toProductView(row)
  })
}

/** Brings an archived product back into the catalogue; the route admits admins only. */
export async function restoreProduct(
  db: Database,
  actor: Actor,
  productId: string,
): Promise<ProductView> {
  return db.transaction(async (tx) => {
    const current = await lockProduct(tx, productId)
    if (current.archivedAt === null) throw conflict('The product is not archived')

    const row = await setArchivedAt(tx, productId, null)
    await recordHistory(tx, {
      productId,
      editedBy: actor.id,
      editType: 'RESTORE',
      changes: [
        { field: 'archivedAt', oldValue: current.archivedAt.toISOString(), newValue: null },
      ],
    })
    return toProductView(row)
  })
}

async function setArchivedAt(tx: Transaction, productId: string, archivedAt: SQL | null) {
  const [row] = await tx
    .update(products)
    .set({ archivedAt, updatedAt: sql`clock_timestamp()` })
    .where(eq(products.id, productId))
    .returning(productColumns)
  return row!
}
