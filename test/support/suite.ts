import { afterAll, beforeAll, setDefaultTimeout } from 'bun:test'
import type { UserRole } from '../../src/db/schema'
import { createAccount, createTestContext, type TestAccount, type TestContext } from './harness'

/** Opening a database, or hashing many passwords, takes seconds on a loaded machine. */
export const TEST_TIMEOUT_MS = 60_000

export interface TestContextOptions {
  /**
   * Runs in `afterAll` before the context closes, for what needs the database to finish
   * (stopping a worker, settling queued jobs): `afterAll` hooks run in the order they are
   * registered, so one registered after `useTestContext` would find the database closed.
   */
  beforeClose?: (ctx: TestContext) => Promise<void>
}

/**
 * The test context of one test file: opened in `beforeAll`, closed in `afterAll`. Call it at
 * the top level of the file and use the answer inside tests and hooks, like the
 * `let ctx` + hooks it replaces: reading it before `beforeAll` has run throws.
 *
 * It also sets the file's default timeout for tests and hooks: Bun 1.4 keeps the preload's
 * `setDefaultTimeout` for the first file of a run only (oven-sh/bun#43787).
 */
export function useTestContext(
  env: Record<string, string> = {},
  options: TestContextOptions = {},
): TestContext {
  setDefaultTimeout(TEST_TIMEOUT_MS)
  return openedBeforeAll(() => createTestContext(env), async (ctx) => {
    try {
      await options.beforeClose?.(ctx)
    } finally {
      await ctx.close()
    }
  })
}

/** An account created once for the whole file, in `beforeAll` (after the context opens). */
export function useAccount(
  ctx: TestContext,
  role: UserRole = 'customer',
  overrides: Parameters<typeof createAccount>[2] = {},
): TestAccount {
  return openedBeforeAll(() => createAccount(ctx, role, overrides))
}

/**
 * A stand-in for a value that `open` makes in `beforeAll`: property reads (and spreads) go to
 * the value once it exists. Hooks run in the order they are registered, so a stand-in may
 * use another one made before it.
 */
function openedBeforeAll<T extends object>(
  open: () => Promise<T>,
  close?: (value: T) => Promise<void>,
): T {
  let value: T | undefined
  beforeAll(async () => {
    value = await open()
  })
  if (close) {
    afterAll(async () => {
      if (value !== undefined) await close(value)
    })
  }

  const opened = (): T => {
    if (value === undefined) throw new Error('Not opened yet: use it inside tests and hooks')
    return value
  }
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(opened(), key),
    has: (_, key) => Reflect.has(opened(), key),
    ownKeys: () => Reflect.ownKeys(opened()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(opened(), key),
  })
}
