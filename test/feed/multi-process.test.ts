import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { resolve } from 'node:path'
import { seedReturn } from '../analysis/support'
import {
  TEST_JWT_SECRET, createAccount, createTestContext, type TestContext,
} from '../support/harness'
import { openFeed, type FeedClient } from './support'
import { startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres'

// Two API processes need one real PostgreSQL: DATABASE_URL, else a throwaway cluster.
const throwaway: ThrowawayPostgres | undefined = process.env.DATABASE_URL
  ? undefined
  : await startThrowawayPostgres()
const databaseUrl = process.env.DATABASE_URL ?? throwaway?.url
if (!databaseUrl) {
  process.stderr.write('SKIPPED test/feed/multi-process.test.ts: set DATABASE_URL or install '
    + 'PostgreSQL (PG_BIN or /usr/lib/postgresql/*/bin) to run the two-process feed test\n')
}

interface ApiProcess {
  url: string
  child: ReturnType<typeof Bun.spawn>
}

const repoRoot = resolve(import.meta.dir, '../..')
/** Starting API processes, each compiling its modules, on a busy machine. */
const PROCESS_START_MS = 120_000
const processes: ApiProcess[] = []
let ctx: TestContext

/** Starts `bun src/index.ts` the way the README does and waits for its listening line. */
async function startApi(url: string): Promise<ApiProcess> {
  const child = Bun.spawn([process.execPath, 'src/index.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: url,
      JWT_SECRET: TEST_JWT_SECRET,
      QUEUE_POLL_MS: '60000',
      GEMINI_API_KEY: '',
      CALLING_SERVICE_URL: '',
    },
    stdout: 'pipe',
    stderr: 'pipe',
  })

  const errors = new Response(child.stderr).text()
  // Keep reading stdout after the listening line: a closed pipe would kill the process on
  // its next log line.
  const reader = child.stdout.getReader()
  const decoder = new TextDecoder()
  let seen = ''
  while (true) {
    const { done, value } = await reader.read()
    if (done) break
    seen += decoder.decode(value, { stream: true })
    const line = seen.split('\n').find((text) => text.includes('"server.listening"'))
    if (line) {
      void (async () => { while (!(await reader.read()).done); })()
      return { url: JSON.parse(line).url, child }
    }
  }
  throw new Error(`the API process exited before listening: ${(await errors).slice(0, 1000)}`)
}

async function stopApi(api: ApiProcess) {
  api.child.kill('SIGTERM')
  const exited = await Promise.race([api.child.exited, Bun.sleep(10_000).then(() => 'timeout')])
  if (exited === 'timeout') api.child.kill('SIGKILL')
  return exited
}

describe.skipIf(!databaseUrl)('two API processes on one PostgreSQL', () => {
  beforeAll(async () => {
    ctx = await createTestContext({ DATABASE_URL: databaseUrl! })
    processes.push(await startApi(databaseUrl!), await startApi(databaseUrl!))
  }, PROCESS_START_MS)

  afterAll(async () => {
    for (const api of processes) await stopApi(api)
    await ctx?.close()
    await throwaway?.stop()
  })

  test('an event made through process A reaches a websocket client of process B', async () => {
    const [a, b] = processes
    const admin = await createAccount(ctx, 'admin')
    const seeded = await seedReturn(ctx, { isCalled: 'initiated', transcript: null })

    const client: FeedClient = await openFeed(`${b!.url.replace('http', 'ws')}/ws/calls`, {
      protocols: ['calls.v1', `bearer.${admin.token}`],
    })
    await client.next((message) => message.type === 'snapshot')

    const line = { type: 'user', text: 'It arrived broken.', timestamp: new Date().toISOString() }
    const response = await fetch(`${a!.url}/api/orders/returns/${seeded.id}/call-status`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ isCalled: 'in-progress', transcript: [line] }),
    })
    expect(response.status).toBe(200)

    const transcript = await client.next((message) =>
      message.returnRequestId === seeded.id && message.type === 'call.transcript')
    expect(transcript.orderNumber).toBe(seeded.orderNumber)
    expect(transcript.data.lines).toEqual([line])
    const status = await client.next((message) =>
      message.returnRequestId === seeded.id && message.type === 'call.status')
    expect(status.data.status).toBe('in-progress')
    expect(status.seq).toBeGreaterThan(transcript.seq)

    client.close()
    await client.closed
  }, 30_000)

  test('a stopping process closes its feed clients with 1001 and exits', async () => {
    const admin = await createAccount(ctx, 'admin')
    const api = await startApi(databaseUrl!)
    const client = await openFeed(`${api.url.replace('http', 'ws')}/ws/calls?token=${admin.token}`)
    await client.next((message) => message.type === 'snapshot')

    expect(await stopApi(api)).toBe(0)
    expect((await client.closed).code).toBe(1001)
  }, PROCESS_START_MS)
})
