import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { join } from 'node:path'
import { writeBackup } from '../../src/backup/backup'
import { openBackupOutput } from '../../src/backup/output'
import type { Database } from '../../src/db/client'
import { orderItems, orders, products, reviews, users } from '../../src/db/schema'
import {
  createScratch, drivers, queryColumn, restoreFrom, tempDir, type Scratch,
} from './support'

/** An order and its item, written in one transaction. */
async function placeOrder(db: Database, userId: string, productId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [order] = await tx.insert(orders).values({
      orderNumber: `ORD-${crypto.randomUUID()}`, userId, shippingAddress: '1 Main St',
      city: 'Springfield', state: 'IL', zipCode: '62701', firstName: 'Ana', lastName: 'Lee',
      email: 'ana@example.com', subtotal: '10.00', tax: '1.00', shipping: '0.00', total: '11.00',
    }).returning({ id: orders.id })
    await tx.insert(orderItems).values({
      orderId: order!.id, productId, quantity: 1, price: '10.00', total: '10.00',
    })
  })
}

/** A review and the product's live statistics, written in one transaction. */
async function addReview(db: Database, productId: string, rating: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(reviews).values({ productId, reviewerId: 'R-concurrent', reviewRating: rating })
    await tx.update(products).set({
      ratingCount: sql`${products.ratingCount} + 1`,
      ratingSum: sql`${products.ratingSum} + ${rating}`,
    }).where(eq(products.id, productId))
  })
}

for (const driver of drivers) {
  describe(`a backup taken while writes run, on ${driver}`, () => {
    let source: Scratch
    let target: Scratch
    let dir: Awaited<ReturnType<typeof tempDir>>
    let customerId: string
    let productId: string

    beforeAll(async () => {
      dir = await tempDir()
      source = await createScratch(driver)
      target = await createScratch(driver)

      const db = source.database.db
      const [seller, customer] = await db.insert(users).values([
        { name: 'Seller', email: 'seller@example.com', passwordHash: 'x', role: 'seller' },
        { name: 'Customer', email: 'customer@example.com', passwordHash: 'x' },
      ]).returning({ id: users.id })
      customerId = customer!.id
      const [product] = await db.insert(products).values({
        name: 'Lamp', price: '10.00', category: 'Home', sellerId: seller!.id, stock: 100,
      }).returning({ id: products.id })
      productId = product!.id
      for (let index = 0; index < 20; index++) {
        await placeOrder(db, customerId, productId)
        await addReview(db, productId, 1 + (index % 5))
      }
    })

    afterAll(async () => {
      await Promise.all([source.drop(), target.drop()])
      await dir.remove()
    })

    test('restores to the state of one instant: no orphan item, exact rating statistics',
      async () => {
        const db = source.database.db
        const writes: Promise<void>[] = []
        // On the embedded database a write waits for the backup's transaction; on PostgreSQL
        // it commits between the tables, where a backup without a snapshot would see it.
        const write = async (work: () => Promise<void>) => {
          if (driver === 'postgres') await work()
          else writes.push(work())
        }
        let running = true
        const background = (async () => {
          while (running) {
            await addReview(db, productId, 5)
            // The embedded database answers in microtasks: let timers and I/O run too.
            await Bun.sleep(1)
          }
        })()

        const file = join(dir.path, 'during-writes.ndjson')
        const result = await writeBackup(source.database, await openBackupOutput(file, {
          gzip: false,
        }), {
          hooks: {
            async onTableStart(table) {
              if (table === 'products') await write(() => placeOrder(db, customerId, productId))
              if (table === 'reviews') await write(() => addReview(db, productId, 3))
            },
          },
        })
        running = false
        await Promise.all([background, ...writes])

        await restoreFrom(target.database, file)
        const [count, sum, reviewCount, reviewSum, orphans, ordersBackedUp] = await queryColumn<
          number
        >(target.database, `
          select unnest(array[
            (select rating_count from products),
            (select rating_sum from products),
            (select count(*)::int from reviews),
            (select coalesce(sum(review_rating), 0)::int from reviews),
            (select count(*)::int from orders o
              where not exists (select 1 from order_items i where i.order_id = o.id)),
            (select count(*)::int from orders)
          ]) as value`)
        expect(count).toBe(reviewCount!)
        expect(sum).toBe(reviewSum!)
        expect(orphans).toBe(0)
        expect(ordersBackedUp).toBe(result.rows.orders!)
        expect(result.rows.order_items).toBe(result.rows.orders!)

        // The writes made during the backup are in the source, not in the backup.
        const [ordersNow] = await queryColumn<number>(source.database,
          'select count(*)::int from orders')
        expect(ordersNow).toBeGreaterThan(ordersBackedUp!)
      })
  })
}
