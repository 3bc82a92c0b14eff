import { readCsv, textChunks } from './csv'
import { HeaderError, RowError, indexHeader, parseDatasetRow, type DatasetRow } from './dataset'

/**
 * Streams a dataset file row by row. Valid rows come out as DatasetRow, bad ones as RowError
 * (malformed CSV, wrong field count, bad numbers, a product id seen before), so the caller
 * decides what to do with them. A missing or wrong header throws HeaderError.
 */
export async function* readDatasetRows(path: string): AsyncGenerator<DatasetRow | RowError> {
  yield* datasetRows(textChunks(Bun.file(path).stream()))
}

export async function* datasetRows(
  chunks: AsyncIterable<string>,
): AsyncGenerator<DatasetRow | RowError> {
  const records = readCsv(chunks)
  const first = await records.next()
  if (first.done) throw new HeaderError('the file is empty')
  if (first.value.error) throw new HeaderError(`the header is malformed: ${first.value.error}`)

  const index = indexHeader(first.value.fields)
  const seen = new Set<number>()

  for await (const record of records) {
    if (record.error) {
      yield new RowError(record.line, record.error)
      continue
    }

    try {
      const row = parseDatasetRow(record.fields, index, record.line)
      if (seen.has(row.productId)) {
        yield new RowError(record.line, `product_ID ${row.productId} appears earlier in the file`)
        continue
      }
      seen.add(row.productId)
      yield row
    } catch (error) {
      if (!(error instanceof RowError)) throw error
      yield error
    }
  }
}
