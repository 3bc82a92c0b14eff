import type { Database } from '../db/client'
import { isUniqueViolation } from '../db/errors'
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
    if (isUniqueViolation(error, 'products_original_product_id_unique')) {
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
