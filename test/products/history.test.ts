import { describe, expect, test } from 'bun:test'
import { call, createAccount, signToken } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import { archive, createProduct } from './support'

const ctx = useTestContext()
const seller = useAccount(ctx, 'seller', { name: 'History Seller' })
const admin = useAccount(ctx, 'admin', { name: 'History Admin' })

const history = (id: string, token?: string, query = '') =>
  call(ctx, 'GET', `/api/products/${id}/history${query}`, { token })

describe('GET /api/products/:id/history', () => {
  test('the owner reads it newest first, each row with its editor', async () => {
    const product = await createProduct(ctx, seller)
    await call(ctx, 'PUT', `/api/products/${product.id}`, {
      token: admin.token, body: { stock: 9, editReason: 'Recount' },
    })

    const res = await history(product.id, seller.token)
    expect(res.status).toBe(200)
    expect(res.body.pagination).toEqual({ page: 1, perPage: 20, total: 5, totalPages: 1 })

    const [newest, ...older] = res.body.data
    expect(newest).toMatchObject({
      productId: product.id,
      editType: 'UPDATE',
      fieldChanged: 'stock',
      oldValue: '5',
      newValue: '9',
      editReason: 'Recount',
      editor: { id: admin.id, name: 'History Admin' },
    })
    expect(newest.createdAt).toMatch(/Z$/)
    expect(older.every((row: { editType: string }) => row.editType === 'CREATE')).toBe(true)
    expect(older[0].editor).toEqual({ id: seller.id, name: 'History Seller' })
  })

  test('pages with page/perPage', async () => {
    const product = await createProduct(ctx, seller)
    const res = await history(product.id, admin.token, '?perPage=2&page=2')
    expect(res.status).toBe(200)
    expect(res.body.data).toHaveLength(2)
    expect(res.body.pagination).toEqual({ page: 2, perPage: 2, total: 4, totalPages: 2 })

    expect((await history(product.id, admin.token, '?page=0')).status).toBe(400)
    expect((await history(product.id, admin.token, '?perPage=0x10')).status).toBe(400)
  })

  test('admins read any product\'s history, archived ones too', async () => {
    const product = await createProduct(ctx, seller)
    await archive(ctx, seller, product.id)
    const res = await history(product.id, admin.token)
    expect(res.status).toBe(200)
    expect(res.body.data[0].editType).toBe('DELETE')
  })

  test('another seller or a customer → 403; for an archived product → 404', async () => {
    const product = await createProduct(ctx, seller)
    const other = await createAccount(ctx, 'seller')
    const customer = await createAccount(ctx, 'customer')

    expect((await history(product.id, other.token)).status).toBe(403)
    expect((await history(product.id, customer.token)).status).toBe(403)

    await archive(ctx, seller, product.id)
    expect((await history(product.id, other.token)).status).toBe(404)
  })

  test('no token or an expired one → 401; unknown → 404; malformed id → 400', async () => {
    const product = await createProduct(ctx, seller)
    const expired = await signToken(seller.id, { expiresInSeconds: -5 })

    expect((await history(product.id)).status).toBe(401)
    expect((await history(product.id, expired)).status).toBe(401)
    expect((await history(crypto.randomUUID(), seller.token)).status).toBe(404)
    expect((await history('nope', seller.token)).status).toBe(400)
  })
})
