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
