import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { writeBackup } from '../../src/backup/backup'
import { createRowEncoder, escapeCopyText } from '../../src/backup/copy-text'
import { LineMap } from '../../src/backup/line-map'
import { LineReader } from '../../src/backup/line-reader'
import { openBackupOutput, type BackupOutput } from '../../src/backup/output'
import type { BackupColumn } from '../../src/backup/tables'
import { AppError } from '../../src/shared/errors'
import { createScratch, tempDir, type Scratch } from './support'
import { seedTrickyData } from './tricky-data'

const column = (kind: BackupColumn['kind']): BackupColumn =>
  ({ name: kind, type: kind, kind, serial: false })

describe('COPY text encoding', () => {
  test('regression: negative zero stays negative (String(-0) is "0")', () => {
    expect(createRowEncoder([column('float')]).encode([-0])).toBe('-0\n')
  })

  test('escapes exactly the bytes COPY treats specially', () => {
    expect(escapeCopyText('a\\b\nc\rd\te "f" \u0001 😀'))
      .toBe('a\\\\b\\nc\\rd\\te "f" \u0001 😀')
    expect(escapeCopyText('\\N')).toBe('\\\\N')
  })

  test('NULL, booleans, non-finite floats and big integers', () => {
    const encoder = createRowEncoder([column('text'), column('boolean'), column('float'),
      column('bigint'), column('numeric')])
    expect(encoder.encode([null, true, 'NaN', '9007199254740993', '1.50']))
      .toBe('\\N\tt\tNaN\t9007199254740993\t1.50\n')
    expect(encoder.encode(['', false, '-Infinity', 12, '0'])).toBe('\tf\t-Infinity\t12\t0\n')
    expect(encoder.encode(['x', 'true', 1, 1, '1'])).toBeUndefined()
    expect(encoder.problem).toContain('column boolean must be true or false')
    expect(createRowEncoder([column('bigint')]).encode(['12; drop table users'])).toBeUndefined()
  })
})

describe('line map', () => {
  test('finds the source line of a row across runs', () => {
    const map = new LineMap()
    for (let line = 10; line < 15; line++) map.add(line)
    map.add(40)
    map.add(52, 3)
    expect([map.lineOf(0), map.lineOf(4), map.lineOf(5), map.lineOf(6), map.lineOf(8)])
      .toEqual([10, 14, 40, 52, 54])
    expect(map.lineOf(9)).toBeUndefined()
    expect(map.rangeOf()).toEqual({ from: 10, to: 54 })
  })
})

describe('line reader', () => {
  async function* chunks(...parts: (string | Uint8Array)[]) {
    for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part
  }

  test('lines split across chunks, multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('{"a":1}\n["é😀"]\n{"end":true}\n')
    const parts = [...bytes].map((byte) => Uint8Array.of(byte))
    const reader = new LineReader({ file: 'x' })
    const lines: string[] = []
    for await (const batch of reader.batches(chunks(...parts))) lines.push(...batch.lines)
    expect(lines).toEqual(['{"a":1}', '["é😀"]', '{"end":true}'])
    const hashed = new Bun.CryptoHasher('sha256').update('{"a":1}\n["é😀"]\n').digest('hex')
    expect(reader.digest()).toBe(hashed)
  })
})

describe('backup output', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let scratch: Scratch

  beforeAll(async () => {
    dir = await tempDir()
    scratch = await createScratch('pglite')
    await seedTrickyData(scratch.database)
  })

  afterAll(async () => {
    await scratch.drop()
    await dir.remove()
  })

  test('a file is written as .partial and renamed only when complete', async () => {
    const file = join(dir.path, 'out', 'b.ndjson')
    const output = await openBackupOutput(file, { gzip: false })
    await output.write('partial line\n')
    expect(await readdir(join(dir.path, 'out'))).toEqual(['b.ndjson.partial'])
    await output.abort()
    expect(await readdir(join(dir.path, 'out'))).toEqual([])
  })

  test('a write failure (disk full) aborts the output and names the target', async () => {
    let aborted = false
    let written = 0
    const full: BackupOutput = {
      name: '/backups/full.ndjson',
      async write(chunk) {
        written += chunk.length
        if (written > 20_000) {
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
        }
      },
      finish: async () => ({ bytes: written }),
      async abort() {
        aborted = true
      },
    }
    const error = await writeBackup(scratch.database, full).catch((e) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error.message).toMatch(/^Backup to \/backups\/full\.ndjson failed while reading table/)
    expect(error.message).toContain('no space left on device')
    expect(aborted).toBe(true)
  })
})
