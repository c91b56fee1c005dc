// A progress bar for a terminal: one line on stderr, redrawn in place with
// '\r'. When the stream is not a terminal it writes a plain line instead, and
// only a few: at the start, every quarter and at the end of a phase.

import { formatCount } from '../engine/format.js'
export interface ProgressStream {
  readonly isTTY?: boolean
  readonly columns?: number
  write(text: string): unknown
}

const BAR = 24
const CLEAR_LINE = '\r\x1b[2K'

const n = formatCount

/** `deleted   [#########---------------]  120/300  40%`, fitted to `columns`. */
export function progressLine(phase: string, done: number, total: number, columns = 80): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1
  const filled = Math.round(fraction * BAR)
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}]`
  const line = `${phase.padEnd(12)} ${bar} ${n(done)}/${n(total)} ${Math.floor(fraction * 100)}%`
  return line.length < columns ? line : line.slice(0, Math.max(0, columns - 1))
}

export class Progress {
  /** the bar currently drawn, if any */
  private drawn: string | undefined
  private last = { phase: '', quarter: -1 }

  constructor(private readonly stream: ProgressStream) {}

  get isTTY(): boolean {
    return this.stream.isTTY === true
  }

  update(phase: string, done: number, total: number): void {
    if (this.isTTY) {
      // a pseudo-terminal may report 0 columns: then assume the usual 80
      const columns = this.stream.columns && this.stream.columns >= 20 ? this.stream.columns : 80
      const line = progressLine(phase, done, total, columns)
      this.stream.write(`${CLEAR_LINE}${line}`)
      this.drawn = line
      if (total > 0 && done >= total) this.finish()
      return
    }
    const quarter = total > 0 ? Math.floor((Math.min(done, total) / total) * 4) : 4
    if (phase !== this.last.phase || quarter > this.last.quarter) {
      this.last = { phase, quarter }
      this.stream.write(`${phase} ${n(done)} of ${n(total)}\n`)
    }
  }

  /** Ends a bar that is drawn, leaving it on its own line. */
  finish(): void {
    if (this.drawn === undefined) return
    this.stream.write('\n')
    this.drawn = undefined
  }

  /** Writes a line of log above the bar and draws the bar again beneath it. */
  log(line: string): void {
    if (this.drawn === undefined) {
      this.stream.write(`${line}\n`)
      return
    }
    this.stream.write(`${CLEAR_LINE}${line}\n${this.drawn}`)
  }
}
