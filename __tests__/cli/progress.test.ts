// The terminal progress bar, drawn on a fake stream with a fake clock and
// timer: redrawn in place by time with the rate and the time left, cleared
// when a phase completes and before the report; plain and sparse lines
// when stderr is not a terminal.
import { paceOf, Progress, progressLine, type Ticker } from '../../src/cli/progress.js'
import { SafeStream, Secrets } from '../../src/cli/sink.js'
import { terminalUi } from '../../src/cli/ui.js'

function stream(isTTY: boolean, columns = 80) {
  const writes: string[] = []
  return {
    isTTY,
    columns,
    writes,
    write: (s: string) => writes.push(s),
    text: () => writes.join('')
  }
}

/** A clock moved by hand and a timer fired by hand. */
function fakeTicker() {
  let now = 1_000_000
  const timers: Array<{ fn: () => void; stopped: boolean }> = []
  const ticker: Ticker = {
    now: () => now,
    every: (_ms, fn) => {
      const t = { fn, stopped: false }
      timers.push(t)
      return { stop: () => (t.stopped = true) }
    }
  }
  return {
    ticker,
    advance(ms: number) {
      now += ms
      for (const t of timers) if (!t.stopped) t.fn()
    },
    running: () => timers.filter(t => !t.stopped).length
  }
}

describe('progressLine', () => {
  it('fills the bar by the fraction done and shows the counts', () => {
    expect(progressLine('deleted', 150, 300)).toBe(
      `deleted      [${'#'.repeat(12)}${'-'.repeat(12)}] 150/300 50%`
    )
    expect(progressLine('listing', 1200, 1200)).toContain(`[${'#'.repeat(24)}] 1,200/1,200 100%`)
    expect(progressLine('listing', 0, 0)).toContain('100%')
  })

  it('adds the rate and the time left when they are known', () => {
    expect(progressLine('deleted', 30, 90, 100, { perSecond: 3, leftMs: 20_000 })).toMatch(
      /30\/90 33% {2}3\.0\/s {2}~20s left$/
    )
    expect(progressLine('deleted', 500, 900, 100, paceOf(500, 900, 10_000))).toMatch(
      /50\/s {2}~8s left$/
    )
    expect(paceOf(0, 10, 1000)).toBeUndefined()
  })

  it('never wraps a narrow terminal', () => {
    expect(progressLine('deleted', 1, 3, 30, { perSecond: 2, leftMs: 1000 }).length).toBeLessThan(
      30
    )
  })
})

describe('Progress on a terminal', () => {
  it('redraws by time, not by report, and clears the bar when the phase is done', () => {
    const s = stream(true)
    const t = fakeTicker()
    const p = new Progress(s, t.ticker)
    p.update('deleted', 0, 40)
    expect(s.writes).toHaveLength(1)
    for (let done = 1; done <= 20; done++) p.update('deleted', done, 40)
    // twenty reports, no redraw: the timer draws
    expect(s.writes).toHaveLength(1)
    t.advance(2000)
    expect(s.writes).toHaveLength(2)
    expect(s.writes[1].startsWith('\r\x1b[2K')).toBe(true)
    expect(s.writes[1]).not.toContain('\n')
    expect(s.writes[1]).toMatch(/20\/40 50% {2}10\/s {2}~2s left$/)
    p.update('deleted', 40, 40)
    expect(s.writes[s.writes.length - 1]).toBe('\r\x1b[2K')
    expect(t.running()).toBe(0)
  })

  it('never goes back when a coarse count arrives after a finer one', () => {
    const s = stream(true)
    const t = fakeTicker()
    const p = new Progress(s, t.ticker)
    p.update('deleted', 30, 100)
    p.update('deleted', 10, 100)
    t.advance(1000)
    expect(s.writes[s.writes.length - 1]).toContain('30/100')
  })

  it('draws the bar on a terminal that reports no width', () => {
    const s = stream(true, 0)
    new Progress(s, fakeTicker().ticker).update('deleted', 1, 2)
    expect(s.writes[0]).toContain('1/2 50%')
  })

  it('writes a log line above the bar, draws the bar again, and finish() clears it', () => {
    const s = stream(true)
    const t = fakeTicker()
    const p = new Progress(s, t.ticker)
    p.update('listing', 100, 400)
    p.log('retrying list caches (page 2)')
    const last = s.writes[s.writes.length - 1]
    expect(last.startsWith('\r\x1b[2Kretrying list caches (page 2)\n')).toBe(true)
    expect(last.slice(last.indexOf('\n') + 1)).toMatch(/^listing +\[#{6}-{18}\] 100\/400 25%$/)
    p.finish()
    expect(s.writes[s.writes.length - 1]).toBe('\r\x1b[2K')
    expect(t.running()).toBe(0)
    p.log('after')
    expect(s.writes[s.writes.length - 1]).toBe('after\n')
  })
})

describe('Progress elsewhere', () => {
  it('writes plain lines, a few per phase, never a carriage return', () => {
    const s = stream(false)
    const p = new Progress(s, fakeTicker().ticker)
    for (let done = 10; done <= 100; done += 10) p.update('deleted', done, 100)
    expect(s.text()).not.toContain('\r')
    expect(s.writes).toEqual([
      'deleted 10 of 100\n',
      'deleted 30 of 100\n',
      'deleted 50 of 100\n',
      'deleted 80 of 100\n',
      'deleted 100 of 100\n'
    ])
  })
})

describe('terminalUi', () => {
  it('draws the bar for progress, keeps logs readable around it, and clears it at the end', async () => {
    const s = stream(true)
    const ui = terminalUi(s, { ticker: fakeTicker().ticker })
    await ui.group('Deleting', async () => {
      ui.progress('deleted', 5, 10)
      ui.warning('slow down')
    })
    ui.finish()
    const text = s.text()
    expect(text.startsWith('== Deleting\n')).toBe(true)
    expect(text).toContain('\r\x1b[2Kwarning: slow down\ndeleted ')
    expect(text.endsWith('5/10 50%\r\x1b[2K')).toBe(true)
  })

  it('shows control characters in a log line escaped, and through the safe stream no line is a command', () => {
    const s = stream(false)
    const secrets = new Secrets()
    secrets.add('ghs_secret_value')
    const ui = terminalUi(new SafeStream(s, secrets), { debug: true })
    ui.info('key \x1b]0;owned\x07 and \x1b[2J and a\rb')
    ui.debug('x\n::error::y ghs_secret_value')
    expect(s.text()).toBe(
      '   key \\e]0;owned\\x07 and \\e[2J and a\\rb\n   debug: x\n» ::error::y ***\n'
    )
  })
})
