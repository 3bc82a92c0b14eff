import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The embedded PostgreSQL must have one process at a time in a data directory: a second one
 * (a CLI run while the server is up) would write to the same files and lose data. This lock
 * file, holding the owner's pid, makes the second process refuse instead.
 */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid}. Stop that process ` +
      'first, or point every process at one PostgreSQL server with DATABASE_URL.',
    )
    this.name = 'DataDirInUseError'
  }
}

const lockName = 'amazon-eye.lock'

/** Takes the lock of `dataDir`; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, lockName)

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(path, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }

    const owner = Number(readFileSync(path, 'utf8').trim())
    if (owner !== process.pid && isAlive(owner)) throw new DataDirInUseError(dataDir, owner)

    // The owner died without releasing the lock: take it over.
    rmSync(path, { force: true })
  }
  throw new DataDirInUseError(dataDir, Number(readFileSync(path, 'utf8').trim()))
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
