import fc from 'fast-check'
import { scaledClock } from '../../src/github/clock.js'
import {
  defaultGovernorOptions,
  Governor,
  type Attempted,
  type GovernorEvent
} from '../../src/github/governor.js'
import { StopError } from '../../src/github/ports.js'
import { ManualClock } from '../support/memory-api.js'
import { fail, make, ok } from '../support/governor.js'
import { VirtualClock } from '../support/virtual-clock.js'

interface Span {
  readonly method: string
  readonly start: number
  readonly end: number
}

/**
 * The most weight any server window of `windowMs` could count: a request
 * reaches the server at some moment between its start and its answer, and
 * the worst case puts every request as close together as its span allows.
 */
function maxInWindow(
  spans: readonly Span[],
  windowMs: number,
  weight: (s: Span) => number
): number {
  let max = 0
  for (const a of spans) {
    // a window that opens at a's answer holds every request that started before it closes
    let sum = 0
    for (const b of spans) if (b.end >= a.end && b.start < a.end + windowMs) sum += weight(b)
    max = Math.max(max, sum)
  }
  return max
}

/** Runs `deletes` DELETEs (after `gets` GETs, side by side) through the governor, as a worker pool would. */
async function job(
  g: Governor,
  clock: VirtualClock,
  count: number,
  options: { latencyMs: number; method?: string; gets?: number; fail?: () => boolean }
): Promise<{ starts: number[]; spans: Span[] }> {
  const starts: number[] = []
  const spans: Span[] = []
  const one = (method: string) =>
    g.run({ method, label: method }, async () => {
      const start = clock.now()
      starts.push(start)
      await clock.sleep(options.latencyMs)
      spans.push({ method, start, end: clock.now() })
      if (options.fail?.()) throw fail('secondary-rate-limit', 403, 2_000)
      return ok(1)
    })
  await Promise.all(Array.from({ length: options.gets ?? 0 }, () => one('GET')))
  await Promise.all(Array.from({ length: count }, () => one(options.method ?? 'DELETE')))
  return { starts, spans }
}

describe('Governor', () => {
  it.each(['server', 'network', 'timeout', 'invalid-response'] as const)(
    'retries a %s failure with growing back-off',
    async kind => {
      const { g, clock } = make()
      let calls = 0
      const value = await g.run({ method: 'GET', label: 'x' }, async () => {
        calls++
        if (calls < 3) throw fail(kind, kind === 'server' ? 502 : undefined)
        return ok('done')
      })
      expect(value).toBe('done')
      expect(calls).toBe(3)
      expect(clock.slept).toEqual([1000, 2000])
      expect(g.stats.retries).toBe(2)
    }
  )

  it('gives up after the configured retries and throws the last error', async () => {
    const { g } = make({ retries: 2 })
    let calls = 0
    await expect(
      g.run({ method: 'GET', label: 'x' }, async () => {
        calls++
        throw fail('server', 503)
      })
    ).rejects.toMatchObject({ kind: 'server' })
    expect(calls).toBe(3)
  })

  it.each(['forbidden', 'not-found', 'unauthorized', 'client'] as const)(
    'never retries %s',
    async kind => {
      const { g } = make()
      let calls = 0
      await expect(
        g.run({ method: 'DELETE', label: 'x' }, async () => {
          calls++
          throw fail(kind, 403)
        })
      ).rejects.toMatchObject({ kind })
      expect(calls).toBe(1)
    }
  )

  it('honours retry-after on a secondary limit and halves the window for the rest of the run', async () => {
    const { g, clock } = make({ mutationsPerWindow: 150 })
    let calls = 0
    await g.run({ method: 'DELETE', label: 'x' }, async () => {
      calls++
      if (calls === 1) throw fail('secondary-rate-limit', 403, 30_000)
      return ok(1)
    })
    expect(clock.slept).toContain(30_000)
    expect(g.mutationsPerWindow).toBe(75)
    expect(g.stats.secondaryLimits).toBe(1)
  })

  it('waits a minute on a secondary limit without retry-after', async () => {
    const { g, clock } = make()
    let calls = 0
    await g.run({ method: 'GET', label: 'x' }, async () => {
      if (++calls === 1) throw fail('secondary-rate-limit', 429)
      return ok(1)
    })
    expect(clock.slept).toEqual([60_000])
  })

  it('stops instead of sleeping when a secondary limit asks for more than the longest pause', async () => {
    const { g, clock } = make({ maxPauseMs: 300_000 })
    const events: string[] = []
    const stop = await g
      .run({ method: 'DELETE', label: 'delete cache 7' }, async () => {
        throw fail('secondary-rate-limit', 403, 999_999_000)
      })
      .catch((e: unknown) => e)
    expect(stop).toBeInstanceOf(StopError)
    expect(stop).toMatchObject({ why: 'secondary-limit', mayHaveApplied: false })
    expect((stop as Error).message).toMatch(/16667 minutes .*delete cache 7.*5 minutes at most/)
    expect(clock.slept).toEqual([])
    expect(events).toEqual([])
    // exactly the longest pause is still waited
    const { g: g2, clock: clock2 } = make({ maxPauseMs: 300_000 })
    let calls = 0
    await g2.run({ method: 'GET', label: 'x' }, async () => {
      if (++calls === 1) throw fail('secondary-rate-limit', 403, 300_000)
      return ok(1)
    })
    expect(clock2.slept).toEqual([300_000])
  })

  it('stops at the deadline rather than pause past it for a secondary limit', async () => {
    const clock = new ManualClock()
    const g = new Governor({
      ...defaultGovernorOptions(clock),
      random: () => 0.5,
      deadline: clock.now() + 20_000
    })
    await expect(
      g.run({ method: 'GET', label: 'x' }, async () => {
        throw fail('secondary-rate-limit', 403, 30_000)
      })
    ).rejects.toMatchObject({ why: 'deadline' })
    expect(clock.slept).toEqual([])
  })

  it('gives up on a request that keeps meeting the secondary limit', async () => {
    const { g } = make({ retries: 4, secondaryFallbackMs: 10 })
    let calls = 0
    await expect(
      g.run({ method: 'GET', label: 'x' }, async () => {
        calls++
        throw fail('secondary-rate-limit', 403, 10)
      })
    ).rejects.toMatchObject({ kind: 'secondary-rate-limit' })
    expect(calls).toBe(7)
  })

  it('waits for a primary limit that resets soon, then goes on', async () => {
    const events: GovernorEvent[] = []
    const { g, clock } = make({ onEvent: e => events.push(e) })
    const reset = Math.floor(clock.now() / 1000) + 20
    let calls = 0
    const value = await g.run({ method: 'GET', label: 'x' }, async () => {
      if (++calls === 1) {
        throw fail('rate-limited', 403, undefined, {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(reset)
        })
      }
      return ok('after reset', { 'x-ratelimit-remaining': '5000' })
    })
    expect(value).toBe('after reset')
    expect(clock.slept).toEqual([reset * 1000 - Date.parse('2026-11-22T12:00:00Z') + 1000])
    expect(events).toEqual([{ type: 'reset-wait', request: 'x', waitMs: clock.slept[0] }])
  })

  it('spends the window: a job that fits goes out at once, the rest as the window frees room', async () => {
    const clock = new VirtualClock()
    const g = new Governor({ ...defaultGovernorOptions(clock), random: () => 0.5 })
    const { starts } = await job(g, clock, 304, { latencyMs: 100 })
    const first = starts[0]
    // 150 in the first window, at 32 at a time: five rounds of 100 ms
    expect(starts[149] - first).toBeLessThan(1000)
    // the 151st waits for the first one's place: one window after its answer
    expect(starts[150] - first).toBeGreaterThanOrEqual(60_100)
    expect(starts[150] - first).toBeLessThan(61_000)
    expect(starts[300] - first).toBeGreaterThanOrEqual(120_200)
    expect(starts[303] - first).toBeLessThan(122_000)
    expect(g.mutationsPerWindow).toBe(150)
  })

  it('counts points too: reads spend 1, deletes 5, never more than the window holds', async () => {
    const clock = new VirtualClock()
    const g = new Governor({ ...defaultGovernorOptions(clock), random: () => 0.5 })
    const gets = await job(g, clock, 1000, { latencyMs: 80, method: 'GET' })
    expect(maxInWindow(gets.spans, 60_000, () => 1)).toBe(850)
    expect(gets.starts[849] - gets.starts[0]).toBeLessThan(5_000)
    expect(gets.starts[850] - gets.starts[0]).toBeGreaterThanOrEqual(60_000)
  })

  it('never lets a server window count more than the window, whatever the jobs, latencies and secondary limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            deletes: fc.integer({ min: 1, max: 200 }),
            gets: fc.integer({ min: 0, max: 60 }),
            idleMs: fc.integer({ min: 0, max: 90_000 })
          }),
          { minLength: 1, maxLength: 4 }
        ),
        fc.integer({ min: 10, max: 180 }),
        fc.integer({ min: 20, max: 400 }),
        fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
        async (jobs, perWindow, latency, limitAt) => {
          const clock = new VirtualClock()
          const g = new Governor({
            ...defaultGovernorOptions(clock),
            mutationsPerWindow: perWindow,
            random: () => 0.5
          })
          const spans: Span[] = []
          let sent = 0
          let limitedAt: number | undefined
          const limit = (): boolean => {
            sent++
            if (sent !== limitAt) return false
            limitedAt = clock.now()
            return true
          }
          for (const j of jobs) {
            await clock.sleep(j.idleMs)
            const r = await job(g, clock, j.deletes, {
              latencyMs: latency,
              gets: j.gets,
              fail: limit
            })
            spans.push(...r.spans)
          }
          const deletes = spans.filter(s => s.method === 'DELETE')
          expect(maxInWindow(deletes, 60_000, () => 1)).toBeLessThanOrEqual(perWindow)
          expect(maxInWindow(spans, 60_000, s => (s.method === 'GET' ? 1 : 5))).toBeLessThanOrEqual(
            850
          )
          if (limitedAt !== undefined) {
            const after = deletes.filter(s => s.start > (limitedAt ?? 0))
            expect(maxInWindow(after, 60_000, () => 1)).toBeLessThanOrEqual(
              Math.max(1, Math.floor(perWindow / 2))
            )
          }
        }
      ),
      { numRuns: 40 }
    )
  })

  it('holds every other request back during the pause a secondary limit asks for', async () => {
    const clock = new VirtualClock()
    const g = new Governor({ ...defaultGovernorOptions(clock), maxConcurrency: 2 })
    const starts: Array<{ label: string; at: number }> = []
    let limited = false
    await Promise.all(
      ['a', 'b', 'c', 'd'].map(label =>
        g.run({ method: 'DELETE', label }, async () => {
          starts.push({ label, at: clock.now() })
          await clock.sleep(10)
          if (label === 'a' && !limited) {
            limited = true
            throw fail('secondary-rate-limit', 403, 30_000)
          }
          return ok(label)
        })
      )
    )
    const t0 = starts[0].at
    const later = starts.filter(s => s.at > t0 + 10)
    // b was already out; c, d and a's retry all wait out the pause
    expect(starts.filter(s => s.at === t0).map(s => s.label)).toEqual(['a', 'b'])
    expect(later.map(s => s.label).sort()).toEqual(['a', 'c', 'd'])
    for (const s of later) expect(s.at).toBeGreaterThanOrEqual(t0 + 10 + 30_000)
  })

  it('halves the window once for the answers of requests that were out together', async () => {
    const clock = new VirtualClock()
    const events: GovernorEvent[] = []
    const g = new Governor({
      ...defaultGovernorOptions(clock),
      mutationsPerWindow: 160,
      onEvent: e => events.push(e)
    })
    const answered = new Set<number>()
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        g.run({ method: 'DELETE', label: `d${i}` }, async () => {
          await clock.sleep(50)
          if (!answered.has(i)) {
            answered.add(i)
            throw fail('secondary-rate-limit', 403, 1_000)
          }
          return ok(i)
        })
      )
    )
    expect(g.mutationsPerWindow).toBe(80)
    expect(g.stats.secondaryLimits).toBe(10)
    expect(events.filter(e => e.type === 'secondary-limit')).toHaveLength(10)
  })

  it('says when the window makes a request wait long, and only then', async () => {
    const clock = new VirtualClock()
    const events: GovernorEvent[] = []
    const g = new Governor({
      ...defaultGovernorOptions(clock),
      mutationsPerWindow: 3,
      onEvent: e => events.push(e)
    })
    await job(g, clock, 4, { latencyMs: 100 })
    const waits = events.filter(e => e.type === 'window-wait')
    expect(waits).toHaveLength(1)
    expect(waits[0]).toMatchObject({ mutations: 3, points: 15, windowMs: 60_000 })
    expect((waits[0] as { waitMs: number }).waitMs).toBeGreaterThanOrEqual(59_900)
    const quiet: GovernorEvent[] = []
    const g2 = new Governor({
      ...defaultGovernorOptions(new VirtualClock()),
      onEvent: e => quiet.push(e)
    })
    await job(g2, new VirtualClock(), 20, { latencyMs: 100 })
    expect(quiet).toEqual([])
  })

  it('refuses a window that cannot hold one mutating request', () => {
    const clock = new ManualClock()
    expect(() => new Governor({ ...defaultGovernorOptions(clock), mutationsPerWindow: 0 })).toThrow(
      /at least one/
    )
    expect(() => new Governor({ ...defaultGovernorOptions(clock), pointsPerWindow: 4 })).toThrow(
      /at least one/
    )
    expect(
      () => new Governor({ ...defaultGovernorOptions(clock), pointsPerWindow: 5 })
    ).not.toThrow()
  })

  it('stops before touching the reserve, and never sleeps until the hourly reset', async () => {
    const { g, clock } = make({ reserve: 10 })
    const reset = String(Math.floor(clock.now() / 1000) + 3000)
    await g.run({ method: 'GET', label: 'x' }, async () =>
      ok(1, { 'x-ratelimit-remaining': '11', 'x-ratelimit-reset': reset })
    )
    await g.run({ method: 'GET', label: 'x' }, async () =>
      ok(1, { 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': reset })
    )
    await expect(g.run({ method: 'DELETE', label: 'x' }, async () => ok(1))).rejects.toBeInstanceOf(
      StopError
    )
    expect(clock.slept.every(ms => ms < 60_000)).toBe(true)
  })

  it('lets concurrent paced deletes spend exactly the requests above the reserve, no more', async () => {
    const { g, clock } = make({ reserve: 10, maxConcurrency: 4 })
    const reset = String(Math.floor(clock.now() / 1000) + 3000)
    await g.run({ method: 'GET', label: 'x' }, async () =>
      ok(1, { 'x-ratelimit-remaining': '13', 'x-ratelimit-reset': reset })
    )
    let sent = 0
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        g.run({ method: 'DELETE', label: 'x' }, async () => {
          sent++
          return ok(1, { 'x-ratelimit-remaining': String(13 - sent), 'x-ratelimit-reset': reset })
        })
      )
    )
    expect(sent).toBe(3)
    expect(results.filter(r => r.status === 'rejected')).toHaveLength(5)
  })

  it('turns a spent primary limit far from its reset into a budget stop', async () => {
    const { g, clock } = make()
    const reset = String(Math.floor(clock.now() / 1000) + 1800)
    await expect(
      g.run({ method: 'GET', label: 'x' }, async () => {
        throw fail('rate-limited', 403, undefined, {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': reset
        })
      })
    ).rejects.toMatchObject({ why: 'budget' })
    expect(clock.slept).toEqual([])
  })

  it('stops at the deadline instead of starting a request or a pause past it', async () => {
    const clock = new ManualClock()
    const g = new Governor({
      ...defaultGovernorOptions(clock),
      random: () => 0.5,
      deadline: clock.now() + 1500
    })
    let calls = 0
    await expect(
      g.run({ method: 'GET', label: 'x' }, async () => {
        calls++
        throw fail('server', 500)
      })
    ).rejects.toMatchObject({ why: 'deadline' })
    expect(calls).toBe(2)
  })

  it('says when a call stopped at the deadline may have been carried out', async () => {
    const clock = new ManualClock()
    const options = { ...defaultGovernorOptions(clock), random: () => 0.5 }
    // the first attempt's answer is lost, and the retry would start past the deadline
    const lost = new Governor({ ...options, deadline: clock.now() + 500 })
    const afterLoss = await lost
      .run({ method: 'DELETE', label: 'x' }, async () => {
        throw fail('network')
      })
      .catch((e: unknown) => e)
    expect(afterLoss).toBeInstanceOf(StopError)
    expect(afterLoss).toMatchObject({ why: 'deadline', mayHaveApplied: true })
    // nothing was sent: nothing can have been carried out
    const unsent = new Governor({ ...options, deadline: clock.now() })
    const before = await unsent
      .run({ method: 'DELETE', label: 'x' }, async () => ok(1))
      .catch((e: unknown) => e)
    expect(before).toMatchObject({ why: 'deadline', mayHaveApplied: false })
  })

  it('tells a retried attempt that an earlier one may have gone through', async () => {
    const { g } = make()
    const seen: boolean[] = []
    await g.run({ method: 'DELETE', label: 'x' }, async ctx => {
      seen.push(ctx.earlierAttemptMayHaveApplied)
      if (seen.length === 1) throw fail('network')
      return ok(1)
    })
    expect(seen).toEqual([false, true])
  })

  it('never has more requests in flight than the cap', async () => {
    const { g } = make({ maxConcurrency: 3 })
    let inFlight = 0
    let max = 0
    await Promise.all(
      Array.from({ length: 20 }, () =>
        g.run({ method: 'GET', label: 'x' }, async () => {
          inFlight++
          max = Math.max(max, inFlight)
          await new Promise(r => setTimeout(r, 2))
          inFlight--
          return ok(1)
        })
      )
    )
    expect(max).toBe(3)
    expect(g.stats.maxInFlight).toBe(3)
  })

  it('abandons a hung attempt after the timeout and retries it', async () => {
    const { g } = make({ timeoutMs: 20, backoffBaseMs: 1 })
    let calls = 0
    const value = await g.run({ method: 'GET', label: 'x' }, ctx => {
      calls++
      if (calls === 1) {
        return new Promise<Attempted<string>>((_, reject) =>
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))
        )
      }
      return Promise.resolve(ok('second'))
    })
    expect(value).toBe('second')
    expect(calls).toBe(2)
  })
})

describe('scaledClock', () => {
  it('moves now() to the end of a sleep that took a fraction of its length', async () => {
    const clock = scaledClock(0.001)
    const before = clock.now()
    const realBefore = Date.now()
    await clock.sleep(60_000)
    expect(clock.now() - before).toBeGreaterThanOrEqual(60_000)
    // the skipped minute is not added twice, and the real wait was short
    expect(clock.now() - before).toBeLessThan(60_000 + (Date.now() - realBefore) + 5)
  })

  it('skips overlapping sleeps once, not once per sleeper', async () => {
    const clock = scaledClock(0.001)
    const before = clock.now()
    const realBefore = Date.now()
    await Promise.all(Array.from({ length: 30 }, () => clock.sleep(60_000)))
    const advanced = clock.now() - before
    expect(advanced).toBeGreaterThanOrEqual(60_000)
    // thirty sleepers summed would be 30 minutes
    expect(advanced).toBeLessThan(60_000 + (Date.now() - realBefore) * 2 + 1000)
  })
})
