// The request governor: every API call goes through run(). It owns retries with
// back-off, secondary-rate-limit pauses, the sliding windows that keep a run
// under GitHub's secondary limits, the concurrency cap, the primary rate-limit
// reserve and the run's deadline. Time comes from an injected Clock, so a
// minute-long back-off takes milliseconds in tests.

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
  /** the length of the sliding window both limits below count in */
  readonly windowMs: number
  /** mutating requests (DELETE, PATCH, PUT, POST) that may start in any window: `deletes-per-minute` */
  readonly mutationsPerWindow: number
  /** points that may be spent in any window: a GET costs 1, a mutating request 5 */
  readonly pointsPerWindow: number
  /** retries after a transient failure (5xx, network, timeout, malformed body) */
  readonly retries: number
  readonly backoffBaseMs: number
  /** pause after a secondary rate limit that gives no retry-after */
  readonly secondaryFallbackMs: number
  /** the longest pause a secondary limit may ask for; a longer one stops the run */
  readonly maxPauseMs: number
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
  | {
      type: 'secondary-limit'
      request: string
      waitMs: number
      /** mutating requests allowed in a window from now on */
      mutationsPerWindow: number
      windowMs: number
    }
  | { type: 'reset-wait'; request: string; waitMs: number }
  | {
      type: 'window-wait'
      request: string
      waitMs: number
      /** requests started in the window that is full */
      mutations: number
      points: number
      windowMs: number
      /** a wait of 5 s or more: news for the log; a shorter one is the window sliding (debug) */
      notable: boolean
    }

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

/** What GitHub charges against its secondary limit of 900 points a minute. */
const READ_POINTS = 1
const MUTATION_POINTS = 5
/** GitHub's ceiling is 900 points a minute; a run keeps a little room for other steps. */
const POINTS_PER_MINUTE = 850
/** A secondary limit that asks for a longer pause than this stops the run instead. */
const MAX_PAUSE_MS = 5 * 60_000

const MUTATING = new Set(['DELETE', 'PATCH', 'PUT', 'POST'])
const TRANSIENT = new Set(['server', 'network', 'timeout', 'invalid-response'])
/** Window waits shorter than this are the window sliding, not news. */
const NOTABLE_WAIT_MS = 5_000

export const defaultGovernorOptions = (clock: Clock = realClock): GovernorOptions => ({
  clock,
  reserve: DEFAULT_RESERVE,
  maxConcurrency: MAX_IN_FLIGHT,
  windowMs: 60_000,
  mutationsPerWindow: DEFAULT_DELETES_PER_MINUTE,
  pointsPerWindow: POINTS_PER_MINUTE,
  retries: 4,
  backoffBaseMs: 1000,
  secondaryFallbackMs: 60_000,
  maxPauseMs: MAX_PAUSE_MS,
  timeoutMs: 30_000,
  maxResetWaitMs: 60_000,
  random: Math.random
})

/**
 * One request's place in the window. It holds its place from its start until
 * one window after its answer: the server counts it at some moment in
 * between, so two requests counted in one of the server's windows are always
 * counted in one of ours.
 */
interface Slot {
  readonly points: number
  readonly mutating: boolean
  /** the window generation it started in (see Governor.generation) */
  readonly generation: number
  endedAt?: number
}

export class Governor {
  readonly stats: GovernorStats = noRequests()
  readonly rate: RateState = {}
  private inFlight = 0
  private readonly queue: Array<() => void> = []
  /** the requests that still count in the window, in the order they started */
  private slots: Slot[] = []
  /** resolvers of admissions waiting for a request in flight to end */
  private waitingForEnd: Array<() => void> = []
  /** admissions go one at a time, in the order they asked */
  private gate: Promise<unknown> = Promise.resolve()
  private pausedUntil = 0
  private mutationLimit: number
  private pointLimit: number
  /**
   * Bumped each time a secondary limit halves the window. Requests that were
   * already out when it happened answer with the same limit; they are one
   * event, not several, and halve nothing more.
   */
  private generation = 0
  /** the end of the last window wait that was announced */
  private announcedFreesAt = -1

  constructor(private readonly options: GovernorOptions) {
    if (options.maxConcurrency < 1 || options.maxConcurrency > 100) {
      throw new Error('maxConcurrency must be between 1 and 100')
    }
    if (!(options.mutationsPerWindow >= 1) || !(options.pointsPerWindow >= MUTATION_POINTS)) {
      throw new Error('a window must hold at least one mutating request')
    }
    this.mutationLimit = options.mutationsPerWindow
    this.pointLimit = options.pointsPerWindow
  }

  /** Mutating requests allowed in a window now (halved after each secondary limit). */
  get mutationsPerWindow(): number {
    return this.mutationLimit
  }

  /** Requests we may still spend before touching the reserve; undefined while unknown. */
  spendable(): number | undefined {
    // Past the reset, the hour's figures say nothing: the next answer tells.
    if (this.rate.resetAt !== undefined && this.options.clock.now() >= this.rate.resetAt) {
      delete this.rate.remaining
      delete this.rate.resetAt
    }
    if (this.rate.remaining === undefined) return undefined
    return Math.max(0, this.rate.remaining - this.options.reserve)
  }

  async run<T>(call: CallInfo, attemptFn: (ctx: CallContext) => Promise<Attempted<T>>): Promise<T> {
    const mutating = MUTATING.has(call.method)
    let ambiguous = false
    for (let attempt = 1; ; attempt++) {
      await this.acquire()
      let outcome: { ok: true; value: T } | { ok: false; error: unknown }
      let slot: Slot | undefined
      try {
        slot = await this.beforeStart(call, mutating)
        this.stats.requests++
        if (mutating) this.stats.mutating++
        outcome = await this.attemptWithTimeout(call, attemptFn, attempt, ambiguous)
      } catch (error) {
        outcome = { ok: false, error }
      } finally {
        if (slot) this.end(slot)
        this.release()
      }
      if (outcome.ok) return outcome.value
      const error = outcome.error
      if (error instanceof StopError) throw stopAfter(error, ambiguous)
      if (!(error instanceof ApiError)) throw error
      try {
        const wait = this.planRetry(call, error, attempt, slot)
        if (wait === undefined) throw error
        // A request that failed this way may still have been carried out by the server.
        ambiguous ||= TRANSIENT.has(error.kind)
        this.stats.retries++
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

  private planRetry(
    call: CallInfo,
    error: ApiError,
    attempt: number,
    slot: Slot | undefined
  ): number | undefined {
    const { clock } = this.options
    switch (error.kind) {
      case 'secondary-rate-limit': {
        if (attempt > this.options.retries + 2) return undefined
        this.stats.secondaryLimits++
        const waitMs = error.retryAfterMs ?? this.options.secondaryFallbackMs
        if (waitMs > this.options.maxPauseMs) {
          throw new StopError(
            'secondary-limit',
            `GitHub's secondary rate limit asked for a pause of ${describeWait(waitMs)} (${call.label}); a run waits ${describeWait(this.options.maxPauseMs)} at most`
          )
        }
        // Half the window for the rest of the run, once per event: the other
        // requests that were out when it happened answer alike.
        if (!slot || slot.generation === this.generation) {
          this.generation++
          this.mutationLimit = Math.max(1, Math.floor(this.mutationLimit / 2))
          this.pointLimit = Math.max(MUTATION_POINTS, Math.floor(this.pointLimit / 2))
        }
        this.pausedUntil = Math.max(this.pausedUntil, clock.now() + waitMs)
        this.options.onEvent?.({
          type: 'secondary-limit',
          request: call.label,
          waitMs,
          mutationsPerWindow: this.mutationLimit,
          windowMs: this.options.windowMs
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

  /**
   * Everything between having a place among the requests in flight and
   * sending: the reserve, a pause after a secondary limit, room in the
   * window, the deadline. Returns the request's slot in the window.
   */
  private async beforeStart(call: CallInfo, mutating: boolean): Promise<Slot> {
    const spendable = this.spendable()
    if (spendable !== undefined && spendable < 1) {
      throw new StopError(
        'budget',
        `only ${this.rate.remaining} API requests are left this hour and ${this.options.reserve} are kept in reserve for other workflows`
      )
    }
    // Claim the request against the budget at the moment of the check: answers
    // to requests in flight arrive later, and workers waiting for the window
    // below must not all spend the last request.
    if (this.rate.remaining !== undefined) this.rate.remaining--
    const admitted = this.gate.then(() => this.admit(call, mutating))
    this.gate = admitted.catch(() => undefined)
    return admitted
  }

  /**
   * Waits, first in line, until the window has room for this request, and
   * takes it, unless the deadline has come meanwhile. A full window frees
   * room one window after the answer of the oldest request in it; while
   * every request in it is still out, the wait is for one of them to answer.
   */
  private async admit(call: CallInfo, mutating: boolean): Promise<Slot> {
    const { clock, windowMs } = this.options
    const points = mutating ? MUTATION_POINTS : READ_POINTS
    for (;;) {
      const now = clock.now()
      if (this.pausedUntil > now) {
        await this.pause(this.pausedUntil - now, call)
        continue
      }
      this.slots = this.slots.filter(s => s.endedAt === undefined || s.endedAt + windowMs > now)
      let used = 0
      let mutations = 0
      let freesAt = Infinity
      for (const s of this.slots) {
        used += s.points
        if (s.mutating) mutations++
        if (s.endedAt !== undefined) freesAt = Math.min(freesAt, s.endedAt + windowMs)
      }
      if (used + points <= this.pointLimit && (!mutating || mutations < this.mutationLimit)) {
        this.checkDeadline(call, 0)
        const slot: Slot = { points, mutating, generation: this.generation }
        this.slots.push(slot)
        return slot
      }
      if (freesAt === Infinity) {
        await new Promise<void>(resolve => this.waitingForEnd.push(resolve))
        continue
      }
      const waitMs = freesAt - now
      // one line per wait: a timer that wakes a hair early brings the same wait round again
      if (freesAt !== this.announcedFreesAt) {
        this.announcedFreesAt = freesAt
        this.options.onEvent?.({
          type: 'window-wait',
          request: call.label,
          waitMs,
          mutations,
          points: used,
          windowMs,
          notable: waitMs >= NOTABLE_WAIT_MS
        })
      }
      await this.pause(waitMs, call)
    }
  }

  /** The request has its answer (or none): its place frees one window from now. */
  private end(slot: Slot): void {
    slot.endedAt = this.options.clock.now()
    const waiting = this.waitingForEnd
    this.waitingForEnd = []
    for (const wake of waiting) wake()
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

function describeWait(ms: number): string {
  return ms < 120_000 ? `${Math.ceil(ms / 1000)} s` : `${Math.ceil(ms / 60_000)} minutes`
}

function describeReset(resetAt: number | undefined, now: number): string {
  if (resetAt === undefined) return 'at an unknown time'
  const minutes = Math.max(1, Math.ceil((resetAt - now) / 60_000))
  return `in about ${minutes} minute${minutes === 1 ? '' : 's'}`
}
