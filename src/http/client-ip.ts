import { isIP } from 'node:net'

/** What Elysia exposes of the Bun server, enough to read the peer address. */
export interface PeerSource {
  requestIP?(request: Request): { address: string } | null
}

/**
 * The client's address. The TCP peer is the truth unless `trustedHops` proxies sit in front:
 * then the entry that many hops from the right of X-Forwarded-For is used. Entries that are
 * not IP addresses are ignored rather than stored.
 */
export function clientIp(
  request: Request,
  server: PeerSource | null | undefined,
  trustedHops: number,
): string | null {
  const peer = normalise(server?.requestIP?.(request)?.address ?? null)
  if (trustedHops === 0) return peer

  const forwarded = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  const candidate = forwarded[forwarded.length - trustedHops]
  return normalise(candidate ?? null) ?? peer
}

function normalise(address: string | null): string | null {
  if (!address) return null

  const bare = address.replace(/^\[|\]$/g, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1')
  return isIP(bare) ? bare : null
}
