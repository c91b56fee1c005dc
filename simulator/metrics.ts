// What one policy did to one workload, measured after the warm-up: hit rates
// (overall and for default-branch runs), rebuild minutes, storage, GitHub's
// removals of caches that were needed again, the policy's own deletions and
// the REST requests it spent.

import type { Removal } from './needed.js'

const GB = 2 ** 30
const HOUR = 3_600_000

export interface Metrics {
  readonly policy: string
  readonly restores: number
  readonly exact: number
  readonly partial: number
  readonly misses: number
  /** 0..1 */
  readonly exactRate: number
  readonly partialRate: number
  readonly defaultRestores: number
  readonly defaultExactRate: number
  readonly defaultPartialRate: number
  /** minutes jobs spent rebuilding: a miss costs the family's rebuild time, a partial hit its partial time */
  readonly rebuildMinutes: number
  /** the integral of the stored bytes over the measured time, GB-hours (2^30 bytes) */
  readonly storedGbHours: number
  readonly peakGb: number
  readonly saves: number
  /** GitHub's removals: not accessed for the retention period */
  readonly expired: number
  /** GitHub's removals: least recently used, over the size limit */
  readonly evicted: number
  /** of those, later needed again (a restore would have used them) */
  readonly expiredNeeded: number
  readonly evictedNeeded: number
  readonly policyRuns: number
  readonly policyDeletions: number
  readonly policyDeletedGb: number
  /** the policy's deletions that a later restore would have used */
  readonly policyDeletionsNeeded: number
  /** the policy's deletions, and those needed again, by the engine's reason code */
  readonly byReason: Readonly<Record<string, { readonly deleted: number; readonly needed: number }>>
  readonly apiRequests: number
  /**
   * Restores of a superseded version (a newer one of its family was on its
   * ref), and how many of those came after it had sat unrestored for more
   * than 6, 24 and 72 hours: what deleting superseded versions after that
   * idle time would have cost.
   */
  readonly supersededRestores: {
    readonly total: number
    readonly idleOver6h: number
    readonly idleOver24h: number
    readonly idleOver72h: number
  }
}

export class Recorder {
  private restores = 0
  private exact = 0
  private partial = 0
  private defaultRestores = 0
  private defaultExact = 0
  private defaultPartial = 0
  private rebuildMinutes = 0
  private byteMs = 0
  private peak = 0
  private lastAt: number
  private bytesNow = 0
  private saves = 0
  private readonly removals: Record<Removal, number> = { policy: 0, expired: 0, evicted: 0 }
  private readonly needed: Record<Removal, number> = { policy: 0, expired: 0, evicted: 0 }
  private deletedBytes = 0
  private policyRuns = 0
  private apiRequests = 0
  private readonly byReason = new Map<string, { deleted: number; needed: number }>()
  private readonly superseded = { total: 0, idleOver6h: 0, idleOver24h: 0, idleOver72h: 0 }

  constructor(
    readonly policy: string,
    private readonly measureFrom: number
  ) {
    this.lastAt = measureFrom
  }

  private measured(now: number): boolean {
    return now >= this.measureFrom
  }

  /** The stored total changes to `bytes` at `now` (call with the total before and after each change). */
  storage(now: number, bytes: number): void {
    if (now > this.lastAt) {
      this.byteMs += this.bytesNow * (now - this.lastAt)
      this.lastAt = now
    }
    if (this.measured(now)) this.peak = Math.max(this.peak, this.bytesNow, bytes)
    this.bytesNow = bytes
  }

  restore(
    now: number,
    onDefault: boolean,
    match: 'exact' | 'partial' | 'miss',
    rebuild: number
  ): void {
    if (!this.measured(now)) return
    this.restores++
    if (onDefault) this.defaultRestores++
    if (match === 'exact') {
      this.exact++
      if (onDefault) this.defaultExact++
    } else if (match === 'partial') {
      this.partial++
      if (onDefault) this.defaultPartial++
    }
    this.rebuildMinutes += rebuild
  }

  supersededRestore(now: number, idleMs: number): void {
    if (!this.measured(now)) return
    this.superseded.total++
    if (idleMs > 6 * HOUR) this.superseded.idleOver6h++
    if (idleMs > 24 * HOUR) this.superseded.idleOver24h++
    if (idleMs > 72 * HOUR) this.superseded.idleOver72h++
  }

  saved(now: number): void {
    if (this.measured(now)) this.saves++
  }

  removed(
    now: number,
    cause: Removal,
    count: number,
    bytes: number,
    reasons: readonly string[] = []
  ): void {
    if (!this.measured(now)) return
    this.removals[cause] += count
    if (cause === 'policy') this.deletedBytes += bytes
    for (const r of reasons) this.reason(r).deleted++
  }

  neededAgain(cause: Removal, removedAt: number, reason?: string): void {
    if (!this.measured(removedAt)) return
    this.needed[cause]++
    if (reason !== undefined) this.reason(reason).needed++
  }

  private reason(code: string): { deleted: number; needed: number } {
    let r = this.byReason.get(code)
    if (!r) this.byReason.set(code, (r = { deleted: 0, needed: 0 }))
    return r
  }

  policyRun(now: number, requests: number): void {
    if (!this.measured(now)) return
    this.policyRuns++
    this.apiRequests += requests
  }

  finish(end: number): Metrics {
    this.storage(end, this.bytesNow)
    const rate = (n: number, of: number): number => (of === 0 ? 0 : n / of)
    return {
      policy: this.policy,
      restores: this.restores,
      exact: this.exact,
      partial: this.partial,
      misses: this.restores - this.exact - this.partial,
      exactRate: rate(this.exact, this.restores),
      partialRate: rate(this.partial, this.restores),
      defaultRestores: this.defaultRestores,
      defaultExactRate: rate(this.defaultExact, this.defaultRestores),
      defaultPartialRate: rate(this.defaultPartial, this.defaultRestores),
      rebuildMinutes: this.rebuildMinutes,
      storedGbHours: this.byteMs / GB / HOUR,
      peakGb: this.peak / GB,
      saves: this.saves,
      expired: this.removals.expired,
      evicted: this.removals.evicted,
      expiredNeeded: this.needed.expired,
      evictedNeeded: this.needed.evicted,
      policyRuns: this.policyRuns,
      policyDeletions: this.removals.policy,
      policyDeletedGb: this.deletedBytes / GB,
      policyDeletionsNeeded: this.needed.policy,
      byReason: Object.fromEntries([...this.byReason].sort(([a], [b]) => (a < b ? -1 : 1))),
      apiRequests: this.apiRequests,
      supersededRestores: { ...this.superseded }
    }
  }
}
