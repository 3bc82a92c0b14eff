import { describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { call, createAccount, signToken } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import { archive, createProduct, historyRows, marker, productRow } from './support'

const ctx = useTestContext()
const seller = useAccount(ctx, 'seller')
const admin = useAccount(ctx, 'admin')

const put = (id: string, body: unknown, token: string | null = seller.token) =>
  call(ctx, 'PUT', `/api/products/${id}`, { body, token: token ?? undefined })

const updates = async (productId: string) =>
  (await historyRows(ctx, productId)).filter((row) => row.editType === 'UPDATE')

describe('PUT /api/products/:id: success', () => {
  test('changes the fields and writes one UPDATE row per changed field', async () => {
    const product = await createProduct(ctx, seller, { price: 19.99, stock: 5 })
    const res = await put(product.id, {
      price: 5, stock: 5, name: 'Renamed lamp', images: ['https://i.example/1.jpg'],
      editReason: 'Spring sale',
    })

    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ price: 5, stock: 5, name: 'Renamed lamp' })
    expect(res.body.updatedAt > product.updatedAt).toBe(true)

    const rows = await updates(product.id)
    const byField = Object.fromEntries(rows.map((row) => [row.fieldChanged, row]))
    expect(Object.keys(byField).sort()).toEqual(['images', 'name', 'price'])
    expect(byField.price)
      .toMatchObject({ oldValue: '19.99', newValue: '5.00', editReason: 'Spring sale' })
    expect(byField.name).toMatchObject({ oldValue: product.name, newValue: 'Renamed lamp' })
    expect(byField.images)
      .toMatchObject({ oldValue: '[]', newValue: '["https://i.example/1.jpg"]' })
    expect(rows.every((row) => row.editedBy === seller.id)).toBe(true)
  })

  test('sending the current values writes no history and answers the product', async () => {
    const product = await createProduct(ctx, seller, { price: 19.99, description: 'same' })
    const res = await put(product.id, { price: 19.99, description: 'same', name: product.name })

    expect(res.status).toBe(200)
    expect(res.body.updatedAt).toBe(product.updatedAt)
    expect(await updates(product.id)).toEqual([])
  })

  test('an admin may edit any product and is recorded as the editor', async () => {
    const product = await createProduct(ctx, seller)
    const res = await put(product.id, { stock: 0 }, admin.token)

    expect(res.status).toBe(200)
    const [row] = await updates(product.id)
    expect(row).toMatchObject({
      fieldChanged: 'stock', oldValue: '5', newValue: '0', editedBy: admin.id,
    })
  })
})

describe('PUT /api/products/:id: refusals', () => {
  test('no field to change → 400 (an edit reason alone is not a change)', async () => {
    const product = await createProduct(ctx, seller)
    for (const body of [{}, { editReason: 'nothing' }]) {
      const res = await put(product.id, body)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
    }
  })

  test('bad values, NUL bytes and extra fields → 400, and nothing changes', async () => {
    const product = await createProduct(ctx, seller)
    const bodies = [
      { price: 1.234 }, { stock: -3 }, { name: 'a\u0000b' }, { name: '' },
      { price: 2, sellerId: admin.id }, { price: 2, archivedAt: null }, { price: 2, role: 'admin' },
      { editReason: 'x'.repeat(501), price: 2 },
    ]
    for (const body of bodies) expect((await put(product.id, body)).status).toBe(400)

    expect((await productRow(ctx, product.id))!.price).toBe('19.99')
    expect(await updates(product.id)).toEqual([])
  })

  test('an unknown product → 404, a malformed id → 400 naming id', async () => {
    expect((await put(crypto.randomUUID(), { stock: 1 })).status).toBe(404)
    const bad = await put('42', { stock: 1 })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details[0].field).toBe('id')
  })

  test('an archived product cannot be edited → 409', async () => {
    const product = await createProduct(ctx, seller)
    await archive(ctx, seller, product.id)
    const res = await put(product.id, { stock: 1 })
    expect(res.status).toBe(409)
    expect(await updates(product.id)).toEqual([])
  })
})

describe('PUT /api/products/:id: security', () => {
  test('another seller → 403, a customer → 403, and nothing changes', async () => {
    const product = await createProduct(ctx, seller)
    const other = await createAccount(ctx, 'seller')
    const customer = await createAccount(ctx, 'customer')

    for (const token of [other.token, customer.token]) {
      const res = await put(product.id, { price: 0.01 }, token)
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('FORBIDDEN')
    }
    expect((await productRow(ctx, product.id))!.price).toBe('19.99')
  })

  test('another seller cannot learn that an archived product exists → 404', async () => {
    const product = await createProduct(ctx, seller)
    await archive(ctx, seller, product.id)
    const other = await createAccount(ctx, 'seller')
    expect((await put(product.id, { stock: 1 }, other.token)).status).toBe(404)
  })

  test('no token, a forged and an expired token → 401', async () => {
    const product = await createProduct(ctx, seller)
    const forged = await signToken(seller.id, { secret: 'guessed-secret-guessed-secret-0000' })
    const expired = await signToken(seller.id, { expiresInSeconds: -1 })
    for (const token of [null, forged, expired]) {
      expect((await put(product.id, { stock: 1 }, token)).status).toBe(401)
    }
  })
})

describe('PUT /api/products/:id: transactions and concurrency', () => {
  test('regression: a failing history insert rolls the product change back too', async () => {
    const product = await createProduct(ctx, seller)
    const poison = marker('poison')
    const name = `fail_history_${poison}`
    const { db } = ctx.database

    // A trigger that fails only for this test's value, so other tests are untouched.
    await db.execute(sql.raw(`create function ${name}() returns trigger language plpgsql as
      $$ begin raise exception 'injected failure'; end $$`))
    await db.execute(sql.raw(`create trigger ${name} before insert on product_edit_history
      for each row when (new.new_value = '${poison}') execute function ${name}()`))
    try {
      const res = await put(product.id, { stock: 77, name: poison })
      expect(res.status).toBe(500)
    } finally {
      await db.execute(sql.raw(`drop trigger ${name} on product_edit_history`))
      await db.execute(sql.raw(`drop function ${name}()`))
    }

    const row = await productRow(ctx, product.id)
    expect({ name: row!.name, stock: row!.stock }).toEqual({ name: product.name, stock: 5 })
    expect(await updates(product.id)).toEqual([])
  })

  test('concurrent edits of one product leave a history whose values chain', async () => {
    const product = await createProduct(ctx, seller, { price: 1 })
    const prices = [2, 3, 4, 5, 6, 7, 8, 9]

    const answers = await Promise.all(prices.map((price) => put(product.id, { price })))
    expect(answers.map((res) => res.status)).toEqual(prices.map(() => 200))

    const rows = (await updates(product.id)).filter((row) => row.fieldChanged === 'price')
    expect(rows).toHaveLength(prices.length)
    let previous = '1.00'
    for (const row of rows) {
      expect(row.oldValue).toBe(previous)
      previous = row.newValue!
    }
    expect((await productRow(ctx, product.id))!.price).toBe(previous)

    const listed = await call(ctx, 'GET', `/api/products/${product.id}/history?perPage=1`, {
      token: seller.token,
    })
    expect(listed.body.data[0].newValue).toBe(previous)
  })
})
