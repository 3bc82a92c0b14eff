import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import postgres from 'postgres'
import {
  commandDriver, createScratch, dumpAll, execute, queryColumn, runCli, spawnCli, tempDir,
  type Scratch,
} from './support'
import { seedTrickyData } from './tricky-data'

setDefaultTimeout(180_000)

/** Adds `count` reviews in one statement, so a backup or a restore takes a moment. */
async function addBulkReviews(scratch: Scratch, count: number): Promise<void> {
  await execute(scratch.database, `
    insert into reviews (product_id, reviewer_id, review_rating, review_body)
    select p.id, 'bulk-' || g, 1 + g % 5, repeat('A bulk review body. ', 12)
    from generate_series(1, ${count}) g, (select id from products order by id limit 1) p`)
}

/** Waits until `path` exists and holds some bytes (a backup under way). */
async function waitForBytes(path: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const size = await stat(path).then((info) => info.size, () => 0)
    if (size > 0) return
    await Bun.sleep(20)
  }
  throw new Error(`${path} never appeared`)
}

/** Reads until the text contains `marker` (or the stream ends); returns all text read. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  marker?: string,
): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  while (marker === undefined || !text.includes(marker)) {
    const { done, value } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  return text
}

describe(`bun run backup / restore on ${commandDriver}`, () => {
  let source: Scratch
  let target: Scratch
  let dir: Awaited<ReturnType<typeof tempDir>>
  let sourceDump: Record<string, string[]>

  beforeAll(async () => {
    dir = await tempDir()
    source = await createScratch(commandDriver, { onDisk: true })
    target = await createScratch(commandDriver, { onDisk: true })
    await seedTrickyData(source.database)
    sourceDump = await dumpAll(source.database)
    // Commands open the databases themselves; the embedded one allows one process at a time.
    await Promise.all([source.release(), target.release()])
  })

  afterAll(async () => {
    await Promise.all([source.drop(), target.drop()])
    await dir.remove()
  })

  async function targetDump(): Promise<Record<string, string[]>> {
    const database = await target.reopen()
    try {
      return await dumpAll(database)
    } finally {
      await target.release()
    }
  }

  test('backup to stdout piped into restore from stdin', async () => {
    const backup = spawnCli('backup', ['--out', '-', '--quiet'], source.env)
    const restore = await runCli('restore', ['-', '--yes'], target.env, backup.stdout)

    expect(await backup.exited).toBe(0)
    expect(restore.exitCode).toBe(0)
    expect(restore.stderr).toContain('Restored stdin')
    expect(await targetDump()).toEqual(sourceDump)
  })

  test('--gzip writes a gzipped file that restore recognises by its content', async () => {
    const file = join(dir.path, 'zipped.ndjson.gz')
    const backup = await runCli('backup', ['--out', file], source.env)
    expect(backup.exitCode).toBe(0)
    expect(backup.stderr).toContain(`Backup written to ${file}`)
    expect(backup.stderr).toContain('reviews')

    const text = gunzipSync(await readFile(file)).toString('utf8')
    expect(JSON.parse(text.split('\n')[0]!).format).toBe('amazon-eye-backup')

    const restore = await runCli('restore', [file, '--yes', '--quiet'], target.env)
    expect(restore.exitCode).toBe(0)
    expect(restore.stderr).toBe('')
    expect(await targetDump()).toEqual(sourceDump)
  })

  test('a gzipped stream on stdout restores from stdin too', async () => {
    const backup = spawnCli('backup', ['--out', '-', '--gzip', '--quiet'], source.env)
    const restore = await runCli('restore', ['-', '--yes', '--quiet'], target.env, backup.stdout)
    expect(await backup.exited).toBe(0)
    expect(restore.exitCode).toBe(0)
    expect(await targetDump()).toEqual(sourceDump)
  })

  test('without --out the file goes to backups/amazon_eye_backup_<time>.ndjson', async () => {
    const cwd = join(dir.path, 'default-name')
    const backup = await runCli('backup', ['--quiet'], source.env, undefined, cwd)
    expect(backup.exitCode).toBe(0)
    const files = await readdir(join(cwd, 'backups'))
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^amazon_eye_backup_\d{8}T\d{6}Z\.ndjson$/)
  })

  test('restore over data without --yes and without a terminal is refused', async () => {
    const file = join(dir.path, 'refused.ndjson')
    expect((await runCli('backup', ['--out', file, '--quiet'], source.env)).exitCode).toBe(0)
    const before = await targetDump()

    const refused = await runCli('restore', [file], target.env)
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain('--yes')
    expect(await targetDump()).toEqual(before)
  })

  test('--dry-run checks everything and commits nothing', async () => {
    const file = join(dir.path, 'dry.ndjson')
    expect((await runCli('backup', ['--out', file, '--quiet'], source.env)).exitCode).toBe(0)
    const database = await target.reopen()
    await execute(database, `delete from product_review_insights`)
    const before = await dumpAll(database)
    await target.release()

    const dry = await runCli('restore', [file, '--dry-run'], target.env)
    expect(dry.exitCode).toBe(0)
    expect(dry.stderr).toContain('nothing was changed')
    expect(await targetDump()).toEqual(before)
  })

  test('bad usage exits 2 with the usage text', async () => {
    const missing = await runCli('restore', [], target.env)
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('Usage: bun run restore')
    const unknown = await runCli('backup', ['--frobnicate'], source.env)
    expect(unknown.exitCode).not.toBe(0)
    const absent = await runCli('restore', [join(dir.path, 'absent.ndjson'), '--yes'], target.env)
    expect(absent.exitCode).toBe(1)
    expect(absent.stderr).toContain('no such backup file')
  })

  test('Ctrl-C during a backup removes the partial file and exits 130', async () => {
    await source.reopen()
    await addBulkReviews(source, 150_000)
    await source.release()

    const out = join(dir.path, 'interrupted', 'backup.ndjson')
    const backup = spawnCli('backup', ['--out', out], source.env)
    await waitForBytes(`${out}.partial`)
    backup.kill('SIGINT')

    expect(await backup.exited).toBe(130)
    expect(await new Response(backup.stderr).text()).toContain('Interrupted')
    expect(await readdir(join(dir.path, 'interrupted'))).toEqual([])
  })

  test('Ctrl-C during a restore rolls it back and exits 130', async () => {
    const file = join(dir.path, 'big.ndjson')
    expect((await runCli('backup', ['--out', file, '--quiet'], source.env)).exitCode).toBe(0)
    const before = await targetDump()

    const restore = spawnCli('restore', [file, '--yes'], target.env)
    // Progress names each table as it starts; reviews (150,000 rows) comes last.
    const reader = restore.stderr.getReader()
    const progress = await readUntil(reader, 'reviews')
    restore.kill('SIGINT')
    expect(await restore.exited).toBe(130)
    expect(progress + await readUntil(reader)).toContain('Interrupted')
    expect(await targetDump()).toEqual(before)
  })

  if (commandDriver === 'postgres') {
    test('a full disk (file size limit) fails the backup and leaves no file behind', async () => {
      const out = join(dir.path, 'full', 'backup.ndjson')
      // bash counts the limit in KiB; SIGXFSZ ignored turns the signal into an EFBIG write
      // error. (The embedded database writes its own files, so this runs on PostgreSQL only.)
      const full = await runCli('backup', ['--out', out], source.env, undefined, undefined,
        (command) => ['bash', '-c', 'trap "" XFSZ; ulimit -f 16; exec "$@"', 'bash', ...command])
      expect(full.exitCode).toBe(1)
      expect(full.stderr).toContain('Error: Backup to')
      expect(await readdir(join(dir.path, 'full'))).toEqual([])
    })

    test('a lost database connection fails the backup and leaves no file behind', async () => {
      const out = join(dir.path, 'lost', 'backup.ndjson')
      const backup = spawnCli('backup', ['--out', out], source.env)
      await waitForBytes(`${out}.partial`)

      const admin = postgres(source.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
      const name = new URL(source.env.DATABASE_URL!).pathname.slice(1)
      for (let tries = 0; tries < 200; tries++) {
        const [row] = await admin`select count(pg_terminate_backend(pid))::int as killed
          from pg_stat_activity where datname = ${name} and query ilike 'copy (%'
          and pid <> pg_backend_pid()`
        if (row!.killed > 0) break
        await Bun.sleep(10)
      }
      await admin.end()

      expect(await backup.exited).toBe(1)
      expect(await new Response(backup.stderr).text()).toContain('Error: Backup to')
      expect(await readdir(join(dir.path, 'lost'))).toEqual([])
    })
  }

  test('the legacy JSON backup is recognised and imported by the command', async () => {
    const legacy = join(import.meta.dir, '../fixtures/legacy-backup-small.json')
    const restore = await runCli('restore', [legacy, '--yes'], target.env)
    expect(restore.exitCode).toBe(0)
    expect(restore.stderr).toContain('older Express/Prisma system')

    const database = await target.reopen()
    try {
      expect(await queryColumn<number>(database, 'select count(*)::int from reviews')).toEqual([40])
    } finally {
      await target.release()
    }
  })
})
