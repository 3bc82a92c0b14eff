import { describe, expect, test } from 'bun:test'
import { createProgress, printSummary } from '../../src/cli/progress'

function memoryStream(isTTY: boolean) {
  const chunks: string[] = []
  return { chunks, stream: { isTTY, write: (chunk: string) => chunks.push(chunk) } }
}

describe('CLI progress', () => {
  test('off a terminal it writes plain lines, and a final line with the totals', () => {
    const { chunks, stream } = memoryStream(false)
    const progress = createProgress({ label: 'products', total: 200, stream })
    progress.tick(100)
    progress.tick(100)
    const result = progress.done()

    expect(result.rows).toBe(200)
    expect(chunks.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true)
    expect(chunks.at(-1)).toContain('products [########################] 100%  200 / 200 rows')
  })

  test('on a terminal it redraws one line in place', () => {
    const { chunks, stream } = memoryStream(true)
    const progress = createProgress({ label: 'reviews', stream })
    progress.setLabel('reviews (scale 0.2)')
    progress.tick(5)
    progress.done()
    expect(chunks.at(-1)).toStartWith('\r\x1b[2Kreviews (scale 0.2)  5 rows')
  })

  test('quiet writes nothing but still counts', () => {
    const { chunks, stream } = memoryStream(true)
    const progress = createProgress({ label: 'x', quiet: true, stream })
    progress.tick(3)
    expect(progress.done().rows).toBe(3)
    expect(chunks).toEqual([])
  })

  test('the summary aligns names and groups thousands', () => {
    const { chunks, stream } = memoryStream(false)
    printSummary('Seed finished', { products: 64585, seconds: '3.9' }, stream)
    expect(chunks.join('')).toBe('Seed finished\n  products  64,585\n  seconds   3.9\n')
  })
})
