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
  const offered = (headers['sec-websocket-protocol'] ?? '').split(',').map((item) => item.trim())
  const fromProtocol = offered.find((item) => item.startsWith(BEARER_PREFIX))
  if (fromProtocol) return fromProtocol.slice(BEARER_PREFIX.length)
  if (queryToken) return queryToken

  const match = /^Bearer (.+)$/.exec(headers.authorization ?? '')
  return match?.[1]
}

/** The subprotocol to answer with: browsers drop a connection whose offer gets no answer. */
export function chosenProtocol(header: string | undefined): string | undefined {
  const offered = (header ?? '').split(',').map((item) => item.trim()).filter(Boolean)
  if (offered.length === 0) return undefined
  return offered.includes(FEED_PROTOCOL) ? FEED_PROTOCOL : offered[0]
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
