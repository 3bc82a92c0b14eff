/**
 * Remembers which line of the backup file each loaded row came from, as runs of consecutive
 * lines, so a database error about "row 812 of this COPY" can name the file's line. An NDJSON
 * table is one run whatever its size; a legacy file adds one run per record.
 */
export class LineMap {
  private readonly starts: number[] = []
  private readonly firstRows: number[] = []
  private rows = 0

  /** Records that the next `count` rows come from lines `firstLine`, `firstLine + 1`, ... */
  add(firstLine: number, count = 1): void {
    const last = this.starts.length - 1
    const lastEnd = last >= 0 ? this.starts[last]! + (this.rows - this.firstRows[last]!) : -1
    if (lastEnd !== firstLine) {
      this.starts.push(firstLine)
      this.firstRows.push(this.rows)
    }
    this.rows += count
  }

  get size(): number {
    return this.rows
  }

  /** The source line of a row, counted from 0 in load order. */
  lineOf(row: number): number | undefined {
    if (row < 0 || row >= this.rows) return undefined

    let low = 0
    let high = this.firstRows.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (this.firstRows[middle]! <= row) low = middle
      else high = middle - 1
    }
    return this.starts[low]! + (row - this.firstRows[low]!)
  }

  /** The lines spanned by rows `from` to `to` (inclusive), for errors without a row. */
  rangeOf(from = 0, to = this.rows - 1): { from: number; to: number } | undefined {
    const first = this.lineOf(from)
    const last = this.lineOf(to)
    return first === undefined || last === undefined ? undefined : { from: first, to: last }
  }
}
