import type { Database } from '../db/client'
import { products } from '../db/schema'
import { AppError, conflict } from '../shared/errors'
import type { Actor } from './access'
import { createdFields, recordHistory } from './history'
import { catalogueValues } from './input'
import { type CreateProductInput, datasetFieldNames, type ProductView } from './schemas'
import { productColumns, toProductView } from './view'

/**
 * Creates a product owned by the caller and records one CREATE history row per field it was
 * given, in one transaction. Dataset fields are research figures: only admins set them.
 */
export async function createProduct(
  db: Database,
  actor: Actor,
  input: CreateProductInput,
): Promise<ProductView> {
  const { name, description, price, stock, category, images, ...dataset } = input
  const catalogue = catalogueValues({ name, description, price, stock, category, images })
  refuseDatasetUnlessAdmin(actor, dataset)

  const values = {
    ...catalogue,
    ...dataset,
    name: catalogue.name!,
    price: catalogue.price!,
    stock,
    category: catalogue.category!,
    sellerId: actor.id,
  }

  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(products).values(values).returning(productColumns)
      await recordHistory(tx, {
        productId: row!.id,
        editedBy: actor.id,
        editType: 'CREATE',
        changes: createdFields({ ...catalogue, ...dataset }),
      })
      return toProductView(row!)
    })
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('A product with this originalProductId exists', [
        { field: 'originalProductId', message: 'is taken' },
      ])
    }
    throw error
  }
}

function refuseDatasetUnlessAdmin(actor: Actor, dataset: Record<string, unknown>): void {
  if (actor.role === 'admin') return

  const given = datasetFieldNames.filter((field) => dataset[field] !== undefined)
  if (given.length === 0) return
  throw new AppError(
    'FORBIDDEN',
    'Only an admin may set the research dataset\'s fields',
    given.map((field) => ({ field, message: 'needs the admin role' })),
  )
}

/** True for PostgreSQL's unique_violation, whichever driver or wrapper raised it. */
function isUniqueViolation(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if ((current as { code?: unknown }).code === '23505') return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
