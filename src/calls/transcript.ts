import type { TranscriptLine } from '../db/schema'
import { invalid } from '../shared/errors'

/** Bounds of a stored transcript; a callback that would exceed them is refused (400). */
export const TRANSCRIPT_LIMITS = {
  maxLines: 500,
  maxLineChars: 2000,
  maxTotalChars: 200_000,
} as const

/**
 * Merges a callback's transcript into the stored one by appending only lines not stored yet.
 * A line is known when a stored line has the same speaker, text and timestamp, so a service
 * that resends the whole transcript so far and one that sends only new lines both work, and
 * repeating a callback appends nothing. Returns the lines to append, in the order received.
 */
export function newTranscriptLines(
  stored: readonly TranscriptLine[],
  incoming: readonly TranscriptLine[],
): TranscriptLine[] {
  const known = new Set(stored.map(lineKey))
  const fresh: TranscriptLine[] = []
  for (const line of incoming) {
    const key = lineKey(line)
    if (known.has(key)) continue
    known.add(key)
    fresh.push({ type: line.type, text: line.text, timestamp: line.timestamp })
  }
  return fresh
}

/** Refuses a merge that would make the stored transcript larger than its bounds. */
export function assertTranscriptFits(
  stored: readonly TranscriptLine[],
  fresh: readonly TranscriptLine[],
) {
  const { maxLines, maxTotalChars } = TRANSCRIPT_LIMITS
  if (stored.length + fresh.length > maxLines) {
    throw invalid('transcript', `a call transcript holds at most ${maxLines} lines`)
  }

  const chars = [...stored, ...fresh].reduce((sum, line) => sum + line.text.length, 0)
  if (chars > maxTotalChars) {
    throw invalid('transcript', `a call transcript holds at most ${maxTotalChars} characters`)
  }
}

const lineKey = (line: TranscriptLine) => JSON.stringify([line.type, line.timestamp, line.text])
