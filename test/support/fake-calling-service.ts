import { createHmac } from 'node:crypto'

/**
 * A local stand-in for the calling service, speaking its protocol over real HTTP:
 * `POST /` with `{ number, prompt, first_message }` answered by `{ callSid }`, and status
 * callbacks played back to our API with the shared secret. Listens on 127.0.0.1, port 0.
 */
export type FakeAnswer =
  | 'ok'
  /** 500, worth retrying. */
  | 'error-500'
  /** 400, a refusal that retrying cannot fix. */
  | 'error-400'
  /** 429 with Retry-After: 1. */
  | 'rate-limited'
  /** 200 without a callSid. */
  | 'garbage'
  /** Never answers (until the fake stops). */
  | 'hang'

export interface RecordedCall {
  body: { number: string; prompt: string; first_message: string; callback_url?: string }
  headers: Record<string, string>
  /** The callSid answered; undefined when the request was failed on purpose. */
  callSid: string | undefined
}

export interface CallbackBody {
  isCalled: string
  transcript?: { type: 'agent' | 'user'; text: string; timestamp: string }[]
  reason?: string
}

export type CallbackAuth =
  | { kind: 'bearer'; secret: string }
  | { kind: 'hmac'; secret: string; timestamp?: number }
  | { kind: 'none' }

export interface FakeCallingService {
  url: string
  requests: RecordedCall[]
  /**
   * Answers the next `times` calls to `number` this way (then back to 'ok'). Keyed by number
   * so jobs of other tests sharing a database cannot use up the plan.
   */
  answerNext(number: string, answer: FakeAnswer, times?: number): void
  /** The calls placed to one number. */
  callsTo(number: string): RecordedCall[]
  /** Resolves once `count` calls to `number` have arrived. */
  waitForCalls(number: string, count: number, timeoutMs?: number): Promise<void>
  /** Sends one status callback by callSid to the API at `apiUrl`. */
  callback(apiUrl: string, callSid: string, body: CallbackBody, auth: CallbackAuth):
    Promise<Response>
  /** Plays callbacks one after the other, `gapMs` apart; stops at the first non-2xx answer. */
  play(
    apiUrl: string, callSid: string, updates: CallbackBody[], auth: CallbackAuth, gapMs?: number,
  ): Promise<Response[]>
  stop(): Promise<void>
}

/** The headers of a signed callback: hex HMAC-SHA256 of `<timestamp>.<path>.<raw body>`. */
export function signedHeaders(
  secret: string,
  path: string,
  rawBody: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const hex = createHmac('sha256', secret).update(`${timestamp}.${path}.${rawBody}`).digest('hex')
  return { 'x-signature': `sha256=${hex}`, 'x-signature-timestamp': String(timestamp) }
}

export function startFakeCallingService(): FakeCallingService {
  const requests: RecordedCall[] = []
  const planned = new Map<string, FakeAnswer[]>()
  const hanging: (() => void)[] = []
  const waiters: (() => void)[] = []

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const body = await request.json() as RecordedCall['body']
      const answer = planned.get(body.number)?.shift() ?? 'ok'
      const callSid = answer === 'ok' ? `CA${crypto.randomUUID().replaceAll('-', '')}` : undefined
      requests.push({ body, headers: Object.fromEntries(request.headers), callSid })
      waiters.splice(0).forEach((wake) => wake())
      return respond(answer, callSid, hanging)
    },
  })

  const callback: FakeCallingService['callback'] = async (apiUrl, callSid, body, auth) => {
    const raw = JSON.stringify(body)
    const path = `/api/orders/returns/call/${encodeURIComponent(callSid)}/status`
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (auth.kind === 'bearer') headers.authorization = `Bearer ${auth.secret}`
    if (auth.kind === 'hmac') {
      Object.assign(headers, signedHeaders(auth.secret, path, raw, auth.timestamp))
    }
    return fetch(`${apiUrl}${path}`, { method: 'PUT', headers, body: raw })
  }

  return {
    url: `http://127.0.0.1:${server.port}/`,
    requests,
    answerNext(number, answer, times = 1) {
      const plan = planned.get(number) ?? []
      for (let i = 0; i < times; i++) plan.push(answer)
      planned.set(number, plan)
    },
    callsTo(number) {
      return requests.filter((request) => request.body.number === number)
    },
    async waitForCalls(number, count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      const placed = () => requests.filter((request) => request.body.number === number).length
      while (placed() < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} calls, got ${placed()}`)
        await new Promise<void>((wake) => {
          waiters.push(wake)
          setTimeout(wake, 50)
        })
      }
    },
    callback,
    async play(apiUrl, callSid, updates, auth, gapMs = 0) {
      const answers: Response[] = []
      for (const update of updates) {
        const response = await callback(apiUrl, callSid, update, auth)
        answers.push(response)
        if (!response.ok) break
        if (gapMs > 0) await Bun.sleep(gapMs)
      }
      return answers
    },
    async stop() {
      hanging.splice(0).forEach((release) => release())
      await server.stop(true)
    },
  }
}

function respond(answer: FakeAnswer, callSid: string | undefined, hanging: (() => void)[]) {
  switch (answer) {
    case 'ok':
      return Response.json({ callSid })
    case 'error-500':
      return Response.json({ error: 'engine overloaded' }, { status: 500 })
    case 'error-400':
      return Response.json({ error: 'invalid number' }, { status: 400 })
    case 'rate-limited':
      return Response.json({ error: 'slow down' }, { status: 429, headers: { 'retry-after': '1' } })
    case 'garbage':
      return Response.json({ status: 'queued' })
    case 'hang':
      return new Promise<Response>((resolve) => {
        hanging.push(() => resolve(new Response('stopped', { status: 503 })))
      })
  }
}
