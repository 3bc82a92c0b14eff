import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import { AppError } from '../../src/shared/errors'
import { createLogger } from '../../src/shared/logger'
import { centsToDecimal, roundFloatToCents } from '../../src/shared/money'
import { call, TEST_JWT_SECRET, type TestContext } from '../support/harness'
import {
  createScratch, drivers, dumpAll, queryColumn, restoreFrom, tempDir, type Scratch,
} from './support'

const fixturePath = join(import.meta.dir, '../fixtures/legacy-backup-small.json')

type LegacyArray =
  | 'users' | 'products' | 'reviews' | 'orders' | 'orderItems' | 'returnRequests'
  | 'productEditHistory'

interface Fixture {
  metadata: { totalRecords: Record<LegacyArray, number> }
  data: Record<string, Record<string, any>[]>
}

/** The app over a scratch database, to log in as the imported users. */
function appOver(scratch: Scratch): TestContext {
  const config = loadConfig({
    NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_ADDRESS: '1000', RATE_LIMIT_PER_ACCOUNT: '1000',
  })
  const deps = { config, database: scratch.database, logger: createLogger('silent') }
  return { app: createApp(deps), deps, database: scratch.database, config, close: async () => {} }
}

for (const driver of drivers) {
  describe(`importing the older system's JSON backup on ${driver}`, () => {
    let scratch: Scratch
    let dir: Awaited<ReturnType<typeof tempDir>>
    let fixture: Fixture
    let text: string
    let result: Awaited<ReturnType<typeof restoreFrom>>

    beforeAll(async () => {
      dir = await tempDir()
      scratch = await createScratch(driver)
      text = await readFile(fixturePath, 'utf8')
      fixture = JSON.parse(text)
      result = await restoreFrom(scratch.database, fixturePath)
    })

    afterAll(async () => {
      await scratch.drop()
      await dir.remove()
    })

    const rows = (statement: string) => queryColumn<string>(scratch.database, statement)

    test('every count matches the metadata, and no field went unmapped', () => {
      const totals = fixture.metadata.totalRecords
      expect(result).toMatchObject({ format: 'legacy', committed: true, ignored: [] })
      expect(result.rows).toEqual({
        users: totals.users, products: totals.products, reviews: totals.reviews,
        orders: totals.orders, order_items: totals.orderItems,
        return_requests: totals.returnRequests, product_edit_history: totals.productEditHistory,
      })
    })

    test('every user logs in with legacy-pass-123 through the API (bcrypt hashes kept)',
      async () => {
        const ctx = appOver(scratch)
        for (const user of fixture.data.users!) {
          const res = await call(ctx, 'POST', '/api/users/login', {
            body: { email: user.email, password: 'legacy-pass-123' },
          })
          expect(res.status).toBe(200)
          expect(res.body.user.id).toBe(user.id)
        }
        const wrong = await call(ctx, 'POST', '/api/users/login', {
          body: { email: fixture.data.users![0]!.email, password: 'not-the-password' },
        })
        expect(wrong.status).toBe(401)
      })

    test('roles map: USER and CUSTOMER to customer, SELLER to seller, ADMIN to admin', async () => {
      const roles = await rows(`select email || '=' || role from users order by email`)
      const expected = fixture.data.users!.map((user) => {
        const role = { USER: 'customer', CUSTOMER: 'customer', SELLER: 'seller', ADMIN: 'admin' }
        return `${user.email}=${role[user.role as keyof typeof role]}`
      }).sort()
      expect(roles).toEqual(expected)
    })

    test('float money becomes exact cents', async () => {
      const orders = await rows(`select concat_ws(' ', order_number, subtotal, tax, shipping,
        total) from orders order by order_number`)
      const cents = (value: number) => centsToDecimal(roundFloatToCents(value))
      const expected = fixture.data.orders!.map((order) => [
        order.orderNumber, cents(order.subtotal), cents(order.tax), cents(order.shipping),
        cents(order.total),
      ].join(' ')).sort()
      expect(orders).toEqual(expected)
      expect(expected.join(' ')).toContain('6.00')

      const prices = await rows(`select price::text from products`)
      expect(prices.sort()).toEqual(fixture.data.products!.map((p) => cents(p.price)).sort())
    })

    test('rating statistics are recomputed from the imported reviews', async () => {
      const mismatches = await rows(`select p.id::text from products p
        left join (select product_id, count(*) c, sum(review_rating) s from reviews
          group by product_id) r on r.product_id = p.id
        where p.rating_count <> coalesce(r.c, 0) or p.rating_sum <> coalesce(r.s, 0)`)
      expect(mismatches).toEqual([])
      const total = await rows('select sum(rating_count)::text from products')
      expect(total).toEqual([String(fixture.data.reviews!.length)])
    })

    test('reviewers without accounts stay reviewer ids; one with an account is linked',
      async () => {
        const userIds = new Set(fixture.data.users!.map((user) => user.id))
        const linked = await rows(`select reviewer_id || '>' || coalesce(user_id::text, '-')
          from reviews order by 1`)
        for (const entry of linked) {
          const [reviewer, user] = entry.split('>')
          expect(user).toBe(userIds.has(reviewer!) ? reviewer! : '-')
        }
        expect(linked.some((entry) => !entry.endsWith('>-'))).toBe(true)
      })

    test('text survives: quotes, backslashes, tabs, newlines, emoji, CJK, IPv6', async () => {
      const bodies = new Set(await rows('select review_body from reviews'))
      for (const review of fixture.data.reviews!) expect(bodies.has(review.reviewBody)).toBe(true)
      const addresses = await rows('select distinct coalesce(ip_address, \'-\') from reviews')
      expect(addresses).toEqual(expect.arrayContaining(['-', '2001:db8::1', '127.0.0.1']))
    })

    test('the call transcript stays JSON and isCalled becomes the call status', async () => {
      const [request] = fixture.data.returnRequests!
      const [transcript] = await rows(`select transcript::text from return_requests`)
      expect(JSON.parse(transcript!)).toEqual(request!.transcript)
      expect(await rows('select is_called from return_requests')).toEqual([request!.isCalled])
    })

    test('a count that disagrees with the metadata keeps nothing', async () => {
      const before = await dumpAll(scratch.database)
      const changed = text.replace('"reviews": 40', '"reviews": 41')
      const file = join(dir.path, 'count.json')
      await writeFile(file, changed)
      const error = await restoreFrom(scratch.database, file).catch((e) => e)
      expect(error).toBeInstanceOf(AppError)
      expect(error.message).toContain('(table reviews)')
      expect(error.message).toContain('metadata.totalRecords.reviews says 41, the file holds 40')
      expect(await dumpAll(scratch.database)).toEqual(before)
    })

    test('a bad value names its line and table; a cut-off file is refused', async () => {
      const before = await dumpAll(scratch.database)
      const lines = text.split('\n')
      const roleLine = lines.findIndex((line) => line.includes('"role": "USER"'))
      lines[roleLine] = lines[roleLine]!.replace('USER', 'WIZARD')
      const badRole = join(dir.path, 'role.json')
      await writeFile(badRole, lines.join('\n'))
      const error = await restoreFrom(scratch.database, badRole).catch((e) => e)
      expect(error.message).toMatch(/role\.json:\d+ \(table users\): unknown role "WIZARD"/)

      const cut = join(dir.path, 'cut.json')
      await writeFile(cut, text.slice(0, Math.floor(text.length / 2)))
      const cutError = await restoreFrom(scratch.database, cut).catch((e) => e)
      expect(cutError.message).toContain('cut off')
      expect(await dumpAll(scratch.database)).toEqual(before)
    })

    test('a dry run imports and checks everything, then keeps nothing', async () => {
      const before = await dumpAll(scratch.database)
      const dry = await restoreFrom(scratch.database, fixturePath, { dryRun: true })
      expect(dry.committed).toBe(false)
      expect(dry.rows.reviews).toBe(40)
      expect(await dumpAll(scratch.database)).toEqual(before)
    })
  })
}
