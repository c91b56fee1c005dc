import fc from 'fast-check'
import { scaledClock } from '../../src/github/clock.js'
import { defaultGovernorOptions, Governor, type Attempted } from '../../src/github/governor.js'
import { ApiError, StopError } from '../../src/github/ports.js'
import { ManualClock } from '../support/memory-api.js'

const ok = <T>(value: T, headers: Record<string, string> = {}): Attempted<T> => ({ value, headers })
const fail = (
  kind: ApiError['kind'],
  status?: number,
  retryAfterMs?: number,
  headers?: Record<string, string>
): ApiError => new ApiError(kind, status, kind, 'test request', retryAfterMs, headers)

const make = (
  over: Partial<ReturnType<typeof defaultGovernorOptions>> = {}
): { g: Governor; clock: ManualClock } => {
  const clock = new ManualClock()
  const g = new Governor({ ...defaultGovernorOptions(clock), random: () => 0.5, ...over })
  return { g, clock }
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

  it('honours retry-after on a secondary limit and slows mutating requests for the rest of the run', async () => {
    const { g, clock } = make({ mutationIntervalMs: 400 })
    let calls = 0
    await g.run({ method: 'DELETE', label: 'x' }, async () => {
      calls++
      if (calls === 1) throw fail('secondary-rate-limit', 403, 30_000)
      return ok(1)
    })
    expect(clock.slept).toContain(30_000)
    expect(g.mutationIntervalMs).toBeGreaterThanOrEqual(1000)
    expect(g.stats.secondaryLimits).toBe(1)
  })

  it('waits at least a minute on a secondary limit without retry-after', async () => {
    const { g, clock } = make()
    let calls = 0
    await g.run({ method: 'GET', label: 'x' }, async () => {
      if (++calls === 1) throw fail('secondary-rate-limit', 429)
      return ok(1)
    })
    expect(Math.max(...clock.slept)).toBeGreaterThanOrEqual(60_000)
  })

  it('spaces mutating requests by the interval once the burst is spent', async () => {
    const { g, clock } = make({ mutationIntervalMs: 500, mutationBurst: 1 })
    const starts: number[] = []
    for (let i = 0; i < 3; i++) {
      await g.run({ method: 'DELETE', label: 'x' }, async () => {
        starts.push(clock.now())
        return ok(i)
      })
    }
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(500)
    expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(500)
  })

  const deleteTimes = async (
    g: Governor,
    clock: ManualClock,
    count: number,
    announce: boolean
  ): Promise<number[]> => {
    if (announce) g.expectMutations(count)
    const starts: number[] = []
    for (let i = 0; i < count; i++) {
      await g.run({ method: 'DELETE', label: 'x' }, async () => {
        starts.push(clock.now())
        return ok(i)
      })
    }
    return starts
  }

  it('sends a small job at once: it fits in the burst', async () => {
    const { g, clock } = make({ mutationIntervalMs: 500, mutationBurst: 40 })
    const starts = await deleteTimes(g, clock, 25, true)
    expect(new Set(starts).size).toBe(1)
    expect(clock.slept).toEqual([])
  })

  it('paces a job larger than the burst evenly from its first request, so its average is the pace', async () => {
    const { g, clock } = make({ mutationIntervalMs: 500, mutationBurst: 40 })
    const starts = await deleteTimes(g, clock, 100, true)
    const gaps = starts.slice(1).map((t, i) => t - starts[i])
    expect(gaps.every(gap => gap === 500)).toBe(true)
  })

  it('does not let a new job reuse a burst spent less than a minute ago', async () => {
    const { g, clock } = make({ mutationIntervalMs: 500, mutationBurst: 40 })
    await deleteTimes(g, clock, 40, true)
    clock.time += 5_000 // ten intervals refill ten requests of the burst
    const starts = await deleteTimes(g, clock, 12, true)
    const gaps = starts.slice(1).map((t, i) => t - starts[i])
    expect(gaps.every(gap => gap === 500)).toBe(true)
  })

  it('never starts more than burst + one minute of pace in any 60 s window, whatever the jobs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            count: fc.integer({ min: 1, max: 150 }),
            idleMs: fc.integer({ min: 0, max: 90_000 }),
            announce: fc.boolean()
          }),
          { minLength: 1, maxLength: 8 }
        ),
        async jobs => {
          const interval = 60_000 / 115
          const { g, clock } = make({ mutationIntervalMs: interval, mutationBurst: 40 })
          const starts: number[] = []
          for (const job of jobs) {
            clock.time += job.idleMs
            starts.push(...(await deleteTimes(g, clock, job.count, job.announce)))
          }
          let j = 0
          for (let i = 0; i < starts.length; i++) {
            while (starts[i] - starts[j] >= 60_000) j++
            expect(i - j + 1).toBeLessThanOrEqual(40 + 115)
          }
        }
      ),
      { numRuns: 60 }
    )
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
    const { g, clock } = make({ reserve: 10, maxConcurrency: 4, mutationIntervalMs: 400 })
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
