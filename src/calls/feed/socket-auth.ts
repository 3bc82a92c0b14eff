import { AppError } from '../../shared/errors'
import { authenticate, authorize, type AuthUser, type LoadUser } from '../../http/auth'

/** The subprotocol the feed speaks; browsers offer it next to `bearer.<jwt>`. */
export const FEED_PROTOCOL = 'calls.v1'
const BEARER_PREFIX = 'bearer.'

interface TokenVerifier {
  verify(token?: string): Promise<false | Record<string, unknown>>
}

export interface FeedAdmin {
  user: AuthUser
  /** When the token expires (ms since epoch); the feed closes the socket then. */
  expiresAt: number | undefined
}

/**
 * Finds the token of an upgrade request. Browsers cannot set headers on a websocket, so it
 * may come as a `bearer.<jwt>` subprotocol (preferred: kept out of URLs and logs) or as
 * `?token=`; other clients may send the usual Authorization header.
 */
export function feedToken(
  headers: Record<string, string | undefined>,
  queryToken: string | undefined,
): string | undefined {
  const offered = offeredProtocols(headers['sec-websocket-protocol'])
  const fromProtocol = offered.find((item) => item.startsWith(BEARER_PREFIX))
  if (fromProtocol) return fromProtocol.slice(BEARER_PREFIX.length)
  if (queryToken) return queryToken

  const match = /^Bearer (.+)$/.exec(headers.authorization ?? '')
  return match?.[1]
}

/** The subprotocols a client offered, in its order. */
function offeredProtocols(header: string | undefined): string[] {
  return (header ?? '').split(',').map((item) => item.trim()).filter(Boolean)
}

/**
 * Refuses an upgrade that offers subprotocols without `calls.v1`: the server must answer one
 * of the offered names (browsers drop the connection otherwise) and it only ever answers
 * `calls.v1`, never a `bearer.<jwt>` that would echo the token back in a response header.
 */
export function checkOfferedProtocols(header: string | undefined): void {
  const offered = offeredProtocols(header)
  if (offered.length === 0 || offered.includes(FEED_PROTOCOL)) return

  const message = `offer ${FEED_PROTOCOL} next to bearer.<jwt>`
  throw new AppError('VALIDATION_FAILED', `sec-websocket-protocol: ${message}`,
    [{ field: 'sec-websocket-protocol', message }])
}

/** The subprotocol to answer with: `calls.v1` when offered, else none. */
export function chosenProtocol(header: string | undefined): string | undefined {
  return offeredProtocols(header).includes(FEED_PROTOCOL) ? FEED_PROTOCOL : undefined
}

/** Checks the upgrade's token like any route does, and that it belongs to an admin. */
export async function authenticateFeed(
  token: string | undefined,
  verifier: TokenVerifier,
  loadUser: LoadUser,
): Promise<FeedAdmin> {
  if (!token) {
    throw new AppError('UNAUTHENTICATED',
      'Send an admin token as the bearer.<jwt> subprotocol, ?token= or an Authorization header')
  }

  const user = await authenticate(`Bearer ${token}`, verifier, loadUser)
  authorize(user, 'admin')

  const claims = await verifier.verify(token)
  const exp = claims ? claims.exp : undefined
  return { user, expiresAt: typeof exp === 'number' ? exp * 1000 : undefined }
}
