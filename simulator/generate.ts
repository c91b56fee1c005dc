// The generator: workload parameters + a seed -> the repository's activity
// over the simulated days, as a time-ordered list. Everything random is drawn
// here, once, so every policy is replayed against the very same activity
// (and the same seed gives the same activity). The keys each job asks for are
// settled here too: they depend on the lockfiles, never on what is cached.
//
// Keys. Each family's key is its prefix plus a hash of a "version": on the
// default branch the version changes at the family's keyChangesPerWeek
// (each change is a push); release branches have versions of their own; a
// pull request's merge ref sees its base's current version, plus its own
// change if it changes the family's key; its head branch keeps the version it
// was opened with. A keyPerRun family's version is the run itself.

import {
  hex16,
  intBetween,
  logUniform,
  pickWeighted,
  poisson,
  poissonTimes,
  rngFor,
  type Rng
} from './random.js'
import { DAY, HOUR, MINUTE, type Trigger, type Workload, type Workflow } from './workload.js'

/** Day 0 of every simulation: Monday 6 January 2025, 00:00 UTC. */
export const START = Date.UTC(2025, 0, 6)

export interface Job {
  /** index into Workload.families */
  readonly family: number
  readonly key: string
  /** the workflow's minutes with every cache hit */
  readonly minutes: number
}

export interface Run {
  readonly kind: 'run'
  readonly at: number
  readonly workflow: string
  readonly trigger: Trigger
  /** the ref the run saves to */
  readonly ref: string
  /** the refs a restore searches, in order: its own, then a pull request's base, then the default branch */
  readonly scope: readonly string[]
  /** a run on the default branch */
  readonly onDefault: boolean
  readonly jobs: readonly Job[]
  /** it fails, so it saves nothing; a re-run follows */
  readonly failed?: boolean
  /** a re-run of a failed run: same commit, same keys */
  readonly rerun?: boolean
}

export interface PullOpened {
  readonly kind: 'pr-opened'
  readonly at: number
  readonly number: number
  readonly base: string
  readonly head: string
}

export interface PullClosed {
  readonly kind: 'pr-closed'
  readonly at: number
  readonly number: number
  readonly base: string
  readonly head: string
  readonly merged: boolean
}

export interface RefCreated {
  readonly kind: 'ref-created'
  readonly at: number
  /** full ref: refs/heads/... or refs/tags/... */
  readonly ref: string
}

export interface RefDeleted {
  readonly kind: 'ref-deleted'
  readonly at: number
  readonly ref: string
}

export type Activity = Run | PullOpened | PullClosed | RefCreated | RefDeleted

export interface Timeline {
  readonly start: number
  readonly end: number
  /** metrics count from here */
  readonly measureFrom: number
  readonly activities: readonly Activity[]
  /** for the report */
  readonly pulls: number
  readonly runs: number
}

export const headRef = (branch: string): string => `refs/heads/${branch}`
export const pullRef = (n: number): string => `refs/pull/${n}/merge`

/** The cache version of a family's caches (a hash of its paths, in GitHub's terms). */
export const familyVersion = (family: string): string => hex16(`version|${family}`)

/** Scheduled runs start up to this late, uniformly. */
export const SCHEDULE_DELAY_MS = 30 * MINUTE

/** Activity on a working day: mostly between 07:00 and 19:00 UTC. */
function timeOfDay(rng: Rng): number {
  return rng() < 0.8 ? 7 * HOUR + rng() * 12 * HOUR : rng() * DAY
}

const isWeekend = (day: number): boolean => day % 7 >= 5

/** Sorted change times of a version line, and its version at a time. */
class VersionLine {
  constructor(
    readonly label: string,
    private readonly changes: readonly number[]
  ) {}
  at(t: number): string {
    let n = 0
    while (n < this.changes.length && this.changes[n] <= t) n++
    return `${this.label}${n}`
  }
}

interface PullSpec {
  open: number
  base: string
  pushes: number
  lifetimeMs: number
  merged: boolean
  deleteBranch: boolean
  changes: Set<number>
  burst: boolean
}

export function generateTimeline(w: Workload, seed: number): Timeline {
  const rng = rngFor(seed, w.name)
  const start = START
  const span = w.days * DAY
  const end = start + span
  const activities: Activity[] = []
  const defaultBranch = w.defaultBranch
  const mainRef = headRef(defaultBranch)
  let runSeq = 0

  const byTrigger = (trigger: Trigger): Workflow[] =>
    w.workflows.filter(f => f.on.includes(trigger))

  // version lines: the default branch and each release branch, per family
  const lines = new Map<string, VersionLine[]>()
  const changeTimes = new Map<string, number[]>()
  const lineFor = (branch: string, perWeek: (family: number) => number): VersionLine[] =>
    w.families.map((f, i) => {
      const times = poissonTimes(rng, perWeek(i) / 7, span, DAY).map(t => start + t)
      const all = changeTimes.get(branch) ?? []
      all.push(...times)
      changeTimes.set(branch, all)
      return new VersionLine(`${branch}:${f.name}:`, times)
    })
  lines.set(
    defaultBranch,
    lineFor(defaultBranch, i => w.families[i].keyChangesPerWeek)
  )
  for (const r of w.releaseBranches)
    lines.set(
      r.name,
      lineFor(r.name, () => r.keyChangesPerWeek)
    )

  const versionOn = (branch: string, family: number, t: number): string =>
    (lines.get(branch) as VersionLine[])[family].at(t)

  const keyOf = (family: number, version: string): string => {
    const f = w.families[family]
    return f.keyPrefix + hex16(`${f.name}|${version}`)
  }

  const addRuns = (
    trigger: Trigger,
    at: number,
    ref: string,
    scope: string[],
    version: (family: number) => string
  ): void => {
    for (const wf of byTrigger(trigger)) {
      const run = ++runSeq
      activities.push({
        kind: 'run',
        at,
        workflow: wf.name,
        trigger,
        ref,
        scope: [...new Set(scope)],
        onDefault: ref === mainRef,
        jobs: wf.families.map(family => ({
          family,
          key: keyOf(family, w.families[family].keyPerRun ? `run${run}` : version(family)),
          minutes: wf.minutes
        }))
      })
    }
  }

  const branchPush = (branch: string, at: number): void => {
    const ref = headRef(branch)
    addRuns('push', at, ref, [ref, mainRef], f => versionOn(branch, f, at))
  }

  // pushes to the default branch: direct ones, and one for each key change
  for (let day = 0; day < w.days; day++) {
    const rate = w.pushesPerDay * (isWeekend(day) ? w.pushWeekendFactor : 1)
    const n = poisson(rng, rate)
    for (let k = 0; k < n; k++) branchPush(defaultBranch, start + day * DAY + timeOfDay(rng))
  }
  for (const t of changeTimes.get(defaultBranch) ?? []) branchPush(defaultBranch, t)

  // release branches: they exist from the start
  for (const r of w.releaseBranches) {
    activities.push({ kind: 'ref-created', at: start, ref: headRef(r.name) })
    for (const t of poissonTimes(rng, r.pushesPerDay, span, DAY)) branchPush(r.name, start + t)
    for (const t of changeTimes.get(r.name) ?? []) branchPush(r.name, t)
  }

  // pull requests: every day's, then the bursts'
  const pr = w.pullRequests
  const specs: PullSpec[] = []
  const spec = (
    open: number,
    pushes: { min: number; max: number },
    lifetime: { min: number; max: number },
    mergedShare: number,
    changes: Set<number>,
    burst: boolean
  ): PullSpec => ({
    open,
    base: pickWeighted(rng, pr.bases).branch,
    pushes: intBetween(rng, pushes.min, pushes.max),
    lifetimeMs: logUniform(rng, lifetime.min, lifetime.max) * HOUR,
    merged: rng() < mergedShare,
    deleteBranch: rng() < pr.deleteBranchShare,
    changes,
    burst
  })
  for (let day = 0; day < w.days; day++) {
    const n = poisson(rng, pr.perDay * (isWeekend(day) ? pr.weekendFactor : 1))
    for (let k = 0; k < n; k++) {
      const open = start + day * DAY + timeOfDay(rng)
      const changes = new Set<number>()
      w.families.forEach((f, i) => {
        if (rng() < f.prKeyChangeShare) changes.add(i)
      })
      specs.push(spec(open, pr.pushes, pr.lifetimeHours, pr.mergedShare, changes, false))
    }
  }
  for (const b of pr.bursts) {
    for (let day = b.offsetDays; day < w.days; day += b.everyDays) {
      for (let k = 0; k < b.count; k++) {
        const open = start + day * DAY + b.atMs + k * MINUTE
        specs.push(
          spec(open, b.pushes, b.lifetimeHours, b.mergedShare, new Set(b.changesKeys), true)
        )
      }
    }
  }
  specs.sort((a, b) => a.open - b.open)
  /** when a pull request's refs stop mattering: nobody re-runs its checks after it closed */
  const closedAt = new Map<string, number>()
  specs.forEach((s, i) => {
    const number = i + 1
    const head = `${s.burst ? 'deps' : 'feature'}/pr-${number}`
    const ref = pullRef(number)
    const close = s.open + s.lifetimeMs
    activities.push({ kind: 'pr-opened', at: s.open, number, base: s.base, head })
    activities.push({ kind: 'ref-created', at: s.open, ref: headRef(head) })
    const own = (family: number, base: string): string =>
      s.changes.has(family) ? `${base}+pr${number}` : base
    const pushTimes = [s.open]
    for (let k = 1; k < s.pushes; k++) pushTimes.push(s.open + rng() * s.lifetimeMs)
    pushTimes.sort((a, b) => a - b)
    for (const t of pushTimes) {
      if (t >= end) continue
      addRuns('pull_request', t, ref, [ref, headRef(s.base), mainRef], f =>
        own(f, versionOn(s.base, f, t))
      )
      addRuns('feature-push', t, headRef(head), [headRef(head), mainRef], f =>
        own(f, versionOn(s.base, f, s.open))
      )
    }
    if (close >= end) return
    closedAt.set(ref, close)
    closedAt.set(headRef(head), close)
    activities.push({ kind: 'pr-closed', at: close, number, base: s.base, head, merged: s.merged })
    if (s.merged) branchPush(s.base, close + MINUTE)
    if (s.deleteBranch)
      activities.push({ kind: 'ref-deleted', at: close + 2 * MINUTE, ref: headRef(head) })
  })

  // tags, cut from the default branch
  let tagSeq = 0
  for (const t of poissonTimes(rng, w.tagsPerWeek / 7, span, DAY)) {
    const at = start + t
    const ref = `refs/tags/v1.${++tagSeq}.0`
    activities.push({ kind: 'ref-created', at, ref })
    addRuns('tag', at, ref, [ref, mainRef], f => versionOn(defaultBranch, f, at))
  }

  // scheduled and weekly runs on the default branch
  for (const wf of w.workflows) {
    for (let day = 0; day < w.days; day++) {
      for (const trigger of ['schedule', 'weekly'] as const) {
        if (!wf.on.includes(trigger) || (trigger === 'weekly' && day % 7 !== wf.weekday)) continue
        // GitHub starts scheduled runs late, by minutes and sometimes by most of an hour
        const at = start + day * DAY + wf.atMs + rng() * SCHEDULE_DELAY_MS
        const run = ++runSeq
        activities.push({
          kind: 'run',
          at,
          workflow: wf.name,
          trigger,
          ref: mainRef,
          scope: [mainRef],
          onDefault: true,
          jobs: wf.families.map(family => ({
            family,
            key: keyOf(
              family,
              w.families[family].keyPerRun ? `run${run}` : versionOn(defaultBranch, family, at)
            ),
            minutes: wf.minutes
          }))
        })
      }
    }
  }

  const kindOrder: Record<Activity['kind'], number> = {
    'ref-created': 0,
    'pr-opened': 1,
    run: 2,
    'pr-closed': 3,
    'ref-deleted': 4
  }
  // a stable sort: equal times keep the order they were generated in
  const byTime = (a: Activity, b: Activity): number =>
    a.at - b.at || kindOrder[a.kind] - kindOrder[b.kind]
  const inRange = activities.filter(a => a.at < end).sort(byTime)

  // failed runs, and their re-runs on the same commit (drawn in time order);
  // a pull request's are re-run only while it is open
  if (w.reruns.share > 0) {
    const reruns: Run[] = []
    for (let i = 0; i < inRange.length; i++) {
      const a = inRange[i]
      if (a.kind !== 'run' || rng() >= w.reruns.share) continue
      inRange[i] = { ...a, failed: true }
      const at = a.at + logUniform(rng, w.reruns.delayHours.min, w.reruns.delayHours.max) * HOUR
      if (at < Math.min(end, closedAt.get(a.ref) ?? end)) reruns.push({ ...a, at, rerun: true })
    }
    inRange.push(...reruns)
    inRange.sort(byTime)
  }
  return {
    start,
    end,
    measureFrom: start + w.warmupDays * DAY,
    activities: inRange,
    pulls: specs.length,
    runs: inRange.filter(a => a.kind === 'run').length
  }
}
