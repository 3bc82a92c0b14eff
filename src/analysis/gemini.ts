import {
  GoogleGenerativeAI,
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIFetchError,
  type EnhancedGenerateContentResponse,
  type ResponseSchema,
} from '@google/generative-ai'
import type { Config } from '../config'

export type GeminiSettings = Config['gemini']

/** What one request to Gemini came to; every way it can go wrong is a value, not a throw. */
export type GeminiOutcome =
  | { status: 'ok'; text: string }
  | { status: 'blocked'; reason: string; raw: string }
  | { status: 'empty'; reason: string; raw: string }
  | { status: 'rate-limited'; reason: string; retryAfterMs: number | undefined }
  | { status: 'timeout'; reason: string }
  | { status: 'failed'; reason: string; transient: boolean }
  | { status: 'unavailable'; reason: string }

export interface GenerateOptions {
  /** Asks for JSON shaped by this schema (responseMimeType application/json). */
  responseSchema?: ResponseSchema
  signal?: AbortSignal
}

/** Raw text kept for diagnosis is capped so a runaway answer cannot bloat a row. */
export const MAX_RAW_CHARS = 64_000

// Finish reasons meaning the model refused or was stopped by a filter.
const blockingFinishReasons = new Set([
  'SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY',
])

/**
 * Sends one prompt to Gemini through the official SDK and classifies the answer.
 * The SDK's own timeout and an AbortSignal both bound the request, so a server that never
 * answers (or a body that never ends) cannot hold a job for longer than `timeoutMs`.
 *
 * @example
 * const outcome = await generateContent(config.gemini, 'Say hello')
 * if (outcome.status === 'ok') use(outcome.text)
 */
export async function generateContent(
  settings: GeminiSettings,
  prompt: string,
  options: GenerateOptions = {},
): Promise<GeminiOutcome> {
  if (!settings.apiKey) return { status: 'unavailable', reason: 'GEMINI_API_KEY is not set' }

  const model = new GoogleGenerativeAI(settings.apiKey).getGenerativeModel(
    {
      model: settings.model,
      generationConfig: options.responseSchema
        ? { responseMimeType: 'application/json', responseSchema: options.responseSchema }
        : undefined,
    },
    { baseUrl: settings.baseUrl, timeout: settings.timeoutMs },
  )
  const timeout = AbortSignal.timeout(settings.timeoutMs)
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout

  try {
    const { response } = await model.generateContent(prompt, { signal })
    return classifyResponse(response)
  } catch (error) {
    return classifyError(error, settings.timeoutMs)
  }
}

function classifyResponse(response: EnhancedGenerateContentResponse): GeminiOutcome {
  const raw = () => truncate(JSON.stringify(response))

  const blockReason = response.promptFeedback?.blockReason
  if (blockReason) {
    return { status: 'blocked', reason: `Gemini blocked the prompt (${blockReason})`, raw: raw() }
  }

  const candidate = response.candidates?.[0]
  if (!candidate) return { status: 'empty', reason: 'Gemini returned no candidates', raw: raw() }

  const finish = candidate.finishReason ?? ''
  if (blockingFinishReasons.has(finish)) {
    return { status: 'blocked', reason: `Gemini stopped the answer (${finish})`, raw: raw() }
  }

  const text = (candidate.content?.parts ?? [])
    .map((part) => part.text ?? '')
    .join('')
  if (text.trim() === '') {
    return { status: 'empty', reason: 'Gemini returned an empty answer', raw: raw() }
  }
  return { status: 'ok', text }
}

function classifyError(error: unknown, timeoutMs: number): GeminiOutcome {
  if (isAbort(error)) {
    return { status: 'timeout', reason: `Gemini did not answer within ${timeoutMs} ms` }
  }

  if (error instanceof GoogleGenerativeAIFetchError) {
    const status = error.status ?? 0
    const reason = `Gemini answered ${status} ${error.statusText ?? ''}`.trim()
    if (status === 429) {
      return { status: 'rate-limited', reason, retryAfterMs: retryDelayMs(error) }
    }
    return { status: 'failed', reason, transient: status >= 500 || status === 408 }
  }

  const message = error instanceof Error ? error.message : String(error)
  return { status: 'failed', reason: `Gemini request failed: ${message}`, transient: true }
}

function isAbort(error: unknown): boolean {
  if (error instanceof GoogleGenerativeAIAbortError) return true
  const name = error instanceof Error ? error.name : ''
  return name === 'AbortError' || name === 'TimeoutError'
}

/**
 * The delay a 429 asks for: google.rpc.RetryInfo's `retryDelay` ("12s", "1.5s") in the error
 * details, else the "retry in 12.3s" hint of the message. Undefined when neither is there.
 */
export function retryDelayMs(error: GoogleGenerativeAIFetchError): number | undefined {
  for (const detail of error.errorDetails ?? []) {
    const record = detail as Record<string, unknown>
    if (!String(record['@type'] ?? '').endsWith('google.rpc.RetryInfo')) continue

    const seconds = parseDuration(record.retryDelay)
    if (seconds !== undefined) return Math.ceil(seconds * 1000)
  }

  const hint = /retry in (\d+(?:\.\d+)?)\s*s/i.exec(error.message)
  return hint ? Math.ceil(Number(hint[1]) * 1000) : undefined
}

function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim())
    return match ? Number(match[1]) : undefined
  }
  if (value && typeof value === 'object') {
    const { seconds, nanos } = value as { seconds?: unknown; nanos?: unknown }
    const total = Number(seconds ?? 0) + Number(nanos ?? 0) / 1e9
    return Number.isFinite(total) && total >= 0 ? total : undefined
  }
  return undefined
}

export function truncate(text: string, max = MAX_RAW_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[truncated]`
}
