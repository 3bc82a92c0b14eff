import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { authenticate, authorize, type LoadUser } from '../http/auth'
import { AppError } from '../shared/errors'

/** How far a signature's timestamp may be from our clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300
/** Signatures remembered at most; beyond that the oldest are forgotten first. */
const REPLAY_MEMORY_SIZE = 50_000

export const SIGNATURE_HEADER = 'x-signature'
export const SIGNATURE_TIMESTAMP_HEADER = 'x-signature-timestamp'

export interface CallbackCredentials {
  headers: Record<string, string | undefined>
  /** The URL path as received (`/api/orders/returns/...`); the HMAC covers it. */
  path: string
  /** The body exactly as received, which the HMAC covers. */
  rawBody: string
  jwt: { verify(token?: string): Promise<false | Record<string, unknown>> }
}

const refuse = (message: string) => new AppError('UNAUTHENTICATED', message)

/**
 * The signature a calling service sends: hex HMAC-SHA256 with the shared secret over
 * `<timestamp>.<path>.<raw body>`, the timestamp in Unix seconds. The path is signed so a
 * captured callback cannot be replayed against another call's URL.
 */
export function signCallback(
  secret: string,
  timestamp: number | string,
  path: string,
  rawBody: string,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.${path}.${rawBody}`).digest('hex')
}

/**
 * Checks who sent a calling-service callback. Accepted: the shared secret as a bearer token;
 * an HMAC signature with a timestamp within five minutes, each signature usable once per
 * process; or an admin's token. Without a configured secret only admin tokens work.
 * Throws 401 (403 for a signed-in non-admin).
 */
export function callbackAuthenticator(
  secret: string | undefined,
  loadUser: LoadUser,
  clock: () => number = Date.now,
) {
  const seen = new ReplayMemory(REPLAY_MEMORY_SIZE)

  const checkSignature = (credentials: CallbackCredentials) => {
    if (!secret) throw refuse('Signed callbacks need CALLING_WEBHOOK_SECRET on the server')

    const timestamp = credentials.headers[SIGNATURE_TIMESTAMP_HEADER] ?? ''
    const signature = /^sha256=([0-9a-f]{64})$/i.exec(credentials.headers[SIGNATURE_HEADER] ?? '')
    if (!/^\d{1,12}$/.test(timestamp) || !signature) {
      throw refuse('Send X-Signature: sha256=<hex> and X-Signature-Timestamp: <unix seconds>')
    }

    const nowSeconds = Math.floor(clock() / 1000)
    if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
      throw refuse('The signature timestamp is outside the accepted five minutes')
    }

    const expected = signCallback(secret, timestamp, credentials.path, credentials.rawBody)
    const given = signature[1]!.toLowerCase()
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(given))) {
      throw refuse('The signature does not match')
    }

    // Kept one second past the last moment the timestamp check still accepts it.
    const expiresAt = (Number(timestamp) + SIGNATURE_TOLERANCE_SECONDS + 1) * 1000
    if (!seen.remember(given, expiresAt, clock())) throw refuse('The signature was already used')
  }

  return async (credentials: CallbackCredentials): Promise<void> => {
    const { headers } = credentials
    const signed = headers[SIGNATURE_HEADER] ?? headers[SIGNATURE_TIMESTAMP_HEADER]
    if (signed !== undefined) {
      checkSignature(credentials)
      return
    }

    const bearer = /^Bearer (.{1,4096})$/.exec(headers.authorization ?? '')?.[1]
    if (bearer !== undefined && secret !== undefined && sameSecret(bearer, secret)) return

    const user = await authenticate(headers.authorization, credentials.jwt, loadUser)
    authorize(user, 'admin')
  }
}

/** Constant-time comparison that does not reveal the secret's length either. */
function sameSecret(given: string, secret: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(secret))
}

/**
 * Signatures seen recently, each kept until its timestamp leaves the accepted window (after
 * which the timestamp check refuses it anyway). Bounded: when full, the oldest go first.
 */
class ReplayMemory {
  private readonly expiries = new Map<string, number>()

  constructor(private readonly capacity: number) {}

  /** Records a signature; false when it was already there. */
  remember(signature: string, expiresAt: number, now: number): boolean {
    this.prune(now)
    if (this.expiries.has(signature)) return false

    this.expiries.set(signature, expiresAt)
    if (this.expiries.size > this.capacity) {
      const oldest = this.expiries.keys().next().value
      if (oldest !== undefined) this.expiries.delete(oldest)
    }
    return true
  }

  private prune(now: number) {
    for (const [signature, expiresAt] of this.expiries) {
      if (expiresAt >= now) break
      this.expiries.delete(signature)
    }
  }
}
