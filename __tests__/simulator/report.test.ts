// The targets' verdicts, the table, and the command line.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Metrics } from '../../simulator/metrics.js'
import { policiesFor } from '../../simulator/policies.js'
import type { WorkloadResult } from '../../simulator/simulate.js'
import { renderTable } from '../../simulator/table.js'
import { checkTargets } from '../../simulator/targets.js'
import { parseWorkload, type Workload } from '../../simulator/workload.js'

const root = new URL('../../', import.meta.url).pathname

const tiny = {
  name: 'tiny',
  description: 'A tiny repository for tests.',
  set: 'held-out',
  targets: ['fewest-rebuild-minutes', 'deletes-next-to-nothing-restored'],
  days: 3,
  warmupDays: 1,
  repository: { sizeLimitGb: 2 },
  defaultBranchPushes: { perDay: 3 },
  pullRequests: { perDay: 3 },
  workflows: [{ name: 'ci', on: ['push', 'pull_request'], families: ['npm'] }],
  families: [{ name: 'npm', keyPrefix: 'npm-', sizeMb: 200, rebuildMinutes: 3 }]
}

const metrics = (policy: string, m: Partial<Metrics>): Metrics => ({
  policy,
  restores: 100,
  exact: 90,
  partial: 5,
  misses: 5,
  exactRate: 0.9,
  partialRate: 0.05,
  defaultRestores: 50,
  defaultExactRate: 0.95,
  defaultPartialRate: 0.05,
  rebuildMinutes: 100,
  storedGbHours: 1000,
  peakGb: 5,
  saves: 10,
  expired: 0,
  evicted: 0,
  expiredNeeded: 0,
  evictedNeeded: 0,
  policyRuns: 0,
  policyDeletions: 0,
  policyDeletedGb: 0,
  policyDeletionsNeeded: 0,
  byReason: {},
  apiRequests: 0,
  supersededRestores: { total: 0, idleOver6h: 0, idleOver24h: 0, idleOver72h: 0 },
  ...m
})

function result(w: Workload, by: Record<string, Partial<Metrics>>): WorkloadResult {
  const policies = policiesFor(w)
  return {
    workload: w,
    seed: 1,
    pulls: 0,
    runs: 0,
    policies,
    metrics: policies.map(p => metrics(p.id, by[p.id] ?? {}))
  }
}

describe('the targets', () => {
  const w = parseWorkload(tiny, 'tiny.json')

  it('are met when recommended is not beaten on both axes, close on main, fewest rebuilds, few regrets', () => {
    const checks = checkTargets(
      result(w, {
        recommended: {
          rebuildMinutes: 90,
          storedGbHours: 500,
          policyDeletions: 200,
          policyDeletionsNeeded: 2
        },
        'pr-close': { exactRate: 0.95, storedGbHours: 600 }
      })
    )
    expect(checks.map(c => [c.target, c.met])).toEqual([
      ['not-dominated', true],
      ['default-branch-hits', true],
      ['fewest-rebuild-minutes', true],
      ['deletes-next-to-nothing-restored', true]
    ])
  })

  it('are not met, with the numbers, when an alternative wins', () => {
    const checks = checkTargets(
      result(w, {
        recommended: {
          defaultExactRate: 0.93,
          storedGbHours: 500,
          policyDeletions: 50,
          policyDeletionsNeeded: 1
        },
        'age-3d': { exactRate: 0.91, storedGbHours: 400, rebuildMinutes: 99 },
        'recommended-nightly': { exactRate: 0.99, storedGbHours: 10, rebuildMinutes: 1 }
      })
    )
    expect(checks.map(c => [c.target, c.met])).toEqual([
      ['not-dominated', false],
      ['default-branch-hits', false],
      ['fewest-rebuild-minutes', false],
      ['deletes-next-to-nothing-restored', false]
    ])
    expect(checks[0].detail).toBe('age-3d has 91.0% exact and 400 GB-h against 90.0% and 500')
    expect(checks[1].detail).toBe(
      'default-branch exact hits 93.0% against 95.0% with GitHub alone (-2.0 pp)'
    )
    // a variant of recommended is not an alternative to it
    expect(checks[2].detail).toBe(
      '100 rebuild minutes; not fewer than github-only (100), pr-close (100), age-7d (100), age-3d (99), lru-budget (100)'
    )
    expect(checks[3].detail).toMatch(/^1 of its 50 deletions \(2\.0%\)/)
  })
})

describe('the table', () => {
  it('has a header, a rule and one row per policy, numbers right-aligned', () => {
    const text = renderTable([
      metrics('github-only', {}),
      metrics('recommended', { rebuildMinutes: 12345.4, evicted: 3, evictedNeeded: 1 })
    ])
    const lines = text.split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^policy\s+exact%\s+partial%/)
    expect(lines[1]).toMatch(/^-+ {2}-+/)
    expect(lines[3]).toMatch(
      /^recommended\s+90\.0\s+5\.0\s+95\.0\s+5\.0\s+12,345\s+1,000\s+5\.0\s+3\/1\s+0\/0\s+0\/0\s+0$/
    )
    expect(new Set(lines.map(l => l.length)).size).toBe(1)
  })
})

describe('npm run simulate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'))
  const file = join(dir, 'tiny.json')
  writeFileSync(file, JSON.stringify(tiny))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const simulate = (...args: string[]): string =>
    execFileSync(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    })

  it('prints the table for a workload file given on the command line', () => {
    const out = simulate('--workload', file, '--seed', '4')
    expect(out).toMatch(/^npm run simulate -- --seed 4\n/)
    expect(out).toContain('tiny (held-out): A tiny repository for tests.')
    expect(out).toMatch(/\nrecommended {2,}/)
    expect(out).toContain('Targets for policy: recommended')
  })

  it('prints JSON with --json', () => {
    const out = JSON.parse(simulate('--workload', file, '--json')) as {
      seed: number
      workloads: { name: string; policies: { id: string }[] }[]
    }
    expect(out.seed).toBe(1)
    expect(out.workloads.map(w => w.name)).toEqual(['tiny'])
    expect(out.workloads[0].policies.map(p => p.id)).toContain('recommended')
  })

  it('says what is wrong with a bad workload, and exits 2', () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ ...tiny, set: 'other' }))
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'simulator/cli.ts', '--workload', bad],
      {
        cwd: root,
        encoding: 'utf8'
      }
    )
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(
      /^simulate: .*bad\.json: \/set must be equal to one of the allowed values/
    )
  })
})
