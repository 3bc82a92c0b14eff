import { beforeAll, describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { recordCallEvent } from '../../src/calls/events'
import { users, type TranscriptLine } from '../../src/db/schema'
import { goodAnalysis, sampleTranscript, seedReturn } from '../analysis/support'
import { call, createAccount } from '../support/harness'
import { useTestContext } from '../support/suite'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SCREENSHOT = '/tmp/amazon-eye-console.png'

let base: string
let browser: Browser | undefined
let page: Page
const pageErrors: string[] = []

// Open sockets have their accounts checked this often (10 s by default).
const ctx = useTestContext({ FEED_ACCOUNT_CHECK_MS: '200' }, {
  beforeClose: async ({ app }) => {
    await browser?.close()
    await app.stop(true)
  },
})

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) `
      + 'or set CHROMIUM_PATH; the console test cannot run without a browser')
  }
  const app = ctx.app.listen({ hostname: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${app.server!.port}`
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.on('pageerror', (error) => void pageErrors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text())
  })
})

const isLive = () => page.waitForFunction(() =>
  document.getElementById('connection')?.dataset.state === 'live')

const connectionState = () => page.locator('#connection').getAttribute('data-state')

async function signIn(identifier: string, password: string) {
  await page.goto(`${base}/console`)
  await page.fill('#identifier', identifier)
  await page.fill('#password', password)
  await page.click('#sign-in')
}

describe('GET /console', () => {
  test('serves the page and its assets with the app\'s CSP', async () => {
    const html = await call(ctx, 'GET', '/console')
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toContain('text/html')
    expect(html.headers.get('content-security-policy')).toContain("connect-src 'self'")
    expect(html.body).toContain('/console/console.js')
    expect((await call(ctx, 'GET', '/console/console.js')).headers.get('content-type'))
      .toContain('javascript')
  })

  test('before sign-in the badge reads a neutral "signed out", not a red offline', async () => {
    await page.goto(`${base}/console`)
    await page.locator('#login').waitFor()

    expect(await connectionState()).toBe('signed-out')
    expect(await page.locator('#connection').textContent()).toBe('signed out')
    const dot = await page.locator('#connection').evaluate((node) =>
      getComputedStyle(node, '::before').backgroundColor)
    expect(dot).toBe('rgb(152, 162, 179)')
  })

  test('a non-admin cannot use the console', async () => {
    const customer = await createAccount(ctx, 'customer')
    await signIn(customer.email, customer.password)
    await page.waitForFunction(() =>
      document.getElementById('login-error')?.textContent?.includes('admin accounts only'))
    expect(await page.isHidden('#board')).toBe(true)
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
    expect(await connectionState()).toBe('signed-out')
  })

  test('an admin signs in and watches a transcript line and the analysis arrive live', async () => {
    const admin = await createAccount(ctx, 'admin')
    const seeded = await seedReturn(ctx, { isCalled: 'in-progress', transcript: sampleTranscript })

    await signIn(admin.email, admin.password)
    await page.waitForFunction(() =>
      document.getElementById('connection')?.dataset.state === 'live')
    await page.getByText(seeded.orderNumber).first().click()
    await page.getByText(sampleTranscript[1]!.text).waitFor()

    const line = `The handle came off after ${crypto.randomUUID().slice(0, 6)} uses.`
    await recordCallEvent(ctx.database.db, {
      type: 'call.transcript', returnRequestId: seeded.id, orderNumber: seeded.orderNumber,
      data: { lines: [{ type: 'user', text: line, timestamp: new Date().toISOString() }] },
    })
    await page.locator('#transcript').getByText(line).waitFor({ timeout: 10_000 })

    await recordCallEvent(ctx.database.db, {
      type: 'call.completed', returnRequestId: seeded.id, orderNumber: seeded.orderNumber,
      data: { status: 'completed', lines: 5 },
    })
    await recordCallEvent(ctx.database.db, {
      type: 'analysis.ready', returnRequestId: seeded.id, orderNumber: seeded.orderNumber,
      data: { analysisStatus: 'completed', summary: goodAnalysis.summary, analysis: goodAnalysis },
    })
    await page.locator('#analysis').getByText(goodAnalysis.summary).waitFor({ timeout: 10_000 })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })

    const storage = await page.evaluate(() => ({
      session: Object.values(sessionStorage), local: localStorage.length,
    }))
    expect(storage.session.some((value) => value.split('.').length === 3)).toBe(true)
    expect(storage.local).toBe(0)
    expect(pageErrors).toEqual([])
  })

  test('after a dropped connection it reconnects with since= and catches up', async () => {
    const seeded = await seedReturn(ctx, { isCalled: 'ringing', transcript: null })
    // A network drop: the page's own socket closes under it (`state` is the page's global).
    await page.evaluate('state.socket.close(4000, "test drop")')
    await recordCallEvent(ctx.database.db, {
      type: 'call.status', returnRequestId: seeded.id, orderNumber: seeded.orderNumber,
      data: { status: 'in-progress', previous: 'ringing' },
    })
    await page.waitForFunction(() =>
      document.getElementById('connection')?.dataset.state === 'live')
    await page.locator('#active-list').getByText(seeded.orderNumber).waitFor({ timeout: 10_000 })
    expect(pageErrors).toEqual([])
  })

  test('a call whose transcript the snapshot cut to its last lines shows whole when opened',
    async () => {
      const lines: TranscriptLine[] = Array.from({ length: 30 }, (_, index) => ({
        type: index % 2 === 0 ? 'agent' : 'user',
        text: `Line ${index} of a long call ${crypto.randomUUID().slice(0, 6)}`,
        timestamp: new Date(Date.UTC(2025, 0, 1, 10, 0, index)).toISOString(),
      }))
      const seeded = await seedReturn(ctx, { isCalled: 'in-progress', transcript: lines })

      // A fresh snapshot: the page signs in again with the token of this tab.
      await page.goto(`${base}/console`)
      await isLive()
      await page.locator('#active-list').getByText(seeded.orderNumber).click()
      await page.locator('#transcript').getByText(lines[0]!.text).waitFor({ timeout: 10_000 })
      expect(await page.locator('#transcript li').count()).toBe(lines.length)
      expect(pageErrors).toEqual([])
    })

  test('regression: a demoted admin kept watching; now the page signs out on 4003', async () => {
    const admin = await createAccount(ctx, 'admin')
    await page.evaluate(() => sessionStorage.clear())
    await signIn(admin.email, admin.password)
    await isLive()

    await ctx.database.db.update(users).set({ role: 'customer' }).where(eq(users.id, admin.id))
    await page.waitForFunction(() =>
      document.getElementById('login-error')?.textContent?.includes('no longer has admin access'))
    expect(await page.isHidden('#board')).toBe(true)
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
    expect(await connectionState()).toBe('signed-out')
  })
})
