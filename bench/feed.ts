/**
 * Fan-out of the live call feed: events recorded in the database reach every websocket
 * subscriber of /ws/calls on loopback. Reports delivered messages/s and the latency from
 * recording an event to its receipt, twice: with all subscribers reading, and with one more
 * subscriber that completes the handshake and never reads again. Not part of `bun test`.
 *
 *   bun bench/feed.ts                                   # embedded database
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55432/ae_feed bun bench/feed.ts
 *   bun bench/feed.ts --subscribers 1000 --events 4000 --payload 2000 --processes 2
 *
 * The server runs in this process; subscribers run in `--processes` child processes so their
 * JSON parsing does not share the server's event loop.
 */
import net from 'node:net'
import { parseArgs } from 'node:util'
import { SignJWT } from 'jose'
import { createApp } from '../src/app'
import { sql } from 'drizzle-orm'
import { CALL_EVENTS_CHANNEL } from '../src/calls/events'
import { loadConfig } from '../src/config'
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../src/db/client'
import { callEvents, users } from '../src/db/schema'
import { printSummary } from '../src/cli/progress'
import { createLogger, type Logger } from '../src/shared/logger'

interface Options {
  subscribers: number
  events: number
  payload: number
  batch: number
  processes: number
  databaseUrl: string | undefined
}

/** What one child process of subscribers reports when every socket has every event. */
interface ClientReport {
  received: number
  lastAt: number
  p50: number
  p99: number
}

interface RunResult extends ClientReport {
  seconds: number
  rate: number
  stalled: string
}

const jwtSecret = `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`
const now = () => performance.timeOrigin + performance.now()

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string', default: '1000' },
      events: { type: 'string', default: '4000' },
      payload: { type: 'string', default: '2000' },
      batch: { type: 'string', default: '100' },
      processes: { type: 'string', default: '2' },
    },
  })
  const number = (name: keyof typeof values, min: number, max: number) => {
    const value = Number(values[name])
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be an integer from ${min} to ${max}`)
    }
    return value
  }
  return {
    subscribers: number('subscribers', 1, 20_000),
    events: number('events', 1, 1_000_000),
    payload: number('payload', 10, 60_000),
    batch: number('batch', 1, 1000),
    processes: number('processes', 1, 32),
    databaseUrl: process.env.DATABASE_URL,
  }
}

// --- Subscriber processes ----------------------------------------------------------------

/** Child mode: `count` sockets; prints "ready", then one JSON report when all have `events`. */
async function runSubscribers(url: string, count: number, events: number, run: string) {
  const counts = new Array<number>(count).fill(0)
  const latencies: number[] = []
  let complete = 0
  let lastAt = 0
  let opened = 0

  await new Promise<void>((resolve) => {
    for (let index = 0; index < count; index++) {
      const ws = new WebSocket(url)
      ws.onmessage = (message) => {
        const text = String(message.data)
        if (!text.includes(run)) {
          if (text.includes('"snapshot"') && ++opened === count) resolve()
          return
        }
        // Parsing every message would measure JSON.parse; the first socket samples latency.
        if (index === 0) latencies.push(now() - JSON.parse(text).data.sentAt)
        counts[index] = counts[index]! + 1
        if (counts[index] === events) {
          lastAt = now()
          complete += 1
          if (complete === count) report()
        }
      }
    }
  })
  process.stdout.write('ready\n')

  function report() {
    latencies.sort((a, b) => a - b)
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!
    const result: ClientReport = {
      received: counts.reduce((sum, value) => sum + value, 0), lastAt, p50: at(0.5), p99: at(0.99),
    }
    process.stdout.write(`${JSON.stringify(result)}\n`)
    process.exit(0)
  }
}

interface Child {
  ready: Promise<void>
  report: Promise<ClientReport>
  kill(): void
}

function spawnSubscribers(url: string, count: number, events: number, run: string): Child {
  const child = Bun.spawn([process.execPath, import.meta.path, 'subscribers', url,
    String(count), String(events), run], { stdout: 'pipe', stderr: 'inherit' })
  const lines = readLines(child.stdout)
  const ready = lines.next().then(({ value }) => {
    if (value !== 'ready') throw new Error(`a subscriber process failed: ${value}`)
  })
  const report = ready.then(() => lines.next()).then(({ value }) => JSON.parse(value!))
  return { ready, report, kill: () => child.kill() }
}

async function* readLines(stream: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder()
  let buffered = ''
  for await (const chunk of stream) {
    buffered += decoder.decode(chunk, { stream: true })
    let newline = buffered.indexOf('\n')
    while (newline >= 0) {
      yield buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      newline = buffered.indexOf('\n')
    }
  }
}

// --- The server side ---------------------------------------------------------------------

async function adminToken(database: DatabaseHandle): Promise<string> {
  const [admin] = await database.db.insert(users).values({
    name: 'Feed bench admin',
    email: `feed-bench-${crypto.randomUUID()}@example.com`,
    role: 'admin',
    passwordHash: 'not-used',
  }).returning({ id: users.id })
  return new SignJWT({ sub: admin!.id })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(jwtSecret))
}

/** A subscriber that completes the websocket handshake and never reads again. */
async function stalledSubscriber(port: number, token: string): Promise<net.Socket> {
  const socket = net.createConnection({ host: '127.0.0.1', port })
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.write([
    'GET /ws/calls HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: websocket',
    'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13', `Sec-WebSocket-Protocol: calls.v1, bearer.${token}`, '', '',
  ].join('\r\n'))
  await new Promise((resolve) => socket.once('data', resolve))
  socket.pause()
  return socket
}

/**
 * Records the events in batches: one multi-row insert and one NOTIFY per event, in one
 * transaction, as `recordCallEvent` would do row by row. Batching keeps the database from
 * being the bottleneck, so the figures measure the fan-out.
 */
async function recordEvents(database: DatabaseHandle, options: Options, run: string) {
  const text = 'x'.repeat(options.payload)
  const returnRequestId = crypto.randomUUID()
  for (let done = 0; done < options.events; done += options.batch) {
    const size = Math.min(options.batch, options.events - done)
    await database.db.transaction(async (tx) => {
      const sentAt = now()
      const rows = await tx.insert(callEvents).values(Array.from({ length: size }, () => ({
        type: 'call.transcript', returnRequestId, orderNumber: `BENCH-${run}`,
        data: { run, sentAt, lines: [{ type: 'user', text, timestamp: '' }] },
      }))).returning({ id: callEvents.id })
      const ids = sql.raw(rows.map((row) => Number(row.id)).join(','))
      await tx.execute(sql`select pg_notify(${CALL_EVENTS_CHANNEL}, id::text)
        from unnest(array[${ids}]::bigint[]) as id order by id`)
    })
  }
}

async function runOnce(
  database: DatabaseHandle,
  port: number,
  token: string,
  options: Options,
  withStalled: boolean,
  cutOff: () => number,
): Promise<RunResult> {
  const run = `run-${crypto.randomUUID()}`
  const url = `ws://127.0.0.1:${port}/ws/calls?token=${token}`
  const perProcess = Math.ceil(options.subscribers / options.processes)
  const children = Array.from({ length: options.processes }, (_, index) => {
    const count = Math.min(perProcess, options.subscribers - index * perProcess)
    return spawnSubscribers(url, count, options.events, run)
  }).filter((_, index) => index * perProcess < options.subscribers)

  try {
    await Promise.all(children.map((child) => child.ready))
    const stalled = withStalled ? await stalledSubscriber(port, token) : undefined
    const cutBefore = cutOff()

    const started = now()
    await recordEvents(database, options, run)
    const reports = await Promise.all(children.map((child) => child.report))
    stalled?.destroy()

    const received = reports.reduce((sum, report) => sum + report.received, 0)
    const lastAt = Math.max(...reports.map((report) => report.lastAt))
    const seconds = (lastAt - started) / 1000
    return {
      received, lastAt, seconds, rate: received / seconds,
      p50: Math.max(...reports.map((report) => report.p50)),
      p99: Math.max(...reports.map((report) => report.p99)),
      stalled: !withStalled ? 'none'
        : cutOff() > cutBefore ? 'cut off (queue limit)' : 'still buffered by the kernel',
    }
  } finally {
    for (const child of children) child.kill()
  }
}

async function main() {
  const options = readOptions()
  const config = loadConfig({
    NODE_ENV: 'test', JWT_SECRET: jwtSecret, DATABASE_URL: options.databaseUrl, LOG_LEVEL: 'silent',
  })
  const database = await openDatabase({
    databaseUrl: options.databaseUrl, dataDir: 'memory://', maxConnections: 10,
  })
  await migrateDatabase(database)

  let cut = 0
  const logger: Logger = {
    ...createLogger('silent'),
    warn: (event) => void (event === 'feed.client_too_slow' && cut++),
    child: () => logger,
  }
  const app = createApp({ config, database, logger }).listen({ hostname: '127.0.0.1', port: 0 })
  const port = app.server!.port!
  const token = await adminToken(database)

  process.stderr.write(`feed bench: ${options.subscribers} subscribers, `
    + `${options.events} events of ${options.payload} characters, ${database.kind}\n`)
  // A short first run warms up the JIT and the connections; its figures are dropped.
  await runOnce(database, port, token, { ...options, events: Math.min(50, options.events) },
    false, () => cut)

  const rows: Record<string, string> = {}
  for (const withStalled of [false, true]) {
    const result = await runOnce(database, port, token, options, withStalled, () => cut)
    const label = withStalled ? '+ 1 stalled' : 'all reading'
    rows[`${label}: delivered`] = `${result.received} messages in ${result.seconds.toFixed(2)} s`
    rows[`${label}: rate`] = `${Math.round(result.rate).toLocaleString('en')} messages/s`
    rows[`${label}: latency`] = `p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms`
    if (withStalled) rows['stalled subscriber'] = result.stalled
  }
  printSummary('Live feed fan-out (loopback)', rows, process.stdout)

  await app.stop(true)
  await database.close()
}

if (process.argv[2] === 'subscribers') {
  const [, , , url, count, events, run] = process.argv
  await runSubscribers(url!, Number(count), Number(events), run!)
} else {
  await main()
}
