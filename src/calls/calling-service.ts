import type { Config } from '../config'
import type { Transaction } from '../db/client'
import { PermanentJobError, RetryLaterError } from '../jobs/errors'

/** `POST $CALLING_SERVICE_URL` body: the older calling engine's protocol. */
export interface PlaceCallRequest {
  number: string
  prompt: string
  first_message: string
  /** Extra: where status callbacks for this call go; engines that ignore it lose nothing. */
  callback_url: string
}

export interface PlacedCall {
  callSid: string
}

/** Something that places calls: the real service over HTTP, or the built-in simulator. */
export interface CallingService {
  kind: 'http' | 'simulator'
  place(request: PlaceCallRequest, returnRequestId: string): Promise<PlacedCall>
  /** Runs in the transaction that stores the call id (the simulator queues its first step). */
  afterPlaced?(tx: Transaction, call: { returnRequestId: string; callSid: string }): Promise<void>
}

const CALL_SID = /^[A-Za-z0-9._:-]{1,128}$/
const MAX_ANSWER_BYTES = 64 * 1024

/**
 * The calling service over HTTP. Network errors, timeouts, 408, 429 and 5xx are worth
 * retrying (thrown as plain errors, or RetryLaterError when 429 names a delay); other 4xx
 * answers mean the call can never be placed (PermanentJobError). A 2xx answer without a
 * usable `{ callSid }` is retried: the service may be mid-deploy.
 */
export function httpCallingService(
  config: Config['calling'] & { serviceUrl: string },
): CallingService {
  return {
    kind: 'http',
    async place(request, returnRequestId) {
      const response = await post(config.serviceUrl, request, returnRequestId, config.timeoutMs)
      const status = response.status

      if (status === 429) {
        const delayMs = retryAfterMs(response.headers.get('retry-after'))
        const message = 'the calling service is rate limiting (429)'
        throw delayMs === undefined ? new Error(message) : new RetryLaterError(message, delayMs)
      }
      if (status === 408 || status >= 500) {
        throw new Error(`the calling service answered ${status}`)
      }
      if (status >= 400) {
        throw new PermanentJobError(`the calling service refused the call (${status})`)
      }
      if (status < 200 || status >= 300) {
        throw new Error(`the calling service answered ${status}`)
      }
      return { callSid: await callSidOf(response) }
    },
  }
}

async function post(url: string, request: PlaceCallRequest, id: string, timeoutMs: number) {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        // Lets a service that supports it refuse a second call for the same request.
        'idempotency-key': `call:${id}`,
      },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    })
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      throw new Error(`the calling service did not answer within ${timeoutMs} ms`)
    }
    throw new Error('the calling service is unreachable')
  }
}

async function callSidOf(response: Response): Promise<string> {
  let answer: unknown
  try {
    const text = await response.text()
    if (text.length > MAX_ANSWER_BYTES) throw new Error('too large')
    answer = JSON.parse(text)
  } catch {
    throw new Error('the calling service answered without valid JSON')
  }

  const callSid = (answer as { callSid?: unknown } | null)?.callSid
  if (typeof callSid !== 'string' || !CALL_SID.test(callSid)) {
    throw new Error('the calling service answered without a valid callSid')
  }
  return callSid
}

/** Retry-After in seconds or as an HTTP date, capped at an hour. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const ms = /^\d{1,7}$/.test(header.trim())
    ? Number(header.trim()) * 1000
    : Date.parse(header) - Date.now()
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 3_600_000) : undefined
}
