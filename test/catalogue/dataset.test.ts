import { describe, expect, test } from 'bun:test'
import {
  HeaderError, RowError, datasetColumns, indexHeader, parseDatasetRow,
} from '../../src/catalogue/dataset'
import { datasetRows } from '../../src/catalogue/source'

const header = datasetColumns.join(',')
const goodRow = '67,3.701492537313433,37.04545454545454,285.0,0.0,11,0,0.0002829573065795,'
  + '4.641914573088914e-08,0.0,7.0,0.1,0'

async function readAll(text: string) {
  const out = []
  for await (const item of datasetRows((async function* () { yield text })())) out.push(item)
  return out
}

function parse(line: string) {
  return parseDatasetRow(line.split(','), indexHeader(header.split(',')), 7)
}

function withField(column: string, value: string) {
  const fields = goodRow.split(',')
  fields[datasetColumns.indexOf(column as never)] = value
  return fields.join(',')
}

describe('dataset rows', () => {
  test('parses a row of the real file into typed fields', () => {
    expect(parse(goodRow)).toEqual({
      line: 7, productId: 11, reviewCount: 67, averageRating: 3.701492537313433,
      avgDaysBetween: 37.04545454545454, maxDaysBetween: 285, minDaysBetween: 0, clusterId: 0,
      pageRank: 0.0002829573065795, eigenvectorCentrality: 4.641914573088914e-8,
      clusteringCoefficient: 0, weightedDegree: 7, fakeScore: 0.1, fake: false,
    })
  })

  test('accepts columns in another order and ignores extra ones', async () => {
    const columns = [...datasetColumns].reverse()
    const values = goodRow.split(',').reverse()
    const [row] = await readAll(`extra,${columns.join(',')}\nignored,${values.join(',')}\n`)
    expect(row).toMatchObject({ productId: 11, reviewCount: 67, fake: false })
  })

  test('a header without required columns is refused, naming them', () => {
    const columns = datasetColumns.filter((c) => c !== 'fake' && c !== 'pagerank')
    expect(() => indexHeader(columns)).toThrow(HeaderError)
    expect(() => indexHeader(columns)).toThrow('pagerank, fake')
  })

  test('an empty file is refused', async () => {
    await expect(readAll('')).rejects.toThrow('empty')
  })

  test.each([
    ['n_of_reviews', 'abc', 'not a number'],
    ['n_of_reviews', '', 'not a number'],
    ['n_of_reviews', '0x10', 'not a number'],
    ['n_of_reviews', '12.5', 'whole number'],
    ['avg_review_rating', '6', 'between 1 and 5'],
    ['avg_review_rating', 'NaN', 'not a number'],
    ['pagerank', '1e999', 'between'],
    ['fake_score', '-0.1', 'between 0 and 1'],
    ['fake', '2', 'between 0 and 1'],
    ['product_ID', '-3', 'between'],
    ['product_ID', '99999999999', 'between'],
  ])('%s = %p is refused (%s)', (column, value, message) => {
    expect(() => parse(withField(column, value))).toThrow(RowError)
    expect(() => parse(withField(column, value))).toThrow(`line 7: ${column}`)
    expect(() => parse(withField(column, value))).toThrow(message)
  })

  test('day gaps out of order are refused', () => {
    expect(() => parse(withField('min_days_between_reviews', '40'))).toThrow('min <= avg <= max')
  })

  test('a short row is refused with the counts', () => {
    expect(() => parse('1,2,3')).toThrow('expected at least 13 fields, found 3')
  })

  test('negative zero from the file is stored as zero', () => {
    const row = parse(withField('eigenvector_cent', '-0.0'))
    expect(Object.is(row.eigenvectorCentrality, -0)).toBe(false)
  })

  test('bad rows come out as errors with their line, good rows keep flowing', async () => {
    const text = `${header}\n${goodRow}\n1,2\n${goodRow}\n"x\n`
    const items = await readAll(text)
    expect(items).toHaveLength(4)
    expect(items[0]).toMatchObject({ productId: 11, line: 2 })
    expect((items[1] as RowError).message).toBe('line 3: expected at least 13 fields, found 2')
    expect((items[2] as RowError).message).toContain('line 4: product_ID 11 appears earlier')
    expect((items[3] as RowError).message).toContain('line 5')
  })
})
