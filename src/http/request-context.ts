/** What the HTTP layer remembers about one request while it runs. */
export interface RequestState {
  id: string
  startedAt: number
}

const states = new WeakMap<Request, RequestState>()
const incomingId = /^[A-Za-z0-9._-]{8,64}$/

/** Starts tracking a request; an incoming X-Request-Id is kept when it looks sane. */
export function beginRequest(request: Request): RequestState {
  const offered = request.headers.get('x-request-id')
  const state = {
    id: offered && incomingId.test(offered) ? offered : crypto.randomUUID(),
    startedAt: performance.now(),
  }
  states.set(request, state)
  return state
}

export function requestState(request: Request): RequestState {
  return states.get(request) ?? beginRequest(request)
}

/**
 * The path of a request without `new URL()`, which throws on a malformed Host header (Bun
 * builds request.url from it) and would turn any request into a 500.
 */
export function pathOf(request: Request): string {
  const url = request.url
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start === -1) return '/'
  const end = url.indexOf('?', start)
  return end === -1 ? url.slice(start) : url.slice(start, end)
}
