/**
 * A local stand-in for the Gemini REST API (`POST /v1beta/models/<model>:generateContent`),
 * so tests drive the real @google/generative-ai SDK through GEMINI_BASE_URL. Replies are
 * scripted per marker: a request whose prompt contains the marker (a test's unique order
 * number or product name) takes the next reply queued for it, so jobs left by other tests on
 * a shared database cannot eat them. Anything unscripted gets a 500.
 */

export type FakeGeminiReply =
  /** A candidate whose text is this value as JSON. */
  | { kind: 'json'; value: unknown }
  /** The same, wrapped in a markdown ```json fence. */
  | { kind: 'fenced'; value: unknown }
  /** A candidate with this text as is. */
  | { kind: 'text'; text: string }
  /** A safety block: of the prompt (promptFeedback) or of the answer (finishReason). */
  | { kind: 'safety'; on: 'prompt' | 'answer' }
  /** `candidates: []`. */
  | { kind: 'empty' }
  /** 429 RESOURCE_EXHAUSTED with google.rpc.RetryInfo and Retry-After. */
  | { kind: 'rate-limit'; retryDelaySeconds: number }
  /** Never answers (until the server closes). */
  | { kind: 'hang' }
  /** An HTTP error with Google's error body. */
  | { kind: 'error'; status: number }

export interface RecordedRequest {
  model: string
  apiKey: string | null
  body: any
  /** The prompt's text, for assertions. */
  prompt: string
}

export interface FakeGemini {
  /** For GEMINI_BASE_URL. */
  baseUrl: string
  /** The key the fake accepts; any other gets 400 API_KEY_INVALID. */
  apiKey: string
  requests: RecordedRequest[]
  /** Queues replies, in order, for the next requests whose prompt contains `marker`. */
  script(marker: string, ...replies: FakeGeminiReply[]): void
  /** The requests whose prompt contains `marker`. */
  requestsFor(marker: string): RecordedRequest[]
  close(): Promise<void>
}

const route = /^\/v1beta\/models\/([A-Za-z0-9._-]+):generateContent$/

export function startFakeGemini(apiKey = 'fake-gemini-key'): FakeGemini {
  const requests: RecordedRequest[] = []
  const queues = new Map<string, FakeGeminiReply[]>()
  const nextReply = (prompt: string) => {
    for (const [marker, queue] of queues) {
      if (prompt.includes(marker) && queue.length > 0) return queue.shift()
    }
    return undefined
  }
  const hanging = new Set<() => void>()

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url)
      const match = route.exec(url.pathname)
      if (request.method !== 'POST' || !match) {
        return googleError(404, 'NOT_FOUND', 'No such method')
      }

      const key = request.headers.get('x-goog-api-key') ?? url.searchParams.get('key')
      const body = await request.json().catch(() => null)
      const prompt = promptOf(body)
      requests.push({ model: match[1]!, apiKey: key, body, prompt })
      if (key !== apiKey) {
        return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid key.')
      }

      const reply = nextReply(prompt)
      if (!reply) return googleError(500, 'INTERNAL', 'fake-gemini: no reply was scripted')
      if (reply.kind === 'hang') {
        return new Promise<Response>((resolve) => {
          hanging.add(() => resolve(googleError(503, 'UNAVAILABLE', 'closing')))
        })
      }
      return answer(reply)
    },
  })

  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    apiKey,
    requests,
    script(marker, ...replies) {
      queues.set(marker, [...(queues.get(marker) ?? []), ...replies])
    },
    requestsFor: (marker) => requests.filter((request) => request.prompt.includes(marker)),
    async close() {
      for (const release of hanging) release()
      await server.stop(true)
    },
  }
}

function answer(reply: Exclude<FakeGeminiReply, { kind: 'hang' }>): Response {
  switch (reply.kind) {
    case 'json':
      return candidate(JSON.stringify(reply.value))
    case 'fenced':
      return candidate(`\`\`\`json\n${JSON.stringify(reply.value, null, 2)}\n\`\`\``)
    case 'text':
      return candidate(reply.text)
    case 'safety':
      return reply.on === 'prompt'
        ? Response.json({ promptFeedback: { blockReason: 'SAFETY', safetyRatings: [
          { category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH' }] } })
        : Response.json({ candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: [
          { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH' }] }] })
    case 'empty':
      return Response.json({ candidates: [] })
    case 'rate-limit':
      return googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted.',
        [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo',
          retryDelay: `${reply.retryDelaySeconds}s` }],
        { 'retry-after': String(Math.ceil(reply.retryDelaySeconds)) })
    case 'error':
      return googleError(reply.status, 'INTERNAL', 'An internal error has occurred.')
  }
}

function candidate(text: string): Response {
  return Response.json({
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 50, totalTokenCount: 150 },
    modelVersion: 'fake-gemini',
  })
}

function googleError(
  code: number,
  status: string,
  message: string,
  details?: unknown[],
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error: { code, message, status, ...(details ? { details } : {}) } },
    { status: code, headers },
  )
}

function promptOf(body: any): string {
  const parts = body?.contents?.[0]?.parts ?? []
  return parts.map((part: { text?: string }) => part.text ?? '').join('')
}
