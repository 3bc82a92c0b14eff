import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { AppError } from '../shared/errors'

/** A backup to read: its bytes (already decompressed) and the name used in messages. */
export interface BackupInput {
  name: string
  /** Whether it comes from standard input (so it cannot be read twice or prompt there). */
  stdin: boolean
  compressed: boolean
  /** The first bytes, for recognising the format before reading on. */
  head: Uint8Array
  chunks: AsyncIterable<Uint8Array>
}

const readChunkBytes = 64 * 1024
const gzipMagic = [0x1f, 0x8b]

/** Opens a file, or standard input for `-`; gzip is recognised by its magic bytes. */
export async function openBackupInput(path: string): Promise<BackupInput> {
  const stdin = path === '-'
  if (!stdin) await checkReadable(path)

  const raw = stdin ? process.stdin : createReadStream(path, { highWaterMark: readChunkBytes })
  const iterator = (raw as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
  const first = await iterator.next()
  const firstChunk = first.done ? new Uint8Array(0) : first.value
  const compressed = firstChunk[0] === gzipMagic[0] && firstChunk[1] === gzipMagic[1]

  const rest = replay(firstChunk, iterator)
  const chunks = compressed ? gunzip(rest) : rest
  const name = stdin ? 'stdin' : path
  const head = compressed ? await peek(chunks) : { bytes: firstChunk, chunks }

  return { name, stdin, compressed, head: head.bytes, chunks: head.chunks }
}

async function checkReadable(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined)
  if (!info?.isFile()) throw new AppError('NOT_FOUND', `${path}: no such backup file`)
}

async function* replay(
  first: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (first.length > 0) yield first
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

function gunzip(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const inflate = createGunzip({ chunkSize: 128 * 1024 })
  const input = Readable.from(source)
  input.on('error', (error) => inflate.destroy(error))
  return input.pipe(inflate)
}

/** Reads the first chunk of a stream and hands back a stream that still starts with it. */
async function peek(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ bytes: Uint8Array; chunks: AsyncIterable<Uint8Array> }> {
  const iterator = chunks[Symbol.asyncIterator]()
  const first = await iterator.next()
  const bytes = first.done ? new Uint8Array(0) : first.value
  return { bytes, chunks: replay(bytes, iterator) }
}
