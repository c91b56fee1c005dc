// The governor's details that a person reads or that other code relies on:
// the rate-limit headers it believes, the words of its stops, its counts, the
// jitter of its back-off and the bounds of its options.

import {
  defaultGovernorOptions,
  Governor,
  type Attempted,
  type GovernorEvent
} from '../../src/github/governor.js'
import { ApiError, StopError } from '../../src/github/ports.js'
import { ManualClock } from '../support/memory-api.js'
import { fail, make, ok } from '../support/governor.js'
import { VirtualClock } from '../support/virtual-clock.js'

const get = (g: Governor, headers: Record<string, string>) =>
  g.run({ method: 'GET', label: 'x' }, async () => ok(1, headers))

describe('the rate-limit headers', () => {
  it('believes the lowest remaining of one hour, whatever order the answers come in', async () => {
    const { g, clock } = make()
    const reset = String(Math.floor(clock.now() / 1000) + 3000)
    await get(g, {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '900',
      'x-ratelimit-reset': reset
    })
    await get(g, { 'x-ratelimit-remaining': '950', 'x-ratelimit-reset': reset })
    expect(g.rate).toEqual({ limit: 5000, remaining: 899, resetAt: Number(reset) * 1000 })
    expect(g.spendable()).toBe(799)
  })

  it('takes a new hour’s figure as it is, even when it is higher', async () => {
    const { g, clock } = make()
    const now = Math.floor(clock.now() / 1000)
    await get(g, { 'x-ratelimit-remaining': '300', 'x-ratelimit-reset': String(now + 60) })
    await get(g, { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(now + 3660) })
    expect(g.rate.remaining).toBe(4999)
    expect(g.rate.resetAt).toBe((now + 3660) * 1000)
  })

  it("forgets the hour's figures at the moment of its reset, not a moment later", async () => {
    const { g, clock } = make()
    const reset = Math.floor(clock.now() / 1000) + 60
    await get(g, { 'x-ratelimit-remaining': '300', 'x-ratelimit-reset': String(reset) })
    clock.time = reset * 1000 - 1
    expect(g.spendable()).toBe(200)
    clock.time = reset * 1000
    expect(g.spendable()).toBeUndefined()
    expect(g.rate).toEqual({})
  })

  it('ignores empty and unreadable headers, and knows nothing until told', async () => {
    const { g } = make()
    expect(g.spendable()).toBeUndefined()
    await get(g, {
      'x-ratelimit-remaining': '',
      'x-ratelimit-limit': 'lots',
      'x-ratelimit-reset': 'soon'
    })
    expect(g.rate).toEqual({})
    expect(g.spendable()).toBeUndefined()
  })

  it('reads the headers of an error answer too', async () => {
    const { g, clock } = make()
    const reset = String(Math.floor(clock.now() / 1000) + 3000)
    await expect(
      g.run({ method: 'GET', label: 'x' }, async () => {
        throw fail('not-found', 403, undefined, {
          'x-ratelimit-remaining': '4000',
          'x-ratelimit-reset': reset
        })
      })
    ).rejects.toMatchObject({ kind: 'not-found' })
    expect(g.rate.remaining).toBe(4000)
    await get(g, {})
    expect(g.rate.remaining).toBe(3999)
  })

  it('never counts less than zero to spend', async () => {
    const { g, clock } = make({ reserve: 100 })
    const reset = String(Math.floor(clock.now() / 1000) + 3000)
    await get(g, { 'x-ratelimit-remaining': '40', 'x-ratelimit-reset': reset }).catch(
      () => undefined
    )
    expect(g.spendable()).toBe(0)
  })
})

describe('the words of a stop', () => {
  it('names what is left and what is kept when the reserve is reached', async () => {
    const { g, clock } = make({ reserve: 10 })
    const reset = String(Math.floor(clock.now() / 1000) + 3000)
    await get(g, { 'x-ratelimit-remaining': '11', 'x-ratelimit-reset': reset })
    await get(g, {})
    const stop = await get(g, {}).catch((e: unknown) => e)
    expect(stop).toBeInstanceOf(StopError)
    expect(stop).toMatchObject({
      why: 'budget',
      message:
        'only 10 API requests are left this hour and 10 are kept in reserve for other workflows'
    })
  })

  it.each([
    [1800, 'in about 30 minutes'],
    [61, 'in about 2 minutes'],
    [30, 'in about 1 minute']
  ])('says when a spent limit resets (%i s away)', async (seconds, words) => {
    const { g, clock } = make({ maxResetWaitMs: 0 })
    const reset = String(Math.floor(clock.now() / 1000) + seconds)
    const stop = await g
      .run({ method: 'GET', label: 'list caches' }, async () => {
        throw fail('rate-limited', 403, undefined, {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': reset
        })
      })
      .catch((e: unknown) => e)
    expect(stop).toMatchObject({
      why: 'budget',
      message: `the API rate limit is spent (list caches); it resets ${words}`
    })
  })

  it('says the reset is unknown when no header told it', async () => {
    const { g } = make()
    const stop = await g
      .run({ method: 'GET', label: 'x' }, async () => {
        throw fail('rate-limited', 403)
      })
      .catch((e: unknown) => e)
    expect((stop as Error).message).toMatch(/resets at an unknown time$/)
  })

  it('waits for a reset the server names in retry-after, and gives up after the second try', async () => {
    const { g, clock, events } = make()
    let calls = 0
    const stop = await g
      .run({ method: 'GET', label: 'x' }, async () => {
        calls++
        throw fail('rate-limited', 403, 2_000)
      })
      .catch((e: unknown) => e)
    expect(calls).toBe(3)
    expect(clock.slept).toEqual([2_000, 2_000])
    expect(events.map(e => e.type)).toEqual(['reset-wait', 'reset-wait'])
    expect(stop).toMatchObject({ why: 'budget' })
  })

  it('names the request and the seconds of a timeout', async () => {
    const { g } = make({ timeoutMs: 10, retries: 0 })
    const error = await g
      .run({ method: 'GET', label: 'list caches of o/r (page 3)' }, ctx => {
        return new Promise<Attempted<number>>((_, reject) =>
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))
        )
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      kind: 'timeout',
      message: 'no answer within 0 s',
      request: 'list caches of o/r (page 3)'
    })
  })

  it('gives a long pause in minutes and a short one in seconds', async () => {
    const long = make({ maxPauseMs: 90_000 })
    const a = await long.g
      .run({ method: 'GET', label: 'x' }, async () => {
        throw fail('secondary-rate-limit', 403, 600_000)
      })
      .catch((e: unknown) => (e as Error).message)
    expect(a).toMatch(/a pause of 10 minutes \(x\); a run waits 90 s at most$/)
  })
})

describe('counts, events and bounds', () => {
  it('counts requests, mutating ones, retries and the time waited', async () => {
    const { g, clock } = make()
    let n = 0
    await g.run({ method: 'DELETE', label: 'd' }, async () => {
      if (++n === 1) throw fail('server', 403)
      return ok(1)
    })
    await get(g, {})
    expect(g.stats).toMatchObject({
      requests: 3,
      mutating: 2,
      retries: 1,
      waitedMs: 1000,
      secondaryLimits: 0
    })
    expect(clock.slept).toEqual([1000])
  })

  it('tells each retry with its attempt, wait and cause, and jitters the wait by a quarter', async () => {
    for (const [random, waits] of [
      [0, [750, 1500]],
      [0.999999, [1250, 2500]]
    ] as const) {
      const { g, events } = make({ random: () => random })
      let n = 0
      await g.run({ method: 'GET', label: 'r' }, async () => {
        if (++n < 3) throw new ApiError('server', 502, 'Bad Gateway', 'r')
        return ok(1)
      })
      expect(events).toEqual(
        waits.map((waitMs, i) => ({
          type: 'retry',
          request: 'r',
          attempt: i + 1,
          waitMs,
          cause: 'Bad Gateway'
        }))
      )
    }
  })

  it('tells a secondary limit with the window it leaves', async () => {
    const { g, events } = make({ mutationsPerWindow: 9 })
    let n = 0
    await g.run({ method: 'DELETE', label: 'd' }, async () => {
      if (++n === 1) throw fail('secondary-rate-limit', 403, 3_000)
      return ok(1)
    })
    expect(events).toEqual([
      {
        type: 'secondary-limit',
        request: 'd',
        waitMs: 3_000,
        mutationsPerWindow: 4,
        windowMs: 60_000
      }
    ])
  })

  it('never halves a window below one request', async () => {
    const { g } = make({ mutationsPerWindow: 1, pointsPerWindow: 5, secondaryFallbackMs: 10 })
    let n = 0
    await g.run({ method: 'DELETE', label: 'd' }, async () => {
      if (++n < 4) throw fail('secondary-rate-limit', 403, 10)
      return ok(1)
    })
    expect(g.mutationsPerWindow).toBe(1)
    // and a mutating request still fits the points left
    await g.run({ method: 'DELETE', label: 'd' }, async () => ok(2))
  })

  it('calls a window wait of exactly five seconds news, not one just under', async () => {
    for (const [idle, announced] of [
      [55_000, 1],
      [55_001, 0]
    ] as const) {
      const clock = new VirtualClock()
      const events: GovernorEvent[] = []
      const g = new Governor({
        ...defaultGovernorOptions(clock),
        mutationsPerWindow: 1,
        onEvent: e => events.push(e)
      })
      await g.run({ method: 'DELETE', label: 'a' }, async () => ok(1))
      // the first one's place frees 60 s after its answer: b waits 60 s - idle
      await clock.sleep(idle)
      await g.run({ method: 'DELETE', label: 'b' }, async () => ok(1))
      const waits = events.filter(e => e.type === 'window-wait')
      // every wait is told (a debug line); one of 5 s or more is news for the log
      expect(waits).toHaveLength(1)
      expect(waits.filter(e => e.type === 'window-wait' && e.notable)).toHaveLength(announced)
      expect(clock.now() - Date.parse('2026-11-22T12:00:00Z')).toBe(60_000)
    }
  })

  it('tells a wait once, even when the clock wakes it a little early', async () => {
    // a timer may fire a hair before its time on a real or scaled clock: the
    // request then waits the rest, without a second line for the same wait
    class EarlyClock extends ManualClock {
      override async sleep(ms: number): Promise<void> {
        await super.sleep(ms > 1 ? ms - 1 : ms)
      }
    }
    const { g, clock, events } = make({ mutationsPerWindow: 1 }, new EarlyClock())
    await g.run({ method: 'DELETE', label: 'a' }, async () => ok(1))
    await g.run({ method: 'DELETE', label: 'b' }, async () => ok(1))
    expect(clock.slept).toEqual([59_999, 1])
    expect(events.filter(e => e.type === 'window-wait')).toHaveLength(1)
  })

  it('accepts 1 to 100 requests in flight, no more, no fewer', () => {
    const clock = new ManualClock()
    for (const n of [0, 101]) {
      expect(() => new Governor({ ...defaultGovernorOptions(clock), maxConcurrency: n })).toThrow(
        'maxConcurrency must be between 1 and 100'
      )
    }
    for (const n of [1, 100]) {
      expect(
        () => new Governor({ ...defaultGovernorOptions(clock), maxConcurrency: n })
      ).not.toThrow()
    }
  })

  it('keeps its count of requests in flight through failures and stops', async () => {
    const { g } = make({ maxConcurrency: 3, retries: 0 })
    await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        g.run({ method: 'GET', label: 'x' }, async () => {
          if (i % 3 === 0) throw fail('forbidden', 403)
          if (i % 3 === 1) throw new StopError('interrupted', 'stop')
          return ok(1)
        })
      )
    )
    let inFlight = 0
    let most = 0
    await Promise.all(
      Array.from({ length: 10 }, () =>
        g.run({ method: 'GET', label: 'x' }, async () => {
          most = Math.max(most, ++inFlight)
          await new Promise(resolve => setTimeout(resolve, 2))
          inFlight--
          return ok(1)
        })
      )
    )
    expect(most).toBe(3)
    expect(g.stats.maxInFlight).toBe(3)
  })
})

describe('what a first mutation run left alive', () => {
  it('counts only mutating requests against deletes-per-minute', async () => {
    const clock = new VirtualClock()
    const g = new Governor({ ...defaultGovernorOptions(clock), mutationsPerWindow: 5 })
    const starts: Array<{ method: string; at: number }> = []
    const one = (method: string) =>
      g.run({ method, label: method }, async () => {
        starts.push({ method, at: clock.now() })
        await clock.sleep(10)
        return ok(1)
      })
    await Promise.all(Array.from({ length: 20 }, () => one('GET')))
    await Promise.all(Array.from({ length: 5 }, () => one('DELETE')))
    const deletes = starts.filter(s => s.method === 'DELETE').map(s => s.at)
    // the twenty reads took no room from the five deletes
    expect(Math.max(...deletes) - Math.min(...deletes)).toBeLessThan(1_000)
    expect(Math.min(...deletes) - starts[0].at).toBeLessThan(1_000)
  })

  it('halves the points a window holds after a secondary limit, too', async () => {
    const clock = new VirtualClock()
    const g = new Governor({ ...defaultGovernorOptions(clock), pointsPerWindow: 100 })
    let limited = false
    await g.run({ method: 'GET', label: 'g' }, async () => {
      if (!limited) {
        limited = true
        throw fail('secondary-rate-limit', 403, 1_000)
      }
      return ok(1)
    })
    const starts: number[] = []
    await Promise.all(
      Array.from({ length: 60 }, () =>
        g.run({ method: 'GET', label: 'g' }, async () => {
          starts.push(clock.now())
          await clock.sleep(10)
          return ok(1)
        })
      )
    )
    // 50 points a window now, two of them spent by the limited read and its retry
    const first = starts[0]
    expect(starts.filter(t => t < first + 30_000)).toHaveLength(48)
  })

  it('waits a reset exactly as far as it may, and stops one second beyond', async () => {
    for (const [seconds, stops] of [
      [59, false],
      [60, true]
    ] as const) {
      const { g, clock } = make({ maxResetWaitMs: 60_000 })
      const reset = String(Math.floor(clock.now() / 1000) + seconds)
      let n = 0
      const result = await g
        .run({ method: 'GET', label: 'x' }, async () => {
          if (++n === 1) {
            throw fail('rate-limited', 403, undefined, {
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': reset
            })
          }
          return ok('after')
        })
        .catch((e: unknown) => e)
      if (stops) expect(result).toMatchObject({ why: 'budget' })
      else expect(result).toBe('after')
      expect(clock.slept).toEqual(stops ? [] : [60_000])
    }
  })

  it('waits for a reset with no one listening for events', async () => {
    const clock = new ManualClock()
    const g = new Governor({ ...defaultGovernorOptions(clock), random: () => 0.5 })
    let n = 0
    await expect(
      g.run({ method: 'GET', label: 'x' }, async () => {
        if (++n === 1) throw fail('rate-limited', 403, 5_000)
        return ok('after')
      })
    ).resolves.toBe('after')
  })

  it('sleeps nothing when no header says when the limit resets', async () => {
    const { g, clock } = make()
    await g
      .run({ method: 'GET', label: 'x' }, async () => {
        throw fail('rate-limited', 403)
      })
      .catch(() => undefined)
    expect(clock.slept).toEqual([])
  })

  it('holds the others for the pause a secondary limit asks, and no longer', async () => {
    const clock = new VirtualClock()
    const g = new Governor({ ...defaultGovernorOptions(clock), maxConcurrency: 1 })
    const starts: number[] = []
    let limited = false
    await Promise.all(
      [0, 1].map(i =>
        g.run({ method: 'DELETE', label: `d${i}` }, async () => {
          starts.push(clock.now())
          if (i === 0 && !limited) {
            limited = true
            throw fail('secondary-rate-limit', 403, 30_000)
          }
          return ok(i)
        })
      )
    )
    const t0 = starts[0]
    expect(starts.slice(1).every(t => t >= t0 + 30_000 && t < t0 + 31_000)).toBe(true)
  })

  it('reads remaining without a reset header as the same hour, and a first remaining as it is', async () => {
    const { g, clock } = make()
    await get(g, { 'x-ratelimit-remaining': '500' })
    expect(g.rate.remaining).toBe(500)
    const reset = String(Math.floor(clock.now() / 1000) + 3000)
    await get(g, { 'x-ratelimit-remaining': '400', 'x-ratelimit-reset': reset })
    await get(g, { 'x-ratelimit-remaining': '450' })
    expect(g.rate.remaining).toBe(399)
  })

  it('names the deadline in its stop', async () => {
    const clock = new ManualClock()
    const g = new Governor({ ...defaultGovernorOptions(clock), deadline: clock.now() })
    await expect(g.run({ method: 'GET', label: 'list caches' }, async () => ok(1))).rejects.toThrow(
      "the run's deadline was reached before list caches"
    )
  })

  it('counts the most requests in flight when they all start at once', async () => {
    const { g } = make({ maxConcurrency: 3 })
    await Promise.all(
      Array.from({ length: 3 }, () =>
        g.run({ method: 'GET', label: 'x' }, async () => {
          await new Promise(resolve => setTimeout(resolve, 2))
          return ok(1)
        })
      )
    )
    expect(g.stats.maxInFlight).toBe(3)
  })

  it('gives two minutes as minutes, just under as seconds', async () => {
    for (const [ms, words] of [
      [120_000, '2 minutes'],
      [119_000, '119 s']
    ] as const) {
      const { g } = make({ maxPauseMs: 60_000 })
      const message = await g
        .run({ method: 'GET', label: 'x' }, async () => {
          throw fail('secondary-rate-limit', 403, ms)
        })
        .catch((e: unknown) => (e as Error).message)
      expect(message).toContain(`a pause of ${words} (x)`)
    }
  })
})
