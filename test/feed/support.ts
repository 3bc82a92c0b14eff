import net from 'node:net'
import { beforeAll } from 'bun:test'
import { useTestContext } from '../support/suite'

/** A websocket client of /ws/calls that records what it receives, for tests and the bench. */
export interface FeedMessage {
  type: string
  seq: number
  time: string
  returnRequestId: string | null
  orderNumber: string | null
  data: any
}

export interface FeedClient {
  ws: WebSocket
  messages: FeedMessage[]
  /** Resolves with the first message (already received or coming) that matches. */
  next(match: (message: FeedMessage) => boolean, timeoutMs?: number): Promise<FeedMessage>
  closed: Promise<{ code: number; reason: string }>
  close(): void
}

export interface FeedClientOptions {
  protocols?: string[]
  headers?: Record<string, string>
}

/** Connects and waits for the socket to open; rejects if it closes first. */
export async function openFeed(url: string, options: FeedClientOptions = {}): Promise<FeedClient> {
  const ws = options.headers
    ? new WebSocket(url, { headers: options.headers, protocols: options.protocols } as never)
    : new WebSocket(url, options.protocols)
  const messages: FeedMessage[] = []
  const waiters = new Set<() => void>()

  ws.onmessage = (event) => {
    messages.push(JSON.parse(String(event.data)))
    for (const wake of waiters) wake()
  }
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.onclose = (event) => resolve({ code: event.code, reason: event.reason })
  })
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve()
    void closed.then((event) => reject(new Error(`closed before opening: ${event.code}`)))
  })

  const next = (match: (message: FeedMessage) => boolean, timeoutMs = 10_000) =>
    new Promise<FeedMessage>((resolve, reject) => {
      const check = () => {
        const found = messages.find(match)
        if (!found) return false
        waiters.delete(check)
        clearTimeout(timer)
        resolve(found)
        return true
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`no matching feed message within ${timeoutMs} ms`))
      }, timeoutMs)
      if (!check()) waiters.add(check)
    })

  return { ws, messages, next, closed, close: () => ws.close() }
}

/** The headers of a websocket upgrade, for checking what a refused upgrade answers. */
export const upgradeHeaders = {
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
}

export interface RawUpgrade {
  socket: net.Socket
  /** The answer's status line and headers. */
  head: string
}

/**
 * Sends a websocket upgrade over a plain TCP socket (to `host:port`) and returns the answer's
 * head unparsed, so a test can see exactly which headers the server sent back.
 */
export async function rawUpgrade(base: string, headers: string[]): Promise<RawUpgrade> {
  const [host, port] = base.split(':')
  const socket = net.createConnection({ host: host!, port: Number(port) })
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.write([
    'GET /ws/calls HTTP/1.1', `Host: ${base}`, 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${upgradeHeaders['sec-websocket-key']}`, 'Sec-WebSocket-Version: 13',
    ...headers, '', '',
  ].join('\r\n'))

  let received = ''
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1')
      if (!received.includes('\r\n\r\n')) return
      socket.off('data', onData)
      resolve()
    }
    socket.on('data', onData)
  })
  return { socket, head: received.slice(0, received.indexOf('\r\n\r\n')) }
}

export interface FeedServer {
  ctx: ReturnType<typeof useTestContext>
  /** `host:port` of the app, listening on loopback once the suite's setup ran. */
  readonly base: string
  /** Opens a client on `/ws/calls<query>`; every client is closed before the app stops. */
  open(query?: string, options?: FeedClientOptions): Promise<FeedClient>
}

/** A test context whose app listens on a real port, for suites that speak websocket. */
export function useFeedServer(env: Record<string, string> = {}): FeedServer {
  const clients: FeedClient[] = []
  let base = ''
  const ctx = useTestContext(env, {
    beforeClose: async ({ app }) => {
      for (const client of clients) client.close()
      await app.stop(true)
    },
  })

  beforeAll(() => {
    const app = ctx.app.listen({ hostname: '127.0.0.1', port: 0 })
    base = `127.0.0.1:${app.server!.port}`
  })

  return {
    ctx,
    get base() {
      return base
    },
    async open(query = '', options = {}) {
      const client = await openFeed(`ws://${base}/ws/calls${query}`, options)
      clients.push(client)
      return client
    },
  }
}
