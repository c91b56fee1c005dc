// A progress bar for a terminal: one line on stderr, redrawn in place by
// time (a few times a second, however often the work reports), with the rate
// and the time left; a phase that completes, and the bar at the end of the
// run, is cleared so the report starts on a clean screen. When the stream is
// not a terminal it writes a plain line instead, and only a few: at the
// start, every quarter and at the end of a phase.

import { formatCount, formatDuration } from '../engine/format.js'

export interface ProgressStream {
  readonly isTTY?: boolean
  readonly columns?: number
  write(text: string): unknown
}

/** What the bar needs of time: a clock, and a repeating timer (injected by tests). */
export interface Ticker {
  now(): number
  every(ms: number, fn: () => void): { stop(): void }
}

const realTicker: Ticker = {
  now: () => Date.now(),
  every: (ms, fn) => {
    const timer = setInterval(fn, ms)
    // a bar never keeps the process alive
    timer.unref()
    return { stop: () => clearInterval(timer) }
  }
}

const BAR = 24
const CLEAR_LINE = '\r\x1b[2K'
/** Redraws per second: enough to look alive, few enough to cost nothing. */
const REDRAW_MS = 200

const n = formatCount

export interface Pace {
  /** items per second so far in this phase */
  readonly perSecond: number
  /** ms until the phase is done at that rate */
  readonly leftMs?: number
}

/** `deleted   [#########---------------]  120/300  40%  12.5/s  ~12s left`, fitted to `columns`. */
export function progressLine(
  phase: string,
  done: number,
  total: number,
  columns = 80,
  pace?: Pace
): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1
  const filled = Math.round(fraction * BAR)
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}]`
  let line = `${phase.padEnd(12)} ${bar} ${n(done)}/${n(total)} ${Math.floor(fraction * 100)}%`
  if (pace && pace.perSecond > 0) {
    const rate = pace.perSecond >= 10 ? Math.round(pace.perSecond) : pace.perSecond.toFixed(1)
    line += `  ${rate}/s`
    if (pace.leftMs !== undefined && done < total) {
      line += `  ~${formatDuration(Math.max(1000, pace.leftMs))} left`
    }
  }
  return line.length < columns ? line : line.slice(0, Math.max(0, columns - 1))
}

/** The rate of a phase from its start, and the time left at that rate. */
export function paceOf(done: number, total: number, elapsedMs: number): Pace | undefined {
  if (elapsedMs <= 0 || done <= 0) return undefined
  const perSecond = (done * 1000) / elapsedMs
  return { perSecond, leftMs: ((total - done) / perSecond) * 1000 }
}

interface State {
  phase: string
  done: number
  total: number
  startedAt: number
}

export class Progress {
  /** the bar currently drawn, if any */
  private drawn: string | undefined
  private state: State | undefined
  private timer: { stop(): void } | undefined
  private last = { phase: '', quarter: -1 }

  constructor(
    private readonly stream: ProgressStream,
    private readonly ticker: Ticker = realTicker
  ) {}

  get isTTY(): boolean {
    return this.stream.isTTY === true
  }

  update(phase: string, done: number, total: number): void {
    if (!this.isTTY) {
      this.plain(phase, done, total)
      return
    }
    const s = this.state
    if (!s || s.phase !== phase) {
      this.state = { phase, done, total, startedAt: this.ticker.now() }
      this.draw()
    } else {
      // reports may arrive out of order (a coarse and a fine counter): the bar never goes back
      s.done = Math.max(s.done, done)
      s.total = total
    }
    if (total > 0 && done >= total) {
      this.clear()
      this.state = undefined
      this.stopTimer()
      return
    }
    this.timer ??= this.ticker.every(REDRAW_MS, () => this.draw())
  }

  private plain(phase: string, done: number, total: number): void {
    const quarter = total > 0 ? Math.floor((Math.min(done, total) / total) * 4) : 4
    if (phase !== this.last.phase || quarter > this.last.quarter) {
      this.last = { phase, quarter }
      this.stream.write(`${phase} ${n(done)} of ${n(total)}\n`)
    }
  }

  private columns(): number {
    // a pseudo-terminal may report 0 columns: then assume the usual 80
    const c = this.stream.columns
    return c && c >= 20 ? c : 80
  }

  /** Draws the bar as it stands now (the timer calls this a few times a second). */
  draw(): void {
    const s = this.state
    if (!s) return
    const pace = paceOf(s.done, s.total, this.ticker.now() - s.startedAt)
    const line = progressLine(s.phase, s.done, s.total, this.columns(), pace)
    this.stream.write(`${CLEAR_LINE}${line}`)
    this.drawn = line
  }

  private clear(): void {
    if (this.drawn === undefined) return
    this.stream.write(CLEAR_LINE)
    this.drawn = undefined
  }

  private stopTimer(): void {
    this.timer?.stop()
    this.timer = undefined
  }

  /** Clears a bar that is drawn and stops redrawing, before the report is printed. */
  finish(): void {
    this.stopTimer()
    this.clear()
    this.state = undefined
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
