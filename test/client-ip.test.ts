import { describe, expect, test } from 'bun:test'
import { clientIp } from '../src/http/client-ip'

const server = (address: string) => ({ requestIP: () => ({ address }) })
const request = (forwarded?: string) =>
  new Request('http://localhost/', forwarded ? { headers: { 'x-forwarded-for': forwarded } } : {})

describe('client address', () => {
  test('uses the TCP peer when no proxy is trusted, ignoring X-Forwarded-For', () => {
    expect(clientIp(request('6.6.6.6'), server('10.0.0.5'), 0)).toBe('10.0.0.5')
  })

  test('takes the entry the trusted number of hops from the right', () => {
    expect(clientIp(request('1.1.1.1, 2.2.2.2, 3.3.3.3'), server('10.0.0.5'), 1)).toBe('3.3.3.3')
    expect(clientIp(request('1.1.1.1, 2.2.2.2, 3.3.3.3'), server('10.0.0.5'), 2)).toBe('2.2.2.2')
  })

  test('malformed forwarded values fall back to the peer', () => {
    expect(clientIp(request('not-an-ip'), server('10.0.0.5'), 1)).toBe('10.0.0.5')
    expect(clientIp(request("1.1.1.1'; drop table"), server('10.0.0.5'), 1)).toBe('10.0.0.5')
    expect(clientIp(request(), server('10.0.0.5'), 1)).toBe('10.0.0.5')
  })

  test('normalises IPv4-mapped IPv6 and keeps real IPv6', () => {
    expect(clientIp(request(), server('::ffff:127.0.0.1'), 0)).toBe('127.0.0.1')
    expect(clientIp(request('2001:db8::1'), server('::1'), 1)).toBe('2001:db8::1')
  })

  test('no server (in-process requests) gives null, not a made-up address', () => {
    expect(clientIp(request(), undefined, 0)).toBeNull()
  })
})
