// The replay: jobs restore at their start and save at their end, GitHub's
// pass runs hourly, policies run at their moments, and the same seed gives
// the same numbers.
import type { Cache } from '../../src/engine/cache.js'
import {
  familyVersion,
  START,
  type Activity,
  type Run,
  type Timeline
} from '../../simulator/generate.js'
import type { Removal } from '../../simulator/needed.js'
import { policiesFor, type SimPolicy } from '../../simulator/policies.js'
import { simulatePolicy, simulateWorkload, sizeOf } from '../../simulator/simulate.js'
import { parseWorkload, type Workload } from '../../simulator/workload.js'

const M = 60_000
const H = 60 * M
const D = 24 * H
const MAIN = 'refs/heads/main'
const PR = 'refs/pull/1/merge'

const workload = (extra: Record<string, unknown> = {}): Workload =>
  parseWorkload(
    {
      name: 'tiny',
      description: 'a test',
      set: 'tuning',
      days: 3,
      warmupDays: 0,
      repository: { sizeLimitGb: 1 },
      workflows: [{ name: 'ci', on: ['push', 'pull_request'], families: ['npm'], minutes: 10 }],
      families: [
        {
          name: 'npm',
          keyPrefix: 'npm-',
          sizeMb: 300,
          sizeJitter: 0,
          rebuildMinutes: 5,
          partialRebuildMinutes: 2
        }
      ],
      ...extra
    },
    'test'
  )

const run = (at: number, ref: string, key: string, scope = [ref, MAIN]): Run => ({
  kind: 'run',
  at,
  workflow: 'ci',
  trigger: ref === MAIN ? 'push' : 'pull_request',
  ref,
  scope,
  onDefault: ref === MAIN,
  jobs: [{ family: 0, key, minutes: 10 }]
})

const timeline = (activities: Activity[], days = 3): Timeline => ({
  start: START,
  end: START + days * D,
  measureFrom: START,
  activities,
  pulls: 0,
  runs: activities.filter(a => a.kind === 'run').length
})

const github = (w: Workload): SimPolicy => policiesFor(w)[0]

interface Trace {
  restores: { at: number; key: string; match: string }[]
  saves: Cache[]
  removals: { at: number; cause: Removal; keys: string[] }[]
  left: Cache[]
}

function trace(
  w: Workload,
  t: Timeline,
  policy = github(w)
): Trace & { metrics: ReturnType<typeof simulatePolicy> } {
  const out: Trace = { restores: [], saves: [], removals: [], left: [] }
  const metrics = simulatePolicy(w, t, policy, {
    restored: (at, _run, key, found) =>
      out.restores.push({ at, key, match: found?.match ?? 'miss' }),
    saved: c => out.saves.push(c),
    removed: (at, cause, caches) => out.removals.push({ at, cause, keys: caches.map(c => c.key) }),
    finished: model => out.left.push(...model.list())
  })
  return { ...out, metrics }
}

describe('a job', () => {
  const w = workload()

  it('on a miss, saves a new cache under its key on its own ref when the job ends', () => {
    const t = trace(w, timeline([run(START + H, PR, 'npm-1')]))
    expect(t.restores).toEqual([{ at: START + H, key: 'npm-1', match: 'miss' }])
    // 10 minutes of job plus 5 of rebuilding
    expect(t.saves).toEqual([
      {
        id: 1,
        ref: PR,
        key: 'npm-1',
        version: familyVersion('npm'),
        sizeInBytes: sizeOf(w.families[0], 'npm-1'),
        createdAt: START + H + 15 * M,
        lastAccessedAt: START + H + 15 * M
      }
    ])
  })

  it('on a hit saves nothing, and a partial hit saves its own key', () => {
    const t = trace(
      w,
      timeline([
        run(START + H, MAIN, 'npm-1'),
        run(START + 2 * H, MAIN, 'npm-1'),
        run(START + 3 * H, MAIN, 'npm-2')
      ])
    )
    expect(t.restores.map(r => r.match)).toEqual(['miss', 'exact', 'partial'])
    expect(t.saves.map(c => [c.key, c.createdAt])).toEqual([
      ['npm-1', START + H + 15 * M],
      ['npm-2', START + 3 * H + 12 * M]
    ])
    expect(t.metrics).toMatchObject({
      restores: 3,
      exact: 1,
      partial: 1,
      misses: 1,
      rebuildMinutes: 7
    })
  })

  it('saves nothing when it fails (actions/cache saves only on success)', () => {
    const t = trace(
      w,
      timeline([
        { ...run(START + H, MAIN, 'npm-1'), failed: true },
        run(START + 3 * H, MAIN, 'npm-1')
      ])
    )
    expect(t.restores.map(r => r.match)).toEqual(['miss', 'miss'])
    expect(t.saves.map(c => c.createdAt)).toEqual([START + 3 * H + 15 * M])
  })

  it('cannot restore what a job still running will save', () => {
    const t = trace(
      w,
      timeline([run(START + H, MAIN, 'npm-1'), run(START + H + 5 * M, MAIN, 'npm-1')])
    )
    expect(t.restores.map(r => r.match)).toEqual(['miss', 'miss'])
    expect(t.saves).toHaveLength(1) // the second save finds the key taken
  })
})

describe('GitHub’s housekeeping in the replay', () => {
  it('expires caches after the retention period, at the next hourly pass', () => {
    const w = workload({ days: 10, repository: { sizeLimitGb: 1, retentionDays: 7 } })
    const t = trace(w, timeline([run(START + 30 * M, MAIN, 'npm-1')], 10))
    const saved = START + 45 * M
    // the first whole hour after 7 days past the save
    expect(t.removals).toEqual([{ at: START + 7 * D + H, cause: 'expired', keys: ['npm-1'] }])
    expect(saved + 7 * D).toBeLessThan(START + 7 * D + H)
  })

  it('evicts over the size limit only at the hourly pass, least recently used first', () => {
    const w = workload() // 1 GiB limit, 300 MiB caches
    const keys = ['npm-a', 'npm-b', 'npm-c', 'npm-d']
    const t = trace(
      w,
      timeline(
        keys.map((key, i) =>
          run(START + i * M, `refs/pull/${i + 1}/merge`, key, [`refs/pull/${i + 1}/merge`])
        )
      )
    )
    expect(t.removals).toEqual([{ at: START + H, cause: 'evicted', keys: ['npm-a'] }])
    expect(t.metrics.peakGb).toBeCloseTo((4 * 300) / 1024, 5)
  })
})

describe('policies at their moments', () => {
  it('runs the pull-request cleanup when the pull request closes, through the real engine', () => {
    const w = workload()
    const prClose = policiesFor(w).find(p => p.id === 'pr-close') as SimPolicy
    const t = trace(
      w,
      timeline([
        { kind: 'pr-opened', at: START, number: 1, base: 'main', head: 'feature/pr-1' },
        run(START + M, PR, 'npm-1'),
        run(START + 2 * M, MAIN, 'npm-2'),
        {
          kind: 'pr-closed',
          at: START + 2 * H,
          number: 1,
          base: 'main',
          head: 'feature/pr-1',
          merged: false
        }
      ]),
      prClose
    )
    expect(t.removals).toEqual([{ at: START + 2 * H + M, cause: 'policy', keys: ['npm-1'] }])
    expect(t.left.map(c => c.key)).toEqual(['npm-2'])
    // one list page for the pull request's ref, one DELETE
    expect(t.metrics).toMatchObject({ policyRuns: 1, policyDeletions: 1, apiRequests: 2 })
    // the engine's reason code for a rule with no threshold
    expect(t.metrics.byReason).toEqual({ matched: { deleted: 1, needed: 0 } })
  })

  it('runs the nightly ones at 03:17', () => {
    const w = workload()
    const age = policiesFor(w).find(p => p.id === 'age-3d') as SimPolicy
    const t = trace(w, timeline([run(START + H, PR, 'npm-1', [PR])]), age)
    expect(t.metrics.policyRuns).toBe(3)
    expect(t.removals).toEqual([])
  })
})

describe('the whole simulation', () => {
  const w = workload({
    days: 4,
    warmupDays: 1,
    defaultBranchPushes: { perDay: 4 },
    pullRequests: { perDay: 6 }
  })

  it('gives the same numbers for the same seed, and different activity for another', () => {
    const a = simulateWorkload(w, 7)
    const b = simulateWorkload(w, 7)
    expect(b.metrics).toEqual(a.metrics)
    expect(simulateWorkload(w, 8).metrics).not.toEqual(a.metrics)
  })

  it('measures every policy on the same activity; GitHub alone spends nothing', () => {
    const r = simulateWorkload(w, 3)
    expect(r.metrics.map(m => m.policy)).toEqual(r.policies.map(p => p.id))
    const restores = new Set(r.metrics.map(m => m.restores))
    expect(restores.size).toBe(1)
    expect(r.metrics[0]).toMatchObject({
      policy: 'github-only',
      apiRequests: 0,
      policyDeletions: 0
    })
    for (const m of r.metrics) {
      expect(m.exact + m.partial + m.misses).toBe(m.restores)
      expect(m.exactRate).toBeGreaterThanOrEqual(0)
      expect(m.exactRate + m.partialRate).toBeLessThanOrEqual(1)
    }
  })
})
