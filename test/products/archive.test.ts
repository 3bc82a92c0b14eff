import { describe, expect, test } from 'bun:test'
import { call, createAccount, signToken } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import { archive, createProduct, historyRows, productRow } from './support'

const ctx = useTestContext()
const seller = useAccount(ctx, 'seller')
const admin = useAccount(ctx, 'admin')

const remove = (id: string, token?: string) => call(ctx, 'DELETE', `/api/products/${id}`, { token })
const restore = (id: string, token?: string) =>
  call(ctx, 'POST', `/api/products/${id}/restore`, { token })

describe('DELETE /api/products/:id', () => {
  test('the owner archives: the product leaves the catalogue, a DELETE row', async () => {
    const product = await createProduct(ctx, seller)
    const res = await remove(product.id, seller.token)

    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: product.id, archived: true })
    expect(res.body.archivedAt).toMatch(/Z$/)
    expect((await productRow(ctx, product.id))!.archivedAt).not.toBeNull()

    const listed = await call(ctx, 'GET', `/api/products?category=${product.category}`)
    expect(listed.body.data).toEqual([])
    expect((await call(ctx, 'GET', `/api/products/${product.id}`)).status).toBe(404)

    const rows = (await historyRows(ctx, product.id)).filter((row) => row.editType === 'DELETE')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      fieldChanged: 'archivedAt', oldValue: null, editedBy: seller.id,
    })
    expect(rows[0]!.newValue).toBe(res.body.archivedAt)
  })

  test('archiving twice → 409 and no second history row', async () => {
    const product = await createProduct(ctx, seller)
    await archive(ctx, seller, product.id)
    const again = await remove(product.id, seller.token)

    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('CONFLICT')
    const deletes = (await historyRows(ctx, product.id)).filter((r) => r.editType === 'DELETE')
    expect(deletes).toHaveLength(1)
  })

  test('an admin may archive any product', async () => {
    const product = await createProduct(ctx, seller)
    expect((await remove(product.id, admin.token)).status).toBe(200)
  })

  test('another seller or a customer → 403, and the product stays', async () => {
    const product = await createProduct(ctx, seller)
    const other = await createAccount(ctx, 'seller')
    const customer = await createAccount(ctx, 'customer')

    expect((await remove(product.id, other.token)).status).toBe(403)
    expect((await remove(product.id, customer.token)).status).toBe(403)
    expect((await productRow(ctx, product.id))!.archivedAt).toBeNull()
  })

  test('no token or a forged one → 401; unknown → 404; malformed id → 400', async () => {
    const product = await createProduct(ctx, seller)
    const forged = await signToken(admin.id, { secret: 'forged-forged-forged-forged-00000' })

    expect((await remove(product.id)).status).toBe(401)
    expect((await remove(product.id, forged)).status).toBe(401)
    expect((await remove(crypto.randomUUID(), seller.token)).status).toBe(404)
    expect((await remove('abc', seller.token)).status).toBe(400)
  })
})

describe('POST /api/products/:id/restore', () => {
  test('an admin restores: back in the catalogue, a RESTORE row is written', async () => {
    const product = await createProduct(ctx, seller)
    const archived = await archive(ctx, seller, product.id)
    const res = await restore(product.id, admin.token)

    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ archived: false, archivedAt: null })
    expect((await call(ctx, 'GET', `/api/products/${product.id}`)).status).toBe(200)

    const rows = (await historyRows(ctx, product.id)).filter((r) => r.editType === 'RESTORE')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      fieldChanged: 'archivedAt', oldValue: archived.archivedAt, newValue: null, editedBy: admin.id,
    })
  })

  test('restoring a product that is not archived → 409', async () => {
    const product = await createProduct(ctx, seller)
    const res = await restore(product.id, admin.token)
    expect(res.status).toBe(409)
    expect((await historyRows(ctx, product.id)).some((r) => r.editType === 'RESTORE')).toBe(false)
  })

  test('the owning seller may not restore → 403; no token → 401; unknown → 404', async () => {
    const product = await createProduct(ctx, seller)
    await archive(ctx, seller, product.id)

    expect((await restore(product.id, seller.token)).status).toBe(403)
    expect((await restore(product.id)).status).toBe(401)
    expect((await restore(crypto.randomUUID(), admin.token)).status).toBe(404)
    expect((await productRow(ctx, product.id))!.archivedAt).not.toBeNull()
  })
})
