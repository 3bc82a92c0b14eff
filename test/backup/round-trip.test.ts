import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { FORMAT_NAME, FORMAT_VERSION } from '../../src/backup/format'
import { currentSchemaVersion } from '../../src/backup/schema-version'
import { backupTables } from '../../src/backup/tables'
import {
  backupTo, createScratch, drivers, dumpAll, queryColumn, restoreFrom, tempDir, type Scratch,
} from './support'
import { seedTrickyData } from './tricky-data'

for (const driver of drivers) {
  describe(`round trip on ${driver}`, () => {
    let source: Scratch
    let target: Scratch
    let dir: Awaited<ReturnType<typeof tempDir>>
    let seeded: Record<string, number>

    beforeAll(async () => {
      dir = await tempDir()
      source = await createScratch(driver)
      target = await createScratch(driver)
      seeded = await seedTrickyData(source.database)
    })

    afterAll(async () => {
      await Promise.all([source.drop(), target.drop()])
      await dir.remove()
    })

    test('every table and every awkward value comes back exactly, into an empty database',
      async () => {
        const file = join(dir.path, 'plain.ndjson')
        const written = await backupTo(source.database, file)
        const expected = Object.fromEntries(backupTables.map((t) => [t.name, seeded[t.name]!]))
        expect(written.rows).toEqual(expected)

        const restored = await restoreFrom(target.database, file)
        expect(restored).toMatchObject({ format: 'ndjson', committed: true, rows: written.rows })

        const before = await dumpAll(source.database)
        const after = await dumpAll(target.database)
        for (const table of backupTables) {
          expect(after[table.name]!.length).toBeGreaterThan(0)
          expect(after[table.name]).toEqual(before[table.name]!)
        }
      })

    test('the restore leaves every index and constraint as the migrations made them', async () => {
      const schema = (scratch: Scratch) => queryColumn<string>(scratch.database, `
        select definition from (
          select indexdef as definition from pg_indexes where schemaname = current_schema()
          union all
          select conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
          from pg_constraint where connamespace = current_schema()::regnamespace
        ) d order by 1`)
      const restored = await schema(target)
      expect(restored.length).toBeGreaterThan(20)
      expect(restored).toEqual(await schema(source))
    })

    test('sequences continue after the largest restored id', async () => {
      const [next] = await queryColumn<string>(target.database,
        `select nextval(pg_get_serial_sequence('jobs', 'id'))::text`)
      expect(next).toBe('1001')
    })

    test('the gzipped backup holds the same lines and restores the same rows', async () => {
      const plain = join(dir.path, 'again.ndjson')
      const zipped = join(dir.path, 'again.ndjson.gz')
      await backupTo(source.database, plain)
      await backupTo(source.database, zipped, true)

      const text = await readFile(plain, 'utf8')
      const unzipped = gunzipSync(await readFile(zipped)).toString('utf8')
      // Only the creation time in the header (and so the checksum) differs.
      expect(unzipped.split('\n').slice(1, -2)).toEqual(text.split('\n').slice(1, -2))

      await restoreFrom(target.database, zipped)
      expect(await dumpAll(target.database)).toEqual(await dumpAll(source.database))
    })

    test('the file is the documented format: header, table lines, rows, summary', async () => {
      const file = join(dir.path, 'format.ndjson')
      const result = await backupTo(source.database, file)
      const lines = (await readFile(file, 'utf8')).split('\n')
      expect(lines.at(-1)).toBe('')

      const header = JSON.parse(lines[0]!)
      expect(header).toMatchObject({
        format: FORMAT_NAME, version: FORMAT_VERSION, schemaVersion: currentSchemaVersion(),
      })
      expect(header.tables.map((t: { name: string }) => t.name))
        .toEqual(backupTables.map((t) => t.name))
      expect(Number.isNaN(Date.parse(header.createdAt))).toBe(false)

      const footer = JSON.parse(lines.at(-2)!)
      expect(footer).toEqual({ end: true, rows: result.rows, sha256: result.sha256 })
      const hashed = lines.slice(0, -2).join('\n') + '\n'
      expect(new Bun.CryptoHasher('sha256').update(hashed).digest('hex')).toBe(result.sha256)

      const markers = lines.filter((line) => line.startsWith('{"table":'))
      expect(markers.map((line) => JSON.parse(line).table))
        .toEqual(header.tables.map((t: { name: string }) => t.name))
    })

    test('parents come before children in the file (the foreign keys decide)', () => {
      const order = backupTables.map((table) => table.name)
      for (const table of backupTables) {
        for (const parent of table.parents) {
          expect(order.indexOf(parent)).toBeLessThan(order.indexOf(table.name))
        }
      }
      expect(order).toEqual(expect.arrayContaining([
        'users', 'products', 'product_edit_history', 'product_review_insights', 'reviews',
        'orders', 'order_items', 'return_requests', 'jobs', 'call_events',
      ]))
    })

    test('numbers and jsonb keep every digit; SQL NULL stays apart from JSON null', async () => {
      const rows = await queryColumn<string>(target.database, `
        select concat_ws('|', insights::text, (select ai_analysis is null from return_requests
          where refund_amount is null), (select ai_analysis::text from return_requests
          where refund_amount = 0))
        from product_review_insights order by sample_size`)
      expect(rows[0]).toBe('null|t|null')
      expect(rows[1]).toContain('12345678901234567890')
      expect(rows[1]).toContain('0.1000')

      const prices = await queryColumn<string>(target.database,
        `select price::text from products where price > 1000000`)
      expect(prices).toEqual(expect.arrayContaining(['9999999999.99']))
    })
  })
}
