import { describe, expect, test } from 'bun:test'
import { inArray } from 'drizzle-orm'
import { TRANSCRIPT_TAIL } from '../../src/calls/feed/snapshot'
import { returnRequests, type TranscriptLine } from '../../src/db/schema'
import { seedOrder } from '../returns/support'
import { createAccount } from '../support/harness'
import { useAccount } from '../support/suite'
import { useFeedServer } from './support'

const ACTIVE_CALLS = 60
const LINES = 30
const SNAPSHOT_ACTIVE = 50
const feed = useFeedServer()
const ctx = feed.ctx
const admin = useAccount(ctx, 'admin')

/** `count` lines of the transcript's longest allowed length (2,000 characters). */
const longTranscript = (count: number): TranscriptLine[] =>
  Array.from({ length: count }, (_, index) => ({
    type: index % 2 === 0 ? 'agent' : 'user',
    text: `${index} `.padEnd(2000, 'x'),
    timestamp: new Date(Date.UTC(2025, 0, 1, 10, 0, index)).toISOString(),
  }))

describe('GET /ws/calls: the snapshot on connect', () => {
  test('regression: 120 active calls made one 23.6 MB snapshot; now the 50 latest calls with '
    + 'the last 20 lines each, flagged truncated', async () => {
    const customer = await createAccount(ctx, 'customer')
    const order = await seedOrder(ctx, customer, {
      lineTotals: Array.from({ length: ACTIVE_CALLS }, () => '10.00'),
    })
    const transcript = longTranscript(LINES)
    const seeded = await ctx.database.db.insert(returnRequests).values(order.items.map((item) => ({
      orderId: order.id, userId: customer.id, productId: item.productId,
      title: 'Long call', reason: 'It leaks', isCalled: 'in-progress' as const, transcript,
    }))).returning({ id: returnRequests.id })
    const mine = new Set(seeded.map((row) => row.id))

    try {
      const client = await feed.open(`?token=${admin.token}`)
      const snapshot = await client.next((message) => message.type === 'snapshot', 30_000)
      const { active, activeTotal, truncated } = snapshot.data

      expect(active).toHaveLength(SNAPSHOT_ACTIVE)
      expect(activeTotal).toBeGreaterThanOrEqual(ACTIVE_CALLS)
      expect(truncated).toBe(true)
      // The latest calls are the ones this test just made.
      expect(active.every((call: { returnRequestId: string }) => mine.has(call.returnRequestId)))
        .toBe(true)
      for (const call of active) {
        expect(call.transcript).toEqual(transcript.slice(-TRANSCRIPT_TAIL))
        expect(call.transcriptLines).toBe(LINES)
        expect(call.transcriptTruncated).toBe(true)
      }
      // At most 50 active and 20 recent calls of 20 lines; unbounded, this test's calls alone
      // would be 60 x 30 lines of 2,000 characters (3.6 MB).
      const bound = (SNAPSHOT_ACTIVE + 20) * TRANSCRIPT_TAIL * 2_100 + 100_000
      expect(JSON.stringify(snapshot).length).toBeLessThan(bound)
    } finally {
      // Shared PostgreSQL: leave no never-ending calls behind for other files' snapshots.
      await ctx.database.db.update(returnRequests).set({ isCalled: 'completed' })
        .where(inArray(returnRequests.id, [...mine]))
    }
  })
})
