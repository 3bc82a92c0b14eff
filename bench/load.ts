import autocannon from 'autocannon'

/** What one load run measured. Latencies in milliseconds. */
export interface LoadResult {
  tool: 'wrk' | 'autocannon'
  requestsPerSecond: number
  p50: number
  p99: number
  requests: number
  /** Answers outside 2xx/3xx plus socket errors and timeouts: a valid run has none. */
  failures: number
}

export interface LoadOptions {
  url: string
  connections: number
  seconds: number
}

/**
 * Drives `url` with a fixed number of connections for a fixed time. wrk (Debian's `wrk`,
 * written in C) is used when installed, since on a small machine it leaves the CPU to the
 * server under test; otherwise autocannon from npm.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  return Bun.which('wrk') ? runWrk(options) : runAutocannon(options)
}

export function loadToolName(): string {
  return Bun.which('wrk') ? 'wrk' : 'autocannon'
}

async function runWrk({ url, connections, seconds }: LoadOptions): Promise<LoadResult> {
  const threads = Math.min(2, connections)
  const child = Bun.spawn(
    ['wrk', `-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s',
      url],
    { stdout: 'pipe', stderr: 'pipe' },
  )
  const [output, errors, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  if (code !== 0) throw new Error(`wrk failed (${code}): ${errors || output}`)
  return parseWrk(output)
}

/** Reads wrk's `--latency` report. */
export function parseWrk(output: string): LoadResult {
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? NaN)
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
    .exec(output)
  const failures = number(/Non-2xx or 3xx responses: (\d+)/) || 0
  const errors = socketErrors ? socketErrors.slice(1).reduce((s, n) => s + Number(n), 0) : 0

  return {
    tool: 'wrk',
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    p50: wrkLatency(output, '50%'),
    p99: wrkLatency(output, '99%'),
    requests: number(/(\d+) requests in/),
    failures: failures + errors,
  }
}

function wrkLatency(output: string, percentile: string): number {
  const match = new RegExp(`^\\s*${percentile}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output)
  if (!match) return NaN
  const scale = { us: 0.001, ms: 1, s: 1000 }[match[2] as 'us' | 'ms' | 's']
  return Number(match[1]) * scale
}

async function runAutocannon({ url, connections, seconds }: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({ url, connections, duration: seconds, timeout: 10 })
  return {
    tool: 'autocannon',
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  }
}
