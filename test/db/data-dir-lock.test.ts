import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/client'
import { DataDirInUseError, lockDataDir } from '../../src/db/data-dir-lock'

const dirs: string[] = []
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ae-lock-'))
  dirs.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('one process per embedded data directory', () => {
  test('regression: a second process is refused while the first holds the directory', async () => {
    const dir = scratch()
    const module = JSON.stringify(join(import.meta.dir, '../../src/db/data-dir-lock.ts'))
    const child = Bun.spawn(['bun', '-e', `
      const { lockDataDir } = await import(${module})
      lockDataDir(${JSON.stringify(dir)})
      console.log('locked')
      await Bun.sleep(60000)
    `], { stdout: 'pipe' })
    const reader = child.stdout.getReader()
    await reader.read()

    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError)
    } finally {
      child.kill()
      await child.exited
    }
  })

  test('a lock left by a dead process is taken over', () => {
    const dir = scratch()
    writeFileSync(join(dir, 'amazon-eye.lock'), '999999999')
    const release = lockDataDir(dir)
    release()
    expect(existsSync(join(dir, 'amazon-eye.lock'))).toBe(false)
  })

  test('closing the database releases the directory for the next process', async () => {
    const dir = join(scratch(), 'data')
    const first = await openDatabase({ databaseUrl: undefined, dataDir: dir })
    expect(existsSync(join(dir, 'amazon-eye.lock'))).toBe(true)
    await first.close()

    const second = await openDatabase({ databaseUrl: undefined, dataDir: dir })
    await second.close()
    expect(existsSync(join(dir, 'amazon-eye.lock'))).toBe(false)
  })
})
