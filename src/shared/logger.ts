import type { LogLevel } from '../config'

type Fields = Record<string, unknown>

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

/** Writes one JSON line per event to stdout (stderr for warnings and errors). */
export interface Logger {
  debug(event: string, fields?: Fields): void
  info(event: string, fields?: Fields): void
  warn(event: string, fields?: Fields): void
  error(event: string, fields?: Fields): void
  child(fields: Fields): Logger
}

export function createLogger(level: LogLevel, base: Fields = {}): Logger {
  const threshold = rank[level]

  const write = (lvl: Exclude<LogLevel, 'silent'>, event: string, fields?: Fields) => {
    if (rank[lvl] < threshold) return

    const line = JSON.stringify({
      level: lvl,
      time: new Date().toISOString(),
      event,
      ...base,
      ...serialiseErrors(fields),
    })
    const stream = rank[lvl] >= rank.warn ? process.stderr : process.stdout
    stream.write(line + '\n')
  }

  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    child: (fields) => createLogger(level, { ...base, ...fields }),
  }
}

/** Errors do not survive JSON.stringify; keep their name and message, never SQL parameters. */
function serialiseErrors(fields: Fields | undefined): Fields {
  if (!fields) return {}

  const out: Fields = {}
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error
      ? { name: value.name, message: value.message, stack: value.stack }
      : value
  }
  return out
}
