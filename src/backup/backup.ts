import type { DatabaseHandle } from '../db/client'
import { AppError } from '../shared/errors'
import { throwIfAborted } from './errors'
import { footerLine, headerLine, MAX_LINE_BYTES, tableLine } from './format'
import { MemoryKeeper } from './memory'
import type { BackupOutput } from './output'
import { withSnapshot, type SnapshotReader } from './snapshot'
import { backupTables, type BackupTable } from './tables'

/** What a caller may watch while a backup runs (the CLI draws progress from it). */
export interface BackupHooks {
  /** Awaited before the table is read. */
  onTableStart?(table: string, estimatedRows: number | undefined): void | Promise<void>
  onRows?(count: number): void
  onTableDone?(table: string, rows: number): void
}

export interface BackupOptions {
  signal?: AbortSignal
  hooks?: BackupHooks
}

export interface BackupResult {
  rows: Record<string, number>
  /** Bytes of the NDJSON itself, before any compression. */
  bytes: number
  sha256: string
}

/**
 * Writes every table from one snapshot to `output` and finishes it; on any failure the
 * output is aborted (its partial file removed) and the error is rethrown.
 */
export async function writeBackup(
  database: DatabaseHandle,
  output: BackupOutput,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const writer = new LineWriter(output)
  const rows: Record<string, number> = {}
  let stage = 'opening the snapshot'

  try {
    await writer.write(Buffer.from(headerLine(backupTables, new Date())))

    await withSnapshot(database, backupTables, options.signal, async (reader) => {
      for (const table of backupTables) {
        stage = `reading table ${table.name}`
        rows[table.name] = await copyTable(reader, table, writer, options)
      }
    })

    stage = 'finishing the file'
    throwIfAborted(options.signal)
    const sha256 = writer.digest()
    await output.write(footerLine(rows, sha256))
    await output.finish()
    return { rows, bytes: writer.bytes, sha256 }
  } catch (error) {
    await output.abort()
    throw describeFailure(error, stage, output.name)
  }
}

async function copyTable(
  reader: SnapshotReader,
  table: BackupTable,
  writer: LineWriter,
  { hooks, signal }: BackupOptions,
): Promise<number> {
  throwIfAborted(signal)
  await hooks?.onTableStart?.(table.name, await reader.estimateRows(table))
  await writer.write(Buffer.from(tableLine(table.name)))

  let count = 0
  await reader.readTable(table, async (lines) => {
    const added = writer.countLines(lines, table.name, count)
    await writer.write(lines)
    count += added
    hooks?.onRows?.(added)
  })
  hooks?.onTableDone?.(table.name, count)
  return count
}

/** Hashes and counts what goes out; the footer is written around it, unhashed. */
class LineWriter {
  private readonly hasher = new Bun.CryptoHasher('sha256')
  private readonly memory = new MemoryKeeper()
  bytes = 0

  constructor(private readonly output: BackupOutput) {}

  async write(bytes: Buffer): Promise<void> {
    this.hasher.update(bytes)
    this.bytes += bytes.length
    this.memory.passed(bytes.length)
    await this.output.write(bytes)
  }

  digest(): string {
    return this.hasher.digest('hex')
  }

  /** Counts the lines of a buffer of whole lines, refusing any too long to restore. */
  countLines(lines: Buffer, table: string, before: number): number {
    let count = 0
    let start = 0
    for (let end = lines.indexOf(10); end !== -1; end = lines.indexOf(10, start)) {
      if (end - start > MAX_LINE_BYTES) {
        throw new AppError('VALIDATION_FAILED',
          `row ${before + count + 1} of table ${table} is longer than ${MAX_LINE_BYTES} bytes; ` +
          'a restore would refuse it')
      }
      count += 1
      start = end + 1
    }
    return count
  }
}

function describeFailure(error: unknown, stage: string, target: string): AppError {
  if (error instanceof AppError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new AppError('UNAVAILABLE', `Backup to ${target} failed while ${stage}: ${message}`)
}
