import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../app-deps'
import type { AuthPlugin } from '../../http/auth'
import { authUserLoader } from '../../users/auth-user'
import { CallFeedHub } from './hub'
import { FeedCloseCode } from './messages'
import { authenticateFeed, chosenProtocol, feedToken } from './socket-auth'
import { syncNewSubscriber } from './sync'
import { FeedSubscriber } from './subscriber'

const FeedQuery = t.Object({
  token: t.Optional(t.String({ maxLength: 4096, description: 'Admin JWT (browsers)' })),
  since: t.Optional(t.String({
    pattern: '^\\d{1,15}$', description: 'Last sequence number seen: replay what came after',
  })),
})

/** Characters held for a congested client, whatever the message count. */
const MAX_QUEUED_CHARS = 8 * 1024 * 1024
/** setTimeout's ceiling; tokens living longer are not cut off by the timer. */
const MAX_TIMER_MS = 2 ** 31 - 1

interface Session {
  subscriber: FeedSubscriber
  expiry: ReturnType<typeof setTimeout> | undefined
}

/**
 * `GET /ws/calls`: the live feed of call events for admins. The token is checked before the
 * upgrade (a refused client gets a plain 401/403 answer); on connect the client gets a
 * snapshot of active calls, or with `?since=<seq>` the events it missed.
 */
export function callFeedRoutes(deps: AppDeps, auth: AuthPlugin) {
  const log = deps.logger.child({ area: 'feed' })
  const hub = new CallFeedHub(deps.database, log)
  const loadUser = authUserLoader(deps.database.db)
  const sessions = new Map<string, Session>()
  const limits = {
    maxQueuedMessages: deps.config.feed.clientQueueLimit,
    maxQueuedChars: MAX_QUEUED_CHARS,
  }

  const endSession = (id: string) => {
    const session = sessions.get(id)
    if (!session) return
    sessions.delete(id)
    clearTimeout(session.expiry)
    session.subscriber.detach()
    hub.remove(session.subscriber)
  }

  return new Elysia({ name: 'call-feed-routes' })
    .use(auth)
    .macro({
      // A macro's resolve runs once per upgrade, before it (a ws beforeHandle runs twice).
      feedAdmin: {
        async resolve({ headers, query, jwt }) {
          const queryToken = typeof query.token === 'string' ? query.token : undefined
          const token = feedToken(headers, queryToken)
          return { feedAdmin: await authenticateFeed(token, jwt, loadUser) }
        },
      },
    })
    .onStop(() => hub.stop())
    .ws('/ws/calls', {
      feedAdmin: true,
      query: FeedQuery,
      upgrade({ headers, set }) {
        const protocol = chosenProtocol(headers['sec-websocket-protocol'])
        if (protocol) set.headers['sec-websocket-protocol'] = protocol
      },
      async open(ws) {
        const { feedAdmin, query } = ws.data
        const subscriber = new FeedSubscriber(ws.raw, limits, () => {
          log.warn('feed.client_too_slow', { userId: feedAdmin.user.id })
          endSession(ws.id)
        })
        const untilExpiry = (feedAdmin.expiresAt ?? Infinity) - Date.now()
        const expiry = untilExpiry < MAX_TIMER_MS
          ? setTimeout(() => subscriber.close(FeedCloseCode.tokenExpired, 'token expired'),
            Math.max(0, untilExpiry))
          : undefined
        sessions.set(ws.id, { subscriber, expiry })

        try {
          await hub.start()
          hub.add(subscriber)
          const since = query.since === undefined ? undefined : Number(query.since)
          await syncNewSubscriber(deps.database.db, subscriber, since, deps.config.feed.replayLimit)
        } catch (error) {
          log.error('feed.open_failed', { err: error as Error })
          subscriber.close(FeedCloseCode.interrupted, 'feed unavailable; reconnect later')
        }
      },
      drain(ws) {
        sessions.get(ws.id)?.subscriber.drain()
      },
      close(ws) {
        endSession(ws.id)
      },
      message() {
        // The feed is one-way; whatever a client sends is ignored.
      },
      // OpenAPI has no websocket operations: the feed is described in
      // docs/live-feed-and-console.md and in the console route's description.
      detail: { hide: true },
    })
}
