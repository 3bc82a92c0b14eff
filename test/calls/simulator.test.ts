import { describe, expect, test } from 'bun:test'
import { callJobHandlers } from '../../src/calls/jobs'
import { simulatedCall } from '../../src/calls/simulator'
import { startJobWorker } from '../../src/jobs/worker'
import type { Logger } from '../../src/shared/logger'
import { createAccount } from '../support/harness'
import { useTestContext } from '../support/suite'
import { eventsOf, jobsOf, returnRow, useReturnsContext } from '../returns/support'
import { openReturn } from './support'

const fast = useReturnsContext({ CALL_SIMULATOR_STEP_MS: '0' })
const paced = useTestContext({ QUEUE_POLL_MS: '20', CALL_SIMULATOR_STEP_MS: '300' })

function recordingLogger(events: string[]): Logger {
  const write = (event: string) => void events.push(event)
  const logger: Logger = {
    debug: write, info: write, warn: write, error: write, child: () => logger,
  }
  return logger
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await Bun.sleep(25)
  }
}

describe('built-in call simulator (no CALLING_SERVICE_URL)', () => {
  test('is announced in the log when the handlers are built', () => {
    const events: string[] = []
    callJobHandlers({ ...fast.deps, logger: recordingLogger(events) })
    expect(events).toContain('calls.simulator')
  })

  test('plays a call via the callback path: initiated, ringing, lines, completed', async () => {
    const customer = await createAccount(fast)
    const { id, order } = await openReturn(fast, customer)
    const worker = startJobWorker(fast.deps, callJobHandlers(fast.deps))

    await worker.drain()
    await worker.stop()

    const row = await returnRow(fast, id)
    expect(row.isCalled).toBe('completed')
    expect(row.callSid).toStartWith('SIM')
    expect(row.callEndedAt).toBeInstanceOf(Date)
    expect(row.analysisStatus).toBe('pending')
    expect(row.transcript).toHaveLength(9)
    expect(row.transcript![0]!.text).toStartWith('Hello Jamie,')
    const speakers = row.transcript!.map((line) => line.type)
    expect(speakers.slice(0, 4)).toEqual(['agent', 'user', 'agent', 'user'])
    const spoken = row.transcript!.map((line) => line.text).join(' ')
    expect(spoken).toContain(order.orderNumber)
    expect(spoken).toContain(order.items[0]!.name)
    expect(spoken).toContain('The screen was cracked when I opened the box')

    const events = await eventsOf(fast, id)
    const statuses = events
      .filter((event) => event.type === 'call.status')
      .map((event) => event.data.status)
    expect(events.map((event) => event.type).slice(0, 3))
      .toEqual(['return.created', 'call.queued', 'call.initiated'])
    expect(statuses).toEqual(['ringing', 'in-progress'])
    expect(events.filter((event) => event.type === 'call.transcript')).toHaveLength(9)
    expect(events.at(-1)!.type).toBe('call.completed')
    expect(await jobsOf(fast, 'analysis.call', id)).toHaveLength(1)
  })

  test('lines arrive over time; stopping leaves nothing running; another resumes', async () => {
    const customer = await createAccount(paced)
    const { id } = await openReturn(paced, customer)
    const first = startJobWorker(paced.deps, callJobHandlers(paced.deps))

    await waitFor(async () => ((await returnRow(paced, id)).transcript?.length ?? 0) >= 2)
    await first.stop()
    const paused = await returnRow(paced, id)
    expect(paused.isCalled).toBe('in-progress')

    await Bun.sleep(600)
    expect((await returnRow(paced, id)).transcript).toEqual(paused.transcript)

    const second = startJobWorker(paced.deps, callJobHandlers(paced.deps))
    await waitFor(async () => (await returnRow(paced, id)).isCalled === 'completed')
    await second.stop()

    const done = await returnRow(paced, id)
    expect(done.transcript).toHaveLength(9)
    const times = done.transcript!.map((line) => Date.parse(line.timestamp))
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  test('the script is deterministic, so a retried step sends identical lines', () => {
    const facts = {
      customerName: 'Ana', orderNumber: 'ORD-1', productName: 'Lamp', reason: 'Flickers',
      description: null,
    }
    const start = new Date('2025-01-01T00:00:00Z')
    expect(simulatedCall(facts, start, 1500)).toEqual(simulatedCall(facts, start, 1500))
    const steps = simulatedCall(facts, start, 1500).map((step) => step.isCalled)
    expect(steps.slice(0, 3)).toEqual(['initiated', 'ringing', 'in-progress'])
    expect(steps.at(-1)).toBe('completed')
  })
})
