import { expect, test } from 'bun:test'
import { call } from '../support/harness'
import { useTestContext } from '../support/suite'

const ctx = useTestContext()

const operations: [string, string, number, boolean][] = [
  ['/api/products', 'get', 200, false],
  ['/api/products', 'post', 201, true],
  ['/api/products/seller/my-products', 'get', 200, true],
  ['/api/products/{id}', 'get', 200, false],
  ['/api/products/{id}', 'put', 200, true],
  ['/api/products/{id}', 'delete', 200, true],
  ['/api/products/{id}/restore', 'post', 200, true],
  ['/api/products/{id}/history', 'get', 200, true],
]

test('every products route is documented with tag, summary, responses and security', async () => {
  const doc = (await call(ctx, 'GET', '/swagger/json')).body

  for (const [path, method, success, secured] of operations) {
    const operation = doc.paths[path]?.[method]
    expect({ path, method, found: operation !== undefined }).toEqual({ path, method, found: true })
    expect(operation.tags).toEqual(['Products'])
    expect(operation.summary).toEqual(expect.any(String))
    expect(Object.keys(operation.responses)).toContain(String(success))
    expect(Object.keys(operation.responses)).toContain('400')
    expect(Boolean(operation.security?.some((s: object) => 'bearerAuth' in s))).toBe(secured)
  }
})
