// A clock whose time moves only when every sleeper is waiting: each sleep is a
// timer, and once the work in hand has settled (a macrotask later) the
// earliest timer fires and the time jumps to it. Concurrent sleepers share
// one timeline, as they do on a real clock, so the governor's window can be
// tested with many requests out at once and no real waiting.

import type { Clock } from '../../src/github/ports.js'

interface Timer {
  readonly at: number
  readonly order: number
  readonly wake: () => void
}

export class VirtualClock implements Clock {
  private timers: Timer[] = []
  private order = 0
  private scheduled = false
  /** every sleep asked for, in order */
  readonly slept: number[] = []

  constructor(private time = Date.parse('2026-11-22T12:00:00Z')) {}

  now(): number {
    return this.time
  }

  sleep(ms: number): Promise<void> {
    this.slept.push(ms)
    return new Promise(wake => {
      this.timers.push({ at: this.time + Math.max(0, ms), order: this.order++, wake })
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.fire()
    })
  }

  private fire(): void {
    if (this.timers.length === 0) return
    this.timers.sort((a, b) => a.at - b.at || a.order - b.order)
    const next = this.timers[0]
    const due = this.timers.filter(t => t.at === next.at)
    this.timers = this.timers.slice(due.length)
    this.time = Math.max(this.time, next.at)
    for (const t of due) t.wake()
    if (this.timers.length > 0) this.schedule()
  }
}
