/**
 * Reads environment variables into typed values, collecting every problem instead of
 * stopping at the first so a bad deployment is fixed in one go.
 */
export class EnvReader {
  readonly problems: string[] = []

  constructor(private readonly env: Record<string, string | undefined>) {}

  string(name: string, fallback: string): string {
    const value = this.env[name]?.trim()
    return value === undefined || value === '' ? fallback : value
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name)
    if (raw === undefined) return fallback

    const value = /^-?\d+$/.test(raw) ? Number(raw) : NaN
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`)
      return fallback
    }
    return value
  }

  decimal(name: string, fallback: string): string {
    const raw = this.optional(name)
    if (raw === undefined) return fallback

    if (!/^\d{1,8}(\.\d{1,4})?$/.test(raw)) {
      this.problems.push(`${name} must be a plain decimal such as 0.10, got "${raw}"`)
      return fallback
    }
    return raw
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name)
    if (raw === undefined) return fallback

    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`)
      return fallback
    }
    return raw as T
  }

  url(name: string): string | undefined {
    const raw = this.optional(name)
    if (raw === undefined) return undefined

    try {
      const parsed = new URL(raw)
      if (!['http:', 'https:', 'postgres:', 'postgresql:'].includes(parsed.protocol)) {
        throw new Error('protocol')
      }
      return raw
    } catch {
      this.problems.push(`${name} must be an absolute http(s) or postgres URL`)
      return undefined
    }
  }

  list(name: string, fallback: string[]): string[] {
    const raw = this.optional(name)
    if (raw === undefined) return fallback
    return raw.split(',').map((item) => item.trim()).filter((item) => item !== '')
  }
}

/** Parses durations such as `15m`, `7d` or a number of seconds into seconds. */
export function parseDurationSeconds(raw: string): number | undefined {
  const match = /^(\d{1,9})\s*([smhd]?)$/.exec(raw.trim())
  if (!match) return undefined

  const units: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }
  const seconds = Number(match[1]) * (units[match[2] ?? ''] ?? 1)
  return seconds > 0 ? seconds : undefined
}
