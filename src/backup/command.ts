import { createLogger, type Logger } from '../shared/logger'
import type { Config } from '../config'

/** Bad command-line use: the message is the usage text; help exits 0. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message)
    this.name = 'UsageError'
  }
}

/**
 * Runs a backup or restore command: Ctrl-C (or SIGTERM) aborts the work through the signal so
 * it can clean up; a second Ctrl-C exits at once. Exit codes: 0 done, 1 failed, 2 bad usage,
 * 130 interrupted.
 */
export async function runCommand(work: (signal: AbortSignal) => Promise<void>): Promise<never> {
  const controller = new AbortController()
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(130)
    process.stderr.write('\nInterrupted: cleaning up (Ctrl-C again to quit at once)\n')
    controller.abort()
  }
  process.on('SIGINT', interrupt)
  process.on('SIGTERM', interrupt)

  let exitCode = 0
  try {
    await work(controller.signal)
  } catch (error) {
    exitCode = reportFailure(error, controller.signal.aborted)
  }
  process.exit(exitCode)
}

function reportFailure(error: unknown, interrupted: boolean): number {
  if (error instanceof UsageError) {
    const stream = error.exitCode === 0 ? process.stdout : process.stderr
    stream.write(`${error.message}\n`)
    return error.exitCode
  }
  if (interrupted) {
    process.stderr.write('Interrupted; nothing was kept.\n')
    return 130
  }
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`Error: ${message}\n`)
  return 1
}

/**
 * Logs of the commands go to stderr only (warnings and errors): stdout may be carrying the
 * backup itself.
 */
export function commandLogger(config: Config): Logger {
  return createLogger(config.logLevel === 'error' || config.logLevel === 'silent'
    ? config.logLevel
    : 'warn')
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit += 1
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`
}
