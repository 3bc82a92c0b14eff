import type { Config } from '../config'
import { AppError } from '../shared/errors'

export interface WindowRule {
  /** Attempts allowed per window. */
  limit: number
  windowSeconds: number
}

export interface LimiterOptions {
  /** Most keys remembered at once; the oldest windows are dropped beyond it. */
  maxKeys?: number
  /** Milliseconds clock, replaceable in tests. */
  now?: () => number
}

interface Window {
  count: number
  resetAt: number
}

/**
 * Fixed-window counters per key, in this process's memory. Every window has the same length
 * and a key is re-inserted when its window restarts, so the Map's insertion order is also the
 * order of expiry: expired windows are swept from the front, and when `maxKeys` is reached the
 * window that ends first is dropped. Memory stays bounded under a flood of distinct keys.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>()
  private readonly windowMs: number
  private readonly maxKeys: number
  private readonly now: () => number

  constructor(private readonly rule: WindowRule, options: LimiterOptions = {}) {
    this.windowMs = rule.windowSeconds * 1000
    this.maxKeys = options.maxKeys ?? 10_000
    this.now = options.now ?? Date.now
  }

  /** Counts one attempt; answers 0 when allowed, else the seconds until the window ends. */
  hit(key: string): number {
    const now = this.now()
    this.sweep(now)

    let window = this.windows.get(key)
    if (!window) {
      if (this.windows.size >= this.maxKeys) this.dropOldest()
      window = { count: 0, resetAt: now + this.windowMs }
      this.windows.set(key, window)
    }

    if (window.count < this.rule.limit) {
      window.count += 1
      return 0
    }
    return Math.max(1, Math.ceil((window.resetAt - now) / 1000))
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.windows.size
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.resetAt > now) return
      this.windows.delete(key)
    }
  }

  private dropOldest(): void {
    const oldest = this.windows.keys().next()
    if (!oldest.done) this.windows.delete(oldest.value)
  }
}

/** The 429 answer, with the seconds to wait in `Retry-After`. */
export function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError(
    'RATE_LIMITED',
    `Too many attempts; try again in ${retryAfterSeconds} seconds`,
    undefined,
    { 'retry-after': String(retryAfterSeconds) },
  )
}

/** Per-address and per-account limits for one kind of attempt, such as logging in. */
export interface AttemptLimits {
  /** Counts an attempt from a client address (null when unknown); throws 429 when over. */
  address(address: string | null): void
  /** Counts an attempt on an account key (a phone or email); throws 429 when over. */
  account(key: string): void
}

export function attemptLimits(
  rule: Config['rateLimit'],
  options: LimiterOptions = {},
): AttemptLimits {
  const byAddress = new FixedWindowLimiter(
    { limit: rule.perAddress, windowSeconds: rule.windowSeconds }, options,
  )
  const byAccount = new FixedWindowLimiter(
    { limit: rule.perAccount, windowSeconds: rule.windowSeconds }, options,
  )

  const enforce = (limiter: FixedWindowLimiter, key: string) => {
    const wait = limiter.hit(key)
    if (wait > 0) throw rateLimited(wait)
  }

  return {
    address: (address) => enforce(byAddress, address ?? 'unknown'),
    account: (key) => enforce(byAccount, key),
  }
}
