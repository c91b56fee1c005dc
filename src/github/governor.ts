// The request governor: every API call goes through run(). It owns retries with
// back-off, secondary-rate-limit pauses, pacing of mutating requests, the
// concurrency cap, the primary rate-limit reserve and the run's deadline.
// Time comes from an injected Clock, so a minute-long back-off takes
// milliseconds in tests.

import { DEFAULT_DELETES_PER_MINUTE, DEFAULT_RESERVE } from '../engine/inputs.js'
import { realClock } from './clock.js'
import {
  ApiError,
  MAX_IN_FLIGHT,
  noRequests,
  StopError,
  type Clock,
  type GovernorStats,
  type RequestPurpose
} from './ports.js'

export interface GovernorOptions {
  readonly clock: Clock
  /** requests of the hourly budget left untouched for the repository's other workflows */
  readonly reserve: number
  /** in-flight requests at most (GitHub allows 100) */
  readonly maxConcurrency: number
  /** gap between the starts of two mutating requests once the burst is spent */
  readonly mutationIntervalMs: number
  /**
   * Mutating requests that may start at once before pacing applies. The
   * allowance refills at the pace, so no 60 s window sees more than
   * burst + 60 s / interval of them.
   */
  readonly mutationBurst: number
  /** retries after a transient failure (5xx, network, timeout, malformed body) */
  readonly retries: number
  readonly backoffBaseMs: number
  /** pause after a secondary rate limit that gives no retry-after */
  readonly secondaryFallbackMs: number
  /** a single attempt is abandoned after this long */
  readonly timeoutMs: number
  /** epoch ms after which no request starts and no pause begins */
  readonly deadline?: number
  /** wait for the primary limit to reset only when that is this close */
  readonly maxResetWaitMs: number
  readonly random: () => number
  readonly onEvent?: (event: GovernorEvent) => void
}

export type GovernorEvent =
  | { type: 'retry'; request: string; attempt: number; waitMs: number; cause: string }
  | { type: 'secondary-limit'; request: string; waitMs: number; intervalMs: number }
  | { type: 'reset-wait'; request: string; waitMs: number }

export interface RateState {
  limit?: number
  remaining?: number
  /** epoch ms */
  resetAt?: number
}

export interface Attempted<T> {
  readonly value: T
  readonly headers: Readonly<Record<string, string | undefined>>
}

export interface CallInfo {
  readonly method: string
  /** a short description for messages, e.g. 'delete cache 42'; never contains the token */
  readonly label: string
  readonly purpose?: RequestPurpose
}

/** What the caller learns about the attempts behind a result. */
export interface CallContext {
  readonly signal: AbortSignal
  /** 1 for the first attempt */
  readonly attempt: number
  /** an earlier attempt may have reached the server (timeout, dropped connection, 5xx) */
  readonly earlierAttemptMayHaveApplied: boolean
}

export const intervalForPace = (perMinute: number): number => 60_000 / perMinute

const MUTATING = new Set(['DELETE', 'PATCH', 'PUT', 'POST'])
const TRANSIENT = new Set(['server', 'network', 'timeout', 'invalid-response'])

export const defaultGovernorOptions = (clock: Clock = realClock): GovernorOptions => ({
  clock,
  reserve: DEFAULT_RESERVE,
  maxConcurrency: MAX_IN_FLIGHT,
  mutationIntervalMs: intervalForPace(DEFAULT_DELETES_PER_MINUTE),
  mutationBurst: 40,
  retries: 4,
  backoffBaseMs: 1000,
  secondaryFallbackMs: 60_000,
  timeoutMs: 30_000,
  maxResetWaitMs: 60_000,
  random: Math.random
})

export class Governor {
  readonly stats: GovernorStats = noRequests()
  readonly rate: RateState = {}
  private inFlight = 0
  private readonly queue: Array<() => void> = []
  /**
   * Pacing as a generic cell rate algorithm: the time at which the mutation
   * queue would be empty if every mutation took one interval. A mutation may
   * start once that time is at most `burst - 1` intervals ahead of now.
   */
  private mutationsDueAt = 0
  private burst: number
  private pausedUntil = 0
  private intervalMs: number

  constructor(private readonly options: GovernorOptions) {
    if (options.maxConcurrency < 1 || options.maxConcurrency > 100) {
      throw new Error('maxConcurrency must be between 1 and 100')
    }
    this.intervalMs = options.mutationIntervalMs
    this.burst = Math.max(1, options.mutationBurst)
  }

  /**
   * Announces a job of `count` mutating requests. One that fits in what is
   * left of the burst goes out at once; a longer one gives up the burst and is
   * paced evenly from its first request, so its average rate is the pace.
   */
  expectMutations(count: number): void {
    const now = this.options.clock.now()
    const due = Math.max(this.mutationsDueAt, now)
    const left = this.burst - Math.ceil((due - now) / this.intervalMs)
    if (count > left) {
      this.mutationsDueAt = Math.max(this.mutationsDueAt, now + (this.burst - 1) * this.intervalMs)
    }
  }

  /** The current gap between mutating requests (it grows after a secondary limit). */
  get mutationIntervalMs(): number {
    return this.intervalMs
  }

  /** Requests we may still spend before touching the reserve; undefined while unknown. */
  spendable(): number | undefined {
    if (this.rate.remaining === undefined) return undefined
    return Math.max(0, this.rate.remaining - this.options.reserve)
  }

  async run<T>(call: CallInfo, attemptFn: (ctx: CallContext) => Promise<Attempted<T>>): Promise<T> {
    const mutating = MUTATING.has(call.method)
    let ambiguous = false
    for (let attempt = 1; ; attempt++) {
      await this.acquire()
      let outcome: { ok: true; value: T } | { ok: false; error: unknown }
      try {
        await this.beforeStart(call, mutating)
        this.stats.requests++
        if (mutating) this.stats.mutating++
        outcome = await this.attemptWithTimeout(call, attemptFn, attempt, ambiguous)
      } catch (error) {
        outcome = { ok: false, error }
      } finally {
        this.release()
      }
      if (outcome.ok) return outcome.value
      const error = outcome.error
      if (error instanceof StopError) throw stopAfter(error, ambiguous)
      if (!(error instanceof ApiError)) throw error
      const wait = this.planRetry(call, error, attempt)
      if (wait === undefined) throw error
      // A request that failed this way may still have been carried out by the server.
      ambiguous ||= TRANSIENT.has(error.kind)
      this.stats.retries++
      try {
        await this.pause(wait, call)
      } catch (stop) {
        throw stop instanceof StopError ? stopAfter(stop, ambiguous) : stop
      }
    }
  }

  private async attemptWithTimeout<T>(
    call: CallInfo,
    attemptFn: (ctx: CallContext) => Promise<Attempted<T>>,
    attempt: number,
    ambiguous: boolean
  ): Promise<{ ok: true; value: T }> {
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, this.options.timeoutMs)
    try {
      const result = await attemptFn({
        signal: controller.signal,
        attempt,
        earlierAttemptMayHaveApplied: ambiguous
      })
      this.observe(result.headers)
      return { ok: true, value: result.value }
    } catch (error) {
      if (timedOut) {
        throw new ApiError(
          'timeout',
          undefined,
          `no answer within ${Math.round(this.options.timeoutMs / 1000)} s`,
          call.label,
          undefined,
          undefined,
          call.purpose
        )
      }
      if (error instanceof ApiError && error.headers) this.observe(error.headers)
      throw error
    } finally {
      clearTimeout(timer)
    }
  }

  /** Reads the primary rate-limit headers GitHub sends on every response. */
  observe(headers: Readonly<Record<string, string | undefined>>): void {
    const num = (name: string): number | undefined => {
      const v = headers[name]
      if (v === undefined || v === '') return undefined
      const n = Number(v)
      return Number.isFinite(n) ? n : undefined
    }
    const limit = num('x-ratelimit-limit')
    const remaining = num('x-ratelimit-remaining')
    const reset = num('x-ratelimit-reset')
    if (limit !== undefined) this.rate.limit = limit
    if (remaining !== undefined) {
      // Responses to concurrent requests arrive out of order; the lowest figure is the truth.
      const sameWindow = reset === undefined || this.rate.resetAt === reset * 1000
      this.rate.remaining =
        sameWindow && this.rate.remaining !== undefined
          ? Math.min(this.rate.remaining, remaining)
          : remaining
    }
    if (reset !== undefined) this.rate.resetAt = reset * 1000
  }

  private planRetry(call: CallInfo, error: ApiError, attempt: number): number | undefined {
    const { clock } = this.options
    switch (error.kind) {
      case 'secondary-rate-limit': {
        if (attempt > this.options.retries + 2) return undefined
        this.stats.secondaryLimits++
        // Slow down for the rest of the run: no more bursts, mutating requests
        // twice as far apart.
        this.intervalMs = Math.min(Math.max(this.intervalMs * 2, 1000), 10_000)
        this.burst = 1
        const waitMs = error.retryAfterMs ?? this.options.secondaryFallbackMs
        this.pausedUntil = Math.max(this.pausedUntil, clock.now() + waitMs)
        this.options.onEvent?.({
          type: 'secondary-limit',
          request: call.label,
          waitMs,
          intervalMs: this.intervalMs
        })
        return waitMs
      }
      case 'rate-limited': {
        const resetAt = this.rate.resetAt
        const waitMs =
          error.retryAfterMs ?? (resetAt !== undefined ? resetAt - clock.now() + 1000 : undefined)
        if (waitMs === undefined || waitMs > this.options.maxResetWaitMs || attempt > 2) {
          throw new StopError(
            'budget',
            `the API rate limit is spent (${call.label}); it resets ${describeReset(resetAt, clock.now())}`
          )
        }
        this.options.onEvent?.({ type: 'reset-wait', request: call.label, waitMs })
        return Math.max(waitMs, 0)
      }
      case 'server':
      case 'network':
      case 'timeout':
      case 'invalid-response': {
        if (attempt > this.options.retries) return undefined
        const base = this.options.backoffBaseMs * 2 ** (attempt - 1)
        const waitMs = Math.round(base * (0.75 + this.options.random() * 0.5))
        this.options.onEvent?.({
          type: 'retry',
          request: call.label,
          attempt,
          waitMs,
          cause: error.message
        })
        return waitMs
      }
      default:
        return undefined
    }
  }

  private async beforeStart(call: CallInfo, mutating: boolean): Promise<void> {
    const { clock } = this.options
    const spendable = this.spendable()
    if (spendable !== undefined && spendable < 1) {
      throw new StopError(
        'budget',
        `only ${this.rate.remaining} API requests are left this hour and ${this.options.reserve} are kept in reserve for other workflows`
      )
    }
    // Claim the request against the budget at the moment of the check: answers
    // to requests in flight arrive later, and workers waiting on the pacing
    // below must not all spend the last request.
    if (this.rate.remaining !== undefined) this.rate.remaining--
    if (this.pausedUntil > clock.now()) await this.pause(this.pausedUntil - clock.now(), call)
    if (mutating) {
      const now = clock.now()
      const due = Math.max(this.mutationsDueAt, now)
      const startAt = Math.max(now, due - (this.burst - 1) * this.intervalMs)
      this.mutationsDueAt = due + this.intervalMs
      if (startAt > now) await this.pause(startAt - now, call)
    }
    this.checkDeadline(call, 0)
  }

  private async pause(ms: number, call: CallInfo): Promise<void> {
    if (ms <= 0) return
    this.checkDeadline(call, ms)
    this.stats.waitedMs += ms
    await this.options.clock.sleep(ms)
  }

  private checkDeadline(call: CallInfo, waitMs: number): void {
    const { deadline, clock } = this.options
    if (deadline !== undefined && clock.now() + waitMs >= deadline) {
      throw new StopError('deadline', `the run's deadline was reached before ${call.label}`)
    }
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.options.maxConcurrency) {
      this.inFlight++
      this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight)
      return Promise.resolve()
    }
    return new Promise(resolve =>
      this.queue.push(() => {
        this.inFlight++
        this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight)
        resolve()
      })
    )
  }

  private release(): void {
    this.inFlight--
    this.queue.shift()?.()
  }
}

/** The stop of a call whose earlier attempt may have been carried out says so. */
const stopAfter = (stop: StopError, ambiguous: boolean): StopError =>
  ambiguous && !stop.mayHaveApplied ? new StopError(stop.why, stop.message, true) : stop

function describeReset(resetAt: number | undefined, now: number): string {
  if (resetAt === undefined) return 'at an unknown time'
  const minutes = Math.max(1, Math.ceil((resetAt - now) / 60_000))
  return `in about ${minutes} minute${minutes === 1 ? '' : 's'}`
}
