import { t } from 'elysia'
import { callStatuses } from '../db/schema'
import { integer, noNul, oneOf, uuid } from '../http/types'
import { reportableCallStatuses } from './status'
import { TRANSCRIPT_LIMITS } from './transcript'

/** What a calling service may use as a call id; also checked on its answers. */
export const CALL_SID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$'

export const CallSidParams = t.Object({
  callSid: t.String({ pattern: CALL_SID_PATTERN, maxLength: 128, description: 'The call id' }),
})

export const ReturnIdParams = t.Object({ id: uuid('Return request id') })

export const TranscriptLineBody = t.Object({
  type: oneOf(['agent', 'user'], { description: 'Who spoke' }),
  text: t.String({
    minLength: 1, maxLength: TRANSCRIPT_LIMITS.maxLineChars, pattern: noNul,
    description: `What was said, 1 to ${TRANSCRIPT_LIMITS.maxLineChars} characters`,
  }),
  timestamp: t.String({ format: 'date-time', maxLength: 40, description: 'ISO 8601' }),
}, { additionalProperties: false })

/** `{ isCalled, transcript?, reason? }`: the older calling engine's callback body. */
export const CallUpdateBody = t.Object({
  isCalled: oneOf(reportableCallStatuses, {
    description: 'The call\'s status; it only ever moves forward',
  }),
  transcript: t.Optional(t.Array(TranscriptLineBody, {
    maxItems: TRANSCRIPT_LIMITS.maxLines,
    description: 'The transcript so far (or only new lines); lines already stored are skipped',
  })),
  reason: t.Optional(t.String({
    minLength: 1, maxLength: 500, pattern: noNul,
    description: 'Why the call failed (failed, busy, no-answer)',
  })),
}, { additionalProperties: false })

export type CallUpdateInput = typeof CallUpdateBody.static

export const CallUpdateResult = t.Object({
  id: t.String({ format: 'uuid', description: 'Return request id' }),
  isCalled: oneOf(callStatuses, {
    description: 'The call\'s status after the callback',
  }),
  changed: t.Boolean({ description: 'False when the callback changed nothing (a repeat)' }),
  appendedLines: integer({ minimum: 0, description: 'Transcript lines newly stored' }),
}, { description: 'What the callback did' })

export type CallUpdateResult = typeof CallUpdateResult.static
