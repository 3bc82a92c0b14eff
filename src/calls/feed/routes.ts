import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../app-deps'
import type { AuthPlugin } from '../../http/auth'
import { authUserLoader } from '../../users/auth-user'
import { CallFeedHub } from './hub'
import { FeedCloseCode } from './messages'
import { FeedSessions } from './sessions'
import {
  authenticateFeed, checkOfferedProtocols, chosenProtocol, feedToken,
} from './socket-auth'
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

/**
 * `GET /ws/calls`: the live feed of call events for admins. The token is checked before the
 * upgrade (a refused client gets a plain 401/403 answer); on connect the client gets a
 * snapshot of active calls, or with `?since=<seq>` the events it missed.
 */
export function callFeedRoutes(deps: AppDeps, auth: AuthPlugin) {
  const log = deps.logger.child({ area: 'feed' })
  const hub = new CallFeedHub(deps.database, log)
  const loadUser = authUserLoader(deps.database.db)
  const sessions = new FeedSessions(deps.database.db, deps.config.feed.accountCheckMs, log)
  const limits = {
    maxQueuedMessages: deps.config.feed.clientQueueLimit,
    maxQueuedChars: MAX_QUEUED_CHARS,
  }

  const endSession = (id: string) => {
    const subscriber = sessions.end(id)
    if (!subscriber) return
    subscriber.detach()
    hub.remove(subscriber)
  }

  return new Elysia({ name: 'call-feed-routes' })
    .use(auth)
    .macro({
      // A macro's resolve runs once per upgrade, before it (a ws beforeHandle runs twice).
      feedAdmin: {
        async resolve({ headers, query, jwt }) {
          checkOfferedProtocols(headers['sec-websocket-protocol'])
          const queryToken = typeof query.token === 'string' ? query.token : undefined
          const token = feedToken(headers, queryToken)
          return { feedAdmin: await authenticateFeed(token, jwt, loadUser) }
        },
      },
    })
    .onStop(() => {
      sessions.stop()
      return hub.stop()
    })
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
        sessions.open(ws.id, subscriber, feedAdmin)

        try {
          await hub.start()
          if (subscriber.closed) return
          hub.add(subscriber)
          await syncNewSubscriber(deps.database.db, subscriber, {
            since: query.since === undefined ? undefined : Number(query.since),
            replayLimit: deps.config.feed.replayLimit,
            settled: hub.position,
          })
        } catch (error) {
          log.error('feed.open_failed', { err: error as Error })
          subscriber.close(FeedCloseCode.interrupted, 'feed unavailable; reconnect later')
        }
      },
      drain(ws) {
        sessions.subscriber(ws.id)?.drain()
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
