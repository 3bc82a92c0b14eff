import { createWriteStream } from 'node:fs'
import { mkdir, rename, stat, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { createGzip } from 'node:zlib'

/**
 * Where a backup goes: a file (written as `<name>.partial` and renamed once complete, so a
 * failed run never leaves a file that looks whole) or standard output; optionally gzipped.
 * `write` waits whenever the destination asks it to (backpressure).
 */
export interface BackupOutput {
  name: string
  write(chunk: Uint8Array | string): Promise<void>
  /** Flushes, closes and renames; returns the bytes that reached the destination. */
  finish(): Promise<{ bytes: number }>
  /** Stops writing and removes the partial file. */
  abort(): Promise<void>
}

export interface OutputOptions {
  gzip: boolean
  /** 1 (fastest) to 9 (smallest). */
  gzipLevel?: number
}

const defaultGzipLevel = 3

export async function openBackupOutput(
  path: string,
  options: OutputOptions,
): Promise<BackupOutput> {
  const stdout = path === '-'
  const partial = `${path}.partial`
  if (!stdout) await mkdir(dirname(path), { recursive: true })

  const sink: Writable = stdout
    ? process.stdout
    : createWriteStream(partial, { highWaterMark: 256 * 1024 })
  const gzip = options.gzip
    ? createGzip({ level: options.gzipLevel ?? defaultGzipLevel, chunkSize: 256 * 1024 })
    : undefined
  const head: Writable = gzip ?? sink
  const failures = watchFailures(gzip ? [gzip, sink] : [sink])
  // Fail before any work when the file cannot be created (no such directory, no permission).
  if (!stdout) await failures.until(sink, 'open')
  if (gzip && stdout) forward(gzip, sink)
  else if (gzip) gzip.pipe(sink)

  let written = 0
  return {
    name: stdout ? 'stdout' : path,

    async write(chunk) {
      failures.throwIfFailed()
      written += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
      if (!head.write(chunk)) await failures.until(head, 'drain')
    },

    async finish() {
      failures.throwIfFailed()
      if (stdout) {
        if (gzip) {
          const ended = failures.until(gzip, 'end')
          gzip.end()
          await ended
        }
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()))
        failures.throwIfFailed()
        return { bytes: gzip ? gzip.bytesWritten : written }
      }

      const closed = failures.until(sink, 'close')
      head.end()
      await closed
      failures.throwIfFailed()
      await rename(partial, path)
      return { bytes: (await stat(path)).size }
    },

    async abort() {
      gzip?.unpipe(sink)
      gzip?.destroy()
      if (!stdout) {
        sink.destroy()
        await unlink(partial).catch(() => undefined)
      }
    },
  }
}

/**
 * Like pipe, but never ends the destination: standard output stays open after the backup
 * (pipe would end it, and waiting for it to finish would wait forever).
 */
function forward(from: Readable, to: Writable): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause()
  })
  to.on('drain', () => from.resume())
}

/** Remembers the first error of any stream in the chain and wakes whoever waits on one. */
function watchFailures(streams: Writable[]) {
  let failure: Error | undefined
  const waiters = new Set<(error: Error) => void>()
  for (const stream of streams) {
    stream.on('error', (error) => {
      failure ??= error
      for (const wake of waiters) wake(error)
    })
  }

  return {
    throwIfFailed() {
      if (failure) throw failure
    },
    until(stream: Writable, event: string): Promise<void> {
      if (failure) return Promise.reject(failure)
      return new Promise<void>((resolve, reject) => {
        const settle = (error?: Error) => {
          waiters.delete(fail)
          stream.off(event, ok)
          if (error) reject(error)
          else resolve()
        }
        const ok = () => settle()
        const fail = (error: Error) => settle(error)
        waiters.add(fail)
        stream.once(event, ok)
      })
    },
  }
}
