import { beforeAll, describe, expect, test } from 'bun:test'
import { call } from '../support/harness'
import { useTestContext } from '../support/suite'

const ctx = useTestContext()
let paths: Record<string, Record<string, any>>

beforeAll(async () => {
  paths = (await call(ctx, 'GET', '/swagger/json')).body.paths
})

describe('users routes in /swagger/json', () => {
  const routes: [string, string, string[]][] = [
    ['post', '/api/users/register', ['201', '400', '409', '413', '415', '429', '500']],
    ['post', '/api/users/login', ['200', '400', '401', '413', '415', '429', '500']],
    ['get', '/api/users/me', ['200', '401', '500']],
  ]

  for (const [method, path, statuses] of routes) {
    test(`${method.toUpperCase()} ${path} has its tag, summary and every status`, () => {
      const operation = paths[path]![method]
      expect(operation.tags).toEqual(['Users'])
      expect(operation.summary).toBeString()
      expect(Object.keys(operation.responses).sort()).toEqual(statuses.sort())
    })
  }

  test('bodies are JSON only and refuse extra fields', () => {
    for (const path of ['/api/users/register', '/api/users/login']) {
      const content = paths[path]!.post.requestBody.content
      expect(Object.keys(content)).toEqual(['application/json'])
      expect(content['application/json'].schema.additionalProperties).toBe(false)
    }
  })

  test('/me declares the bearer scheme; registration offers no admin role', () => {
    expect(paths['/api/users/me']!.get.security).toEqual([{ bearerAuth: [] }])

    const role = paths['/api/users/register']!.post.requestBody.content['application/json']
      .schema.properties.role
    expect(role.enum).toEqual(['customer', 'seller'])
  })

  test('the user schema has no password field', () => {
    const user = paths['/api/users/me']!.get.responses['200'].content['application/json']
      .schema.properties.user
    expect(Object.keys(user.properties)).not.toContain('passwordHash')
  })
})
