import type { Readable } from 'node:stream'
import type postgres from 'postgres'
import type { DatabaseHandle } from '../db/client'
import { AppError } from '../shared/errors'
import { throwIfAborted } from './errors'
import { quoteIdent, rowLineSql, snapshotSettings } from './row-sql'
import type { LineSink, SnapshotReader } from './snapshot'
import type { BackupTable } from './tables'

/** Rows are gathered into buffers of this size before they are handed on. */
const flushBytes = 256 * 1024

/**
 * COPY's CSV mode with a quote and a delimiter that JSON text never contains raw (PostgreSQL
 * escapes control characters inside strings), so each row comes out as its JSON line, byte
 * for byte, with no quoting or escaping to undo.
 */
const copyOptions = `with (format csv, quote e'\\x01', delimiter e'\\x02')`
const quoteByte = 0x01

export async function readPostgresSnapshot<T>(
  database: DatabaseHandle,
  tables: readonly BackupTable[],
  signal: AbortSignal | undefined,
  work: (reader: SnapshotReader) => Promise<T>,
): Promise<T> {
  const sql = database.raw!
  const result = await sql.begin('isolation level repeatable read read only', async (tx) => {
    for (const setting of snapshotSettings) await tx.unsafe(setting)
    // As pg_dump does: no TRUNCATE or ALTER may slip in between the tables.
    const names = tables.map((table) => quoteIdent(table.name)).join(', ')
    await tx.unsafe(`lock table ${names} in access share mode`)

    return work({
      async estimateRows(table) {
        const [row] = await tx<{ estimate: number }[]>`
          select reltuples::float8 as estimate from pg_class
          where oid = ${quoteIdent(table.name)}::regclass`
        return row && row.estimate > 0 ? Math.round(row.estimate) : undefined
      },
      readTable: (table, sink) => copyTable(tx, table, sink, signal),
    })
  })
  return result as T
}

async function copyTable(
  tx: postgres.TransactionSql,
  table: BackupTable,
  sink: LineSink,
  signal: AbortSignal | undefined,
): Promise<void> {
  throwIfAborted(signal)
  const query = tx.unsafe(
    `copy (select ${rowLineSql(table)} from ${quoteIdent(table.name)}) to stdout ${copyOptions}`,
  )
  const stream = await query.readable() as unknown as Readable
  const cancel = () => {
    void query.cancel().catch(() => undefined)
    stream.destroy(new AppError('UNAVAILABLE', 'Interrupted'))
  }
  signal?.addEventListener('abort', cancel, { once: true })

  try {
    await pump(stream, sink)
  } finally {
    signal?.removeEventListener('abort', cancel)
  }
}

/**
 * PostgreSQL sends one message per row; copying them into large buffers keeps the per-row
 * cost to a memcpy. The stream is paused while a buffer is being written (backpressure).
 */
function pump(stream: Readable, sink: LineSink): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let buffer = Buffer.allocUnsafe(flushBytes)
    let used = 0
    let writing: Promise<void> = Promise.resolve()
    let pendingWrites = 0
    let failed = false

    const fail = (error: unknown) => {
      if (failed) return
      failed = true
      stream.destroy()
      reject(error)
    }
    const hand = (bytes: Buffer) => {
      if (bytes.indexOf(quoteByte) !== -1) {
        fail(new AppError('INTERNAL', 'COPY quoted a row; the backup line would be altered'))
        return
      }
      pendingWrites += 1
      stream.pause()
      writing = writing.then(() => sink(bytes)).then(() => {
        pendingWrites -= 1
        if (pendingWrites === 0 && !failed) stream.resume()
      }, fail)
    }
    const flush = () => {
      if (used === 0) return
      hand(buffer.subarray(0, used))
      buffer = Buffer.allocUnsafe(flushBytes)
      used = 0
    }

    stream.on('data', (chunk: Buffer) => {
      if (used + chunk.length > flushBytes) flush()
      if (chunk.length > flushBytes) {
        hand(Buffer.from(chunk))
        return
      }
      chunk.copy(buffer, used)
      used += chunk.length
    })
    stream.on('error', fail)
    stream.on('end', () => {
      flush()
      writing.then(() => failed || resolve(), fail)
    })
  })
}
