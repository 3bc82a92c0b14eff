/**
 * Terminal progress for the command-line tools (seed, backup, restore). Everything goes to
 * stderr so stdout stays clean for data and pipes: a redrawn bar on a terminal, a plain line
 * every couple of seconds otherwise (CI logs), nothing at all when quiet.
 */

export interface ProgressOptions {
  label: string
  /** Rows expected; without it the bar shows a count instead of a percentage. */
  total?: number
  quiet?: boolean
  /** Defaults to process.stderr. */
  stream?: ProgressStream
}

export interface ProgressStream {
  write(chunk: string): unknown
  isTTY?: boolean
}

export interface Progress {
  tick(n: number): void
  setLabel(label: string): void
  /** Finishes the line and returns what was counted. */
  done(): { rows: number; seconds: number }
}

const plainIntervalMs = 2000
const ttyIntervalMs = 100
const barWidth = 24

/** Starts a progress display; call `tick` as rows go by and `done` at the end. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr
  const tty = stream.isTTY === true
  const started = performance.now()
  let label = options.label
  let rows = 0
  let lastDraw = 0

  const draw = (final: boolean) => {
    const line = formatLine(label, rows, options.total, (performance.now() - started) / 1000)
    if (tty) stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`)
    else stream.write(`${line}\n`)
  }

  return {
    tick(n) {
      rows += n
      if (options.quiet) return

      const now = performance.now()
      if (now - lastDraw < (tty ? ttyIntervalMs : plainIntervalMs)) return
      lastDraw = now
      draw(false)
    },
    setLabel(next) {
      label = next
    },
    done() {
      const seconds = (performance.now() - started) / 1000
      if (!options.quiet) draw(true)
      return { rows, seconds }
    },
  }
}

function formatLine(label: string, rows: number, total: number | undefined, seconds: number) {
  const rate = seconds > 0 ? Math.round(rows / seconds) : 0
  const counts = `${formatCount(rows)}${total ? ` / ${formatCount(total)}` : ''}`
  const tail = `${counts} rows  ${formatCount(rate)} rows/s  ${seconds.toFixed(1)} s`
  if (!total) return `${label}  ${tail}`

  const fraction = Math.min(1, rows / total)
  const filled = Math.round(fraction * barWidth)
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`
  return `${label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  ${tail}`
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

/** Prints a titled table of name/value pairs to stderr, aligned on the names. */
export function printSummary(
  title: string,
  rows: Record<string, string | number>,
  stream: ProgressStream = process.stderr,
): void {
  const width = Math.max(0, ...Object.keys(rows).map((name) => name.length))
  const lines = Object.entries(rows).map(([name, value]) => {
    const shown = typeof value === 'number' ? formatCount(value) : value
    return `  ${name.padEnd(width)}  ${shown}`
  })
  stream.write(`${title}\n${lines.join('\n')}\n`)
}
