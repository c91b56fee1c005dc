// Workload files: the schema, the checks beyond it, the defaults, and the
// generator that turns parameters into activity.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  generateTimeline,
  headRef,
  pullRef,
  START,
  type Activity,
  type Run
} from '../../simulator/generate.js'
import { hex16 } from '../../simulator/random.js'
import {
  DAY,
  GiB,
  HOUR,
  MiB,
  parseWorkload,
  readWorkload,
  WorkloadError
} from '../../simulator/workload.js'

const shipped = new URL('../../simulator/workloads/', import.meta.url).pathname

const minimal = {
  name: 'w',
  description: 'd',
  set: 'tuning',
  repository: {},
  workflows: [{ name: 'ci', on: ['push'], families: ['npm'] }],
  families: [{ name: 'npm', keyPrefix: 'npm-', sizeMb: 100, rebuildMinutes: 4 }]
}

const problems = (value: unknown): string => {
  try {
    parseWorkload(value, 'x.json')
  } catch (error) {
    expect(error).toBeInstanceOf(WorkloadError)
    return (error as Error).message
  }
  throw new Error('expected a WorkloadError')
}

describe('workload files', () => {
  it('ships at least four tuning workloads and two held-out ones, all valid', () => {
    const files = readdirSync(shipped).filter(f => f.endsWith('.json'))
    const workloads = files.map(f => readWorkload(join(shipped, f)))
    expect(workloads.filter(w => w.set === 'tuning').length).toBeGreaterThanOrEqual(4)
    expect(workloads.filter(w => w.set === 'held-out').length).toBeGreaterThanOrEqual(2)
    for (const f of files) {
      expect(JSON.parse(readFileSync(join(shipped, f), 'utf8')).name).toBe(f.replace(/\.json$/, ''))
    }
  })

  it('fills in the documented defaults and converts the units', () => {
    const w = parseWorkload(minimal, 'x.json')
    expect(w).toMatchObject({
      days: 35,
      warmupDays: 7,
      defaultBranch: 'main',
      sizeLimitBytes: 10 * GiB,
      retentionMs: 7 * DAY,
      pushWeekendFactor: 0.2,
      targets: []
    })
    expect(w.pullRequests).toMatchObject({
      perDay: 0,
      pushes: { min: 1, max: 4 },
      lifetimeHours: { min: 1, max: 72 },
      mergedShare: 0.85,
      deleteBranchShare: 0.9,
      bases: [{ branch: 'main', weight: 1 }]
    })
    expect(w.workflows[0]).toMatchObject({ families: [0], minutes: 10, atMs: 2 * HOUR, weekday: 6 })
    expect(w.families[0]).toMatchObject({
      sizeBytes: 100 * MiB,
      sizeJitter: 0.1,
      keyChangesPerWeek: 1,
      keyPerRun: false,
      prKeyChangeShare: 0.05,
      restoreKeys: ['npm-'],
      partialRebuildMinutes: 1
    })
  })

  it('rejects what the schema does not allow, naming where', () => {
    expect(problems({ ...minimal, set: 'training' })).toMatch(
      /^x\.json: \/set must be equal to one of the allowed values/
    )
    expect(problems({ ...minimal, extra: 1 })).toMatch(/must NOT have additional properties/)
    expect(
      problems({ ...minimal, families: [{ ...minimal.families[0], keyPrefix: 'npm' }] })
    ).toMatch(/\/families\/0\/keyPrefix must match pattern/)
    expect(
      problems({ ...minimal, workflows: [{ name: 'ci', on: ['cron'], families: ['npm'] }] })
    ).toMatch(/\/workflows\/0\/on\/0 must be equal to one of the allowed values/)
  })

  it('rejects what the schema cannot see: unknown families, overlapping prefixes, odd ranges', () => {
    expect(
      problems({ ...minimal, workflows: [{ name: 'ci', on: ['push'], families: ['pip'] }] })
    ).toMatch(/workflows\[0\]\.families: no family is named 'pip'/)
    expect(
      problems({
        ...minimal,
        families: [
          minimal.families[0],
          { ...minimal.families[0], name: 'npm2', keyPrefix: 'npm-x-' }
        ]
      })
    ).toMatch(/key prefixes 'npm-' and 'npm-x-' overlap/)
    expect(problems({ ...minimal, pullRequests: { pushes: { min: 3, max: 2 } } })).toMatch(
      /min 3 is above max 2/
    )
    expect(
      problems({ ...minimal, pullRequests: { bases: [{ branch: 'dev', weight: 1 }] } })
    ).toMatch(/'dev' is neither the default nor a release branch/)
    expect(problems({ ...minimal, days: 5, warmupDays: 5 })).toMatch(/leaves no day/)
  })

  it('reports a file that is missing or not JSON', () => {
    expect(() => readWorkload('/nonexistent/w.json')).toThrow(/cannot read it/)
  })
})

describe('the generator', () => {
  const w = parseWorkload(
    {
      ...minimal,
      days: 14,
      defaultBranchPushes: { perDay: 3 },
      pullRequests: { perDay: 4, pushes: { min: 2, max: 4 }, deleteBranchShare: 1 },
      tags: { perWeek: 2 },
      workflows: [
        {
          name: 'ci',
          on: ['push', 'pull_request', 'feature-push', 'tag'],
          families: ['npm', 'cc']
        },
        { name: 'nightly', on: ['schedule'], hour: 1, families: ['npm'] },
        { name: 'weekly', on: ['weekly'], weekday: 2, hour: 4, families: ['npm'] }
      ],
      families: [
        {
          name: 'npm',
          keyPrefix: 'npm-',
          sizeMb: 100,
          rebuildMinutes: 4,
          keyChangesPerWeek: 3,
          prKeyChangeShare: 0.5
        },
        { name: 'cc', keyPrefix: 'cc-', sizeMb: 100, rebuildMinutes: 4, keyPerRun: true }
      ]
    },
    'g.json'
  )
  const t = generateTimeline(w, 42)
  const runs = t.activities.filter((a): a is Run => a.kind === 'run')

  it('is the same for the same seed, and time-ordered', () => {
    expect(generateTimeline(w, 42)).toEqual(t)
    expect(generateTimeline(w, 43)).not.toEqual(t)
    for (let i = 1; i < t.activities.length; i++) {
      expect(t.activities[i].at).toBeGreaterThanOrEqual(t.activities[i - 1].at)
    }
    expect(t.start).toBe(START)
    expect(t.end).toBe(START + 14 * DAY)
    expect(t.measureFrom).toBe(START + 7 * DAY)
    expect(t.activities.every(a => a.at >= t.start && a.at < t.end)).toBe(true)
  })

  it('gives each run its restore scope: own ref, a pull request’s base, the default branch', () => {
    const main = headRef('main')
    for (const r of runs) {
      if (r.trigger === 'pull_request') expect(r.scope).toEqual([r.ref, main])
      else if (r.ref === main) expect(r.scope).toEqual([main])
      else expect(r.scope).toEqual([r.ref, main])
      expect(r.onDefault).toBe(r.ref === main)
    }
    expect(new Set(runs.map(r => r.trigger))).toEqual(
      new Set(['push', 'pull_request', 'feature-push', 'tag', 'schedule', 'weekly'])
    )
  })

  it('runs scheduled jobs daily and weekly ones on their weekday, up to half an hour late', () => {
    const nightly = runs.filter(r => r.trigger === 'schedule')
    expect(nightly).toHaveLength(14)
    nightly.forEach((r, day) => {
      const late = r.at - (START + day * DAY + HOUR)
      expect(late).toBeGreaterThanOrEqual(0)
      expect(late).toBeLessThan(30 * 60_000)
    })
    const weekly = runs.filter(r => r.trigger === 'weekly')
    expect(weekly.map(r => Math.floor((r.at - START) / DAY))).toEqual([2, 9])
  })

  it('keys a per-run family by the run, and a lockfile family by its version', () => {
    const cc = runs.map(r => r.jobs.find(j => j.family === 1)?.key).filter(Boolean)
    expect(new Set(cc).size).toBe(cc.length)
    const mainKeys = runs.filter(r => r.ref === headRef('main')).map(r => r.jobs[0].key)
    // a few changes a week: few distinct keys, many runs
    expect(new Set(mainKeys).size).toBeGreaterThan(1)
    expect(new Set(mainKeys).size).toBeLessThan(mainKeys.length / 3)
    expect(mainKeys.every(k => /^npm-[0-9a-f]{16}$/.test(k))).toBe(true)
  })

  it('gives a pull request’s merge ref its base’s current key, unless it changes the key itself', () => {
    const version = (at: number): string => {
      const before = runs.filter(r => r.ref === headRef('main') && r.at <= at)
      return before.length > 0 ? before[before.length - 1].jobs[0].key : ''
    }
    let same = 0
    let own = 0
    for (const r of runs.filter(r => r.trigger === 'pull_request')) {
      const key = r.jobs[0].key
      // main's runs at or before this moment show the key main had
      const mainKey = version(r.at)
      if (key === mainKey) same++
      else own++
    }
    expect(same).toBeGreaterThan(0)
    expect(own).toBeGreaterThan(0)
  })

  it('opens, pushes, closes and deletes pull requests and their branches in order', () => {
    const of = (n: number): Activity[] =>
      t.activities.filter(
        a =>
          ('number' in a && a.number === n) ||
          ('ref' in a && (a.ref === pullRef(n) || a.ref === headRef(`feature/pr-${n}`)))
      )
    const closed = t.activities.find(a => a.kind === 'pr-closed')
    if (!closed || closed.kind !== 'pr-closed') throw new Error('no pull request closed')
    const kinds = of(closed.number).map(a => (a.kind === 'run' ? `run:${a.trigger}` : a.kind))
    expect(kinds[0]).toBe('ref-created')
    expect(kinds[1]).toBe('pr-opened')
    expect(kinds.filter(k => k === 'run:pull_request').length).toBeGreaterThanOrEqual(2)
    expect(kinds.filter(k => k === 'run:feature-push').length).toBe(
      kinds.filter(k => k === 'run:pull_request').length
    )
    expect(kinds.slice(-2)).toEqual(['pr-closed', 'ref-deleted'])
  })

  it('builds keys from the family prefix and a hash, so keyFamily finds the family', () => {
    expect(hex16('x')).toMatch(/^[0-9a-f]{16}$/)
    expect(hex16('x')).toBe(hex16('x'))
    expect(hex16('x')).not.toBe(hex16('y'))
  })

  it('re-runs failed runs later on the same keys, a pull request’s only while it is open', () => {
    const flaky = parseWorkload(
      {
        ...minimal,
        days: 14,
        defaultBranchPushes: { perDay: 3 },
        pullRequests: { perDay: 4 },
        reruns: { share: 0.5 },
        workflows: [{ name: 'ci', on: ['push', 'pull_request'], families: ['npm'] }]
      },
      'f.json'
    )
    const all = generateTimeline(flaky, 5).activities
    const failed = all.filter((a): a is Run => a.kind === 'run' && a.failed === true)
    const reruns = all.filter((a): a is Run => a.kind === 'run' && a.rerun === true)
    expect(failed.length).toBeGreaterThan(10)
    expect(reruns.length).toBeGreaterThan(5)
    expect(reruns.length).toBeLessThanOrEqual(failed.length)
    const closes = new Map(
      all.flatMap(a => (a.kind === 'pr-closed' ? [[pullRef(a.number), a.at] as const] : []))
    )
    for (const r of reruns) {
      const original = failed.filter(
        f =>
          f.ref === r.ref &&
          f.workflow === r.workflow &&
          f.jobs[0].key === r.jobs[0].key &&
          f.at < r.at &&
          r.at - f.at <= 24 * HOUR
      )
      expect(original.length).toBeGreaterThan(0)
      expect(r.at).toBeLessThan(closes.get(r.ref) ?? Infinity)
    }
  })
})
