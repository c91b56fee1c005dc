// The terminal progress bar, drawn on a fake stream: in place with '\r' on a
// terminal, plain and sparse lines otherwise.
import { Progress, progressLine } from '../../src/cli/progress.js'
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

describe('progressLine', () => {
  it('fills the bar by the fraction done and shows the counts', () => {
    expect(progressLine('deleted', 150, 300)).toBe(
      `deleted      [${'#'.repeat(12)}${'-'.repeat(12)}] 150/300 50%`
    )
    expect(progressLine('listing', 1200, 1200)).toContain(`[${'#'.repeat(24)}] 1,200/1,200 100%`)
    expect(progressLine('listing', 0, 0)).toContain('100%')
  })

  it('never wraps a narrow terminal', () => {
    expect(progressLine('deleted', 1, 3, 30).length).toBeLessThan(30)
  })
})

describe('Progress on a terminal', () => {
  it('redraws one line in place and ends it when the phase is done', () => {
    const s = stream(true)
    const p = new Progress(s)
    p.update('deleted', 10, 40)
    p.update('deleted', 20, 40)
    expect(s.writes).toHaveLength(2)
    for (const w of s.writes) {
      expect(w.startsWith('\r\x1b[2K')).toBe(true)
      expect(w).not.toContain('\n')
    }
    expect(s.writes[1]).toContain('20/40 50%')
    p.update('deleted', 40, 40)
    expect(s.text().endsWith('40/40 100%\n')).toBe(true)
  })

  it('draws the bar on a terminal that reports no width', () => {
    const s = stream(true, 0)
    new Progress(s).update('deleted', 1, 2)
    expect(s.writes[0]).toContain('1/2 50%')
  })

  it('writes a log line above the bar and draws the bar again', () => {
    const s = stream(true)
    const p = new Progress(s)
    p.update('listing', 100, 400)
    p.log('retrying list caches (page 2)')
    const last = s.writes[s.writes.length - 1]
    expect(last.startsWith('\r\x1b[2Kretrying list caches (page 2)\n')).toBe(true)
    expect(last.slice(last.indexOf('\n') + 1)).toMatch(/^listing +\[#{6}-{18}\] 100\/400 25%$/)
    p.finish()
    expect(s.text().endsWith('\n')).toBe(true)
    p.log('after')
    expect(s.writes[s.writes.length - 1]).toBe('after\n')
  })
})

describe('Progress elsewhere', () => {
  it('writes plain lines, a few per phase, never a carriage return', () => {
    const s = stream(false)
    const p = new Progress(s)
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
  it('draws the bar for progress and keeps logs and warnings readable around it', async () => {
    const s = stream(true)
    const ui = terminalUi(s)
    await ui.group('Deleting', async () => {
      ui.progress('deleted', 5, 10)
      ui.warning('slow down')
    })
    ui.finish()
    const text = s.text()
    expect(text.startsWith('== Deleting\n')).toBe(true)
    expect(text).toContain('\r\x1b[2Kwarning: slow down\ndeleted ')
    expect(text.endsWith('5/10 50%\n')).toBe(true)
    expect(text).not.toMatch(/::/)
  })
})
