import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { AppError } from '../../src/shared/errors'
import {
  backupTo, createScratch, drivers, dumpAll, execute, queryColumn, restoreFrom, tempDir,
  type Scratch,
} from './support'
import { seedTrickyData } from './tricky-data'

/**
 * Each damaged backup must be refused with the file, the line and the table named, and leave
 * the database exactly as it was, with its connection usable afterwards.
 */
for (const driver of drivers) {
  describe(`a damaged backup changes nothing on ${driver}`, () => {
    let source: Scratch
    let target: Scratch
    let dir: Awaited<ReturnType<typeof tempDir>>
    let lines: string[]
    let before: Record<string, string[]>

    /** Line numbers (1-based) of the reviews section's first and second rows. */
    let firstReview: number

    beforeAll(async () => {
      dir = await tempDir()
      source = await createScratch(driver)
      target = await createScratch(driver)
      await seedTrickyData(source.database)

      const good = join(dir.path, 'good.ndjson')
      await backupTo(source.database, good)
      lines = (await readFile(good, 'utf8')).split('\n')
      firstReview = lines.indexOf('{"table":"reviews"}') + 2

      // The target holds data of its own, which a failed restore must not touch.
      await seedTrickyData(target.database)
      before = await dumpAll(target.database)
    })

    afterAll(async () => {
      await Promise.all([source.drop(), target.drop()])
      await dir.remove()
    })

    /** Writes `content` to a file, restores it, and returns the refusal. */
    async function refusal(name: string, content: string | Uint8Array): Promise<AppError> {
      const file = join(dir.path, name)
      await writeFile(file, content)
      const error = await restoreFrom(target.database, file).then(() => undefined, (e) => e)
      expect(error).toBeInstanceOf(AppError)
      expect(await dumpAll(target.database)).toEqual(before)
      await expectUsableConnection(target)
      return error as AppError
    }

    const withLine = (index: number, line: string) =>
      lines.map((text, at) => (at === index - 1 ? line : text)).join('\n')

    test('a file cut in the middle of a line', async () => {
      const text = lines.join('\n')
      const cut = text.indexOf('\n', text.indexOf(lines[firstReview]!)) - 10
      const error = await refusal('half-line.ndjson', text.slice(0, cut))
      expect(error.message).toContain(`half-line.ndjson:${firstReview + 1} (table reviews)`)
      expect(error.message).toContain('cut off')
    })

    test('a file cut at a line boundary (the summary line is missing)', async () => {
      const error = await refusal('no-summary.ndjson', lines.slice(0, -2).join('\n') + '\n')
      expect(error.message).toContain(`no-summary.ndjson:${lines.length - 2}`)
      expect(error.message).toContain('without its summary line')
    })

    test('a truncated gzip file', async () => {
      const zipped = gzipSync(lines.join('\n'))
      const error = await refusal('cut.ndjson.gz', zipped.subarray(0, zipped.length - 40))
      expect(error.message).toMatch(/cut\.ndjson\.gz:\d+/)
    })

    test('invalid UTF-8 in a row', async () => {
      const bytes = Buffer.from(lines.join('\n'))
      const at = bytes.indexOf(Buffer.from(lines[firstReview]!)) + 5
      bytes[at] = 0xff
      const error = await refusal('utf8.ndjson', bytes)
      expect(error.message).toContain(`utf8.ndjson:${firstReview + 1} (table reviews)`)
      expect(error.message).toContain('not valid UTF-8')
    })

    test('a line that is not JSON', async () => {
      const error = await refusal('json.ndjson', withLine(firstReview + 1, '["oops", '))
      expect(error.message).toContain(`json.ndjson:${firstReview + 1} (table reviews)`)
      expect(error.message).toContain('invalid JSON')
    })

    test('a row of the wrong shape', async () => {
      const error = await refusal('shape.ndjson', withLine(firstReview + 1, '[1, 2, 3]'))
      expect(error.message).toContain(`shape.ndjson:${firstReview + 1} (table reviews)`)
      expect(error.message).toContain('must have 17 values')
    })

    test('a value of the wrong type (an object where text belongs)', async () => {
      const row = JSON.parse(lines[firstReview]!) as unknown[]
      row[2] = { not: 'text' }
      const error = await refusal('type.ndjson', withLine(firstReview + 1, JSON.stringify(row)))
      expect(error.message).toContain(`type.ndjson:${firstReview + 1} (table reviews)`)
      expect(error.message).toContain('column reviewer_id must be a string')
    })

    test('a line longer than the limit', async () => {
      const huge = `["${'x'.repeat(9 * 1024 * 1024)}"]`
      const error = await refusal('huge.ndjson', withLine(firstReview + 1, huge))
      expect(error.message).toContain(`huge.ndjson:${firstReview + 1} (table reviews)`)
      expect(error.message).toContain('longer than')
    })

    test('a changed value (checksum mismatch)', async () => {
      const row = JSON.parse(lines[firstReview]!) as unknown[]
      row[5] = `${String(row[5])}!`
      const error = await refusal('sha.ndjson', withLine(firstReview + 1, JSON.stringify(row)))
      expect(error.message).toContain(`sha.ndjson:${lines.length - 1}`)
      expect(error.message).toContain('checksum mismatch')
    })

    test('a summary whose row count disagrees with the file', async () => {
      const footer = JSON.parse(lines.at(-2)!)
      footer.rows.reviews += 1
      const changed = withLine(lines.length - 1, JSON.stringify(footer))
      const error = await refusal('count.ndjson', changed)
      expect(error.message).toContain(`count.ndjson:${lines.length - 1} (table reviews)`)
      expect(error.message).toContain('row count mismatch')
    })

    test('a row breaking a check constraint', async () => {
      const row = JSON.parse(lines[firstReview]!) as unknown[]
      row[4] = 9
      const error = await refusal('check.ndjson', withLine(firstReview + 1, JSON.stringify(row)))
      expect(error.message).toContain(`check.ndjson:${firstReview + 1} (table reviews)`)
      expect(error.message).toContain('reviews_rating_range')
    })

    test('a duplicated primary key', async () => {
      const row = JSON.parse(lines[firstReview]!) as unknown[]
      const copy = JSON.parse(lines[firstReview - 1]!) as unknown[]
      row[0] = copy[0]
      const error = await refusal('dup.ndjson', withLine(firstReview + 1, JSON.stringify(row)))
      expect(error.message).toContain(`dup.ndjson:${firstReview + 1} (table reviews)`)
      expect(error.message).toContain('reviews_pkey')
    })

    test('a row referring to a missing product (foreign key, found by its key)', async () => {
      const row = JSON.parse(lines[firstReview + 1]!) as unknown[]
      row[1] = '00000000-0000-4000-8000-000000000000'
      const error = await refusal('fk.ndjson', withLine(firstReview + 2, JSON.stringify(row)))
      expect(error.message).toContain(`fk.ndjson:${firstReview + 2} (table reviews)`)
      expect(error.message).toContain('reviews_product_id_products_id_fk')
    })

    test('a backup from newer code is refused before anything is touched', async () => {
      const header = JSON.parse(lines[0]!)
      header.schemaVersion = '9999_from_the_future'
      const error = await refusal('newer.ndjson', withLine(1, JSON.stringify(header)))
      expect(error.message).toContain('newer.ndjson:1')
      expect(error.message).toContain('newer than this code')
    })

    test('an unknown format version and a file that is no backup', async () => {
      const header = JSON.parse(lines[0]!)
      header.version = 2
      expect((await refusal('v2.ndjson', withLine(1, JSON.stringify(header)))).message)
        .toContain('format version 2 is not supported')
      expect((await refusal('other.txt', 'hello\n')).message).toContain('not a backup')
      expect((await refusal('empty.ndjson', '')).message).toContain('empty')
    })

    test('a table out of the header\'s order', async () => {
      const error = await refusal('order.ndjson', withLine(firstReview - 1, '{"table":"users"}'))
      expect(error.message).toContain(`order.ndjson:${firstReview - 1}`)
      expect(error.message).toContain('expected table reviews here')
    })

    test('a dry run of a good backup loads and checks everything, then keeps nothing', async () => {
      const file = join(dir.path, 'dry.ndjson')
      await writeFile(file, lines.join('\n'))
      const result = await restoreFrom(target.database, file, { dryRun: true })
      expect(result.committed).toBe(false)
      expect(result.rows.reviews).toBeGreaterThan(0)
      expect(await dumpAll(target.database)).toEqual(before)
      await expectUsableConnection(target)
    })
  })
}

async function expectUsableConnection(scratch: Scratch): Promise<void> {
  expect(await queryColumn<number>(scratch.database, 'select 1 as one')).toEqual([1])
  await execute(scratch.database, 'select 1')
  const users = await scratch.database.db.query.users.findMany({ limit: 1 })
  expect(users.length).toBe(1)
}
