// One policy against one workload: the timeline's activity is replayed
// against the cache model, GitHub's hourly housekeeping runs, and the policy
// runs at its moments through the real engine. Deterministic: no clock, no
// randomness (the timeline holds all of it), so the same seed gives the same
// numbers, and every policy sees the very same activity.

import {
  familyVersion,
  generateTimeline,
  type Activity,
  type Run,
  type Timeline
} from './generate.js'
import { Recorder, type Metrics } from './metrics.js'
import { CacheModel, type Restored } from './model.js'
import { NeededAgain, type Removal } from './needed.js'
import { pullRequestClosed, refDeleted, REPOSITORY, scheduled } from './payloads.js'
import {
  NIGHTLY_CRON,
  policiesFor,
  type Occasion,
  type PolicyChoices,
  type SimPolicy
} from './policies.js'
import { Agenda } from './queue.js'
import { unitOf } from './random.js'
import { DAY, HOUR, MINUTE, type Family, type Workload } from './workload.js'
import { World } from './world.js'
import type { Cache } from '../src/engine/cache.js'

// Equal times: the world changes first, then jobs end (saves), then jobs
// start (restores), then cleanup workflows run, then GitHub's hourly pass.
const WORLD = 0
const SAVE = 1
const RUN = 2
const POLICY = 3
const GITHUB = 4

/** The nightly cleanup's time of day (the cron line's 03:17 UTC). */
export const NIGHTLY_AT = 3 * HOUR + 17 * MINUTE

/** A cache's size: the family's, varied by its jitter, the same for the same key. */
export function sizeOf(f: Family, key: string): number {
  return Math.max(1, Math.round(f.sizeBytes * (1 + f.sizeJitter * (2 * unitOf(key) - 1))))
}

/** What a test may watch (the table needs none of it). */
export interface Observer {
  restored?(at: number, run: Run, key: string, found: Restored | undefined): void
  saved?(cache: Cache): void
  removed?(at: number, cause: Removal, caches: readonly Cache[]): void
  /** the model at the end of the simulation */
  finished?(model: CacheModel): void
}

export function simulatePolicy(
  w: Workload,
  timeline: Timeline,
  policy: SimPolicy,
  observer: Observer = {}
): Metrics {
  const model = new CacheModel({ sizeLimitBytes: w.sizeLimitBytes, retentionMs: w.retentionMs })
  const world = new World(w.defaultBranch)
  const needed = new NeededAgain(w.retentionMs)
  const rec = new Recorder(policy.id, timeline.measureFrom)
  const agenda = new Agenda()
  const moments = new Set(policy.moments)
  const versions = w.families.map(f => familyVersion(f.name))

  const removed = (
    now: number,
    caches: readonly Cache[],
    cause: Removal,
    reasons?: ReadonlyMap<number, string>
  ): void => {
    if (caches.length === 0) return
    observer.removed?.(now, cause, caches)
    needed.add(caches, cause, now, reasons)
    const bytes = caches.reduce((s, c) => s + c.sizeInBytes, 0)
    const codes = reasons ? caches.map(c => reasons.get(c.id) ?? '') : []
    rec.removed(now, cause, caches.length, bytes, codes)
    rec.storage(now, model.totalBytes)
  }

  const cleanup = (occasion: Occasion): void => {
    const now = occasion.now
    const outcome = policy.run({ occasion, caches: model.list(), world, workload: w })
    const reasons = new Map(outcome.deletions.map(d => [d.cache.id, d.reason]))
    removed(now, model.remove(reasons.keys()), 'policy', reasons)
    rec.policyRun(now, outcome.requests)
  }

  const run = (r: Run): void => {
    let end = r.at
    r.jobs.forEach(job => {
      const family = w.families[job.family]
      const version = versions[job.family]
      const found = model.restore(r.scope, job.key, family.restoreKeys, version, r.at)
      observer.restored?.(r.at, r, job.key, found)
      const match = found?.match ?? 'miss'
      const rebuild =
        match === 'exact'
          ? 0
          : match === 'partial'
            ? family.partialRebuildMinutes
            : family.rebuildMinutes
      rec.restore(r.at, r.onDefault, match, rebuild)
      if (found?.superseded) rec.supersededRestore(r.at, r.at - found.previousAccess)
      const lost = needed.check(
        r.scope,
        job.key,
        family.restoreKeys,
        version,
        r.at,
        ref => model.cachesOn(ref),
        found
      )
      if (lost) rec.neededAgain(lost.cause, lost.removedAt, lost.reason)
      const jobEnd = r.at + (job.minutes + rebuild) * MINUTE
      end = Math.max(end, jobEnd)
      if (match !== 'exact' && r.failed !== true) {
        agenda.add(jobEnd, SAVE, () => {
          const saved = model.save(r.ref, job.key, version, sizeOf(family, job.key), jobEnd)
          if (saved) {
            observer.saved?.(saved)
            rec.saved(jobEnd)
            rec.storage(jobEnd, model.totalBytes)
          }
        })
      }
    })
    if (moments.has('after-build') && r.onDefault && r.trigger === 'push' && r.failed !== true) {
      const at = end + MINUTE
      agenda.add(at, POLICY, () =>
        cleanup({
          moment: 'after-build',
          now: at,
          eventName: 'push',
          payload: {
            ref: r.ref,
            repository: { full_name: REPOSITORY, default_branch: w.defaultBranch }
          }
        })
      )
    }
  }

  const activity = (a: Activity): void => {
    if (a.kind === 'run') return run(a)
    world.apply(a)
    if (a.kind === 'pr-closed' && moments.has('pull-request-closed')) {
      const at = a.at + MINUTE
      const payload = pullRequestClosed(a.number, a.base, a.head, a.merged, w.defaultBranch)
      agenda.add(at, POLICY, () =>
        cleanup({ moment: 'pull-request-closed', now: at, eventName: 'pull_request', payload })
      )
    }
    if (a.kind === 'ref-deleted' && moments.has('delete')) {
      const at = a.at + MINUTE
      const payload = refDeleted(a.ref, w.defaultBranch)
      agenda.add(at, POLICY, () =>
        cleanup({ moment: 'delete', now: at, eventName: 'delete', payload })
      )
    }
  }

  for (const a of timeline.activities) {
    agenda.add(a.at, a.kind === 'run' ? RUN : WORLD, () => activity(a))
  }
  for (let at = timeline.start + HOUR; at < timeline.end; at += HOUR) {
    agenda.add(at, GITHUB, () => {
      const { expired, evicted } = model.hourly(at)
      removed(at, expired, 'expired')
      removed(at, evicted, 'evicted')
    })
  }
  if (moments.has('nightly')) {
    for (let day = 0; day < w.days; day++) {
      const at = timeline.start + day * DAY + NIGHTLY_AT
      agenda.add(at, POLICY, () =>
        cleanup({
          moment: 'nightly',
          now: at,
          eventName: 'schedule',
          payload: scheduled(NIGHTLY_CRON)
        })
      )
    }
  }
  for (let next = agenda.next(); next !== undefined; next = agenda.next()) {
    if (next.at >= timeline.end) break
    next.run()
  }
  observer.finished?.(model)
  return rec.finish(timeline.end)
}

export interface WorkloadResult {
  readonly workload: Workload
  readonly seed: number
  readonly pulls: number
  readonly runs: number
  readonly policies: readonly SimPolicy[]
  readonly metrics: readonly Metrics[]
}

/** Every policy of policiesFor() against one workload. */
export function simulateWorkload(
  w: Workload,
  seed: number,
  choices: PolicyChoices = {}
): WorkloadResult {
  const timeline = generateTimeline(w, seed)
  const policies = policiesFor(w, choices)
  return {
    workload: w,
    seed,
    pulls: timeline.pulls,
    runs: timeline.runs,
    policies,
    metrics: policies.map(p => simulatePolicy(w, timeline, p))
  }
}
