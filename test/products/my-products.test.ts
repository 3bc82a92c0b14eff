import { describe, expect, test } from 'bun:test'
import { call, createAccount } from '../support/harness'
import { useAccount, useTestContext } from '../support/suite'
import { archive, createProduct } from './support'

const ctx = useTestContext()
const seller = useAccount(ctx, 'seller')

const mine = (token?: string, query = '') =>
  call(ctx, 'GET', `/api/products/seller/my-products${query}`, { token })

describe('GET /api/products/seller/my-products', () => {
  test('lists the caller\'s products, newest first, archived ones flagged', async () => {
    const first = await createProduct(ctx, seller)
    const second = await createProduct(ctx, seller)
    await archive(ctx, seller, first.id)
    const other = await createAccount(ctx, 'seller')
    await createProduct(ctx, other)

    const res = await mine(seller.token)
    expect(res.status).toBe(200)
    expect(res.body.pagination).toEqual({ page: 1, perPage: 20, total: 2, totalPages: 1 })
    expect(res.body.data.map((p: { id: string; archived: boolean }) => [p.id, p.archived]))
      .toEqual([[second.id, false], [first.id, true]])
    expect(res.body.data[1].archivedAt).toMatch(/Z$/)
  })

  test('pages with page/perPage and refuses bad numbers', async () => {
    const owner = await createAccount(ctx, 'seller')
    for (let i = 0; i < 3; i += 1) await createProduct(ctx, owner)

    const res = await mine(owner.token, '?perPage=2&page=2')
    expect(res.body.data).toHaveLength(1)
    expect(res.body.pagination).toEqual({ page: 2, perPage: 2, total: 3, totalPages: 2 })
    expect((await mine(owner.token, '?page=-1')).status).toBe(400)
  })

  test('regression: the static path is not taken for a product id', async () => {
    const res = await mine(seller.token)
    expect(res.status).toBe(200)
    expect(res.body.error).toBeUndefined()
  })

  test('a customer → 403; no token → 401', async () => {
    const customer = await createAccount(ctx, 'customer')
    expect((await mine(customer.token)).status).toBe(403)
    expect((await mine()).status).toBe(401)
  })
})
