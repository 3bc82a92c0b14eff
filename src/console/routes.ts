import { resolve } from 'node:path'
import { Elysia, t } from 'elysia'
import type { AppDeps } from '../app-deps'

/** The page's files, shipped as they are: no build step. */
const assets = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const

type Asset = keyof typeof assets

function serve(name: Asset): Response {
  return new Response(Bun.file(resolve(import.meta.dir, name)), {
    headers: {
      'content-type': assets[name],
      // Small files that change with each deployment: revalidate instead of caching stale.
      'cache-control': 'no-cache',
    },
  })
}

/**
 * `GET /console`: the ops console, one page where an admin signs in and watches calls live
 * over `/ws/calls`. Its token lives in sessionStorage; the page itself is public.
 */
export function consoleRoutes(_deps: AppDeps) {
  return new Elysia({ name: 'console-routes' })
    .get('/console', () => serve('index.html'), {
      response: { 200: t.String({ description: 'The console page (HTML)' }) },
      detail: {
        tags: ['Console'],
        summary: 'Ops console: live calls, transcripts and analyses (admins sign in on the page)',
        description: 'The page follows the admin websocket GET /ws/calls (token as the '
          + 'bearer.<jwt> subprotocol next to calls.v1, or ?token=; snapshot on connect, '
          + '?since=<seq> to resume); see docs/live-feed-and-console.md.',
      },
    })
    .get('/console/console.js', () => serve('console.js'), { detail: { hide: true } })
    .get('/console/console.css', () => serve('console.css'), { detail: { hide: true } })
}
