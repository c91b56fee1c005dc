// The issue's targets, checked on one run's results. Each check says met or
// not, with the numbers it was judged on; nothing here changes a number.

import type { Metrics } from './metrics.js'
import type { WorkloadResult } from './simulate.js'

export const RECOMMENDED_ID = 'recommended'
export const GITHUB_ID = 'github-only'
/** "next to nothing": at most this share of recommended's deletions is restored again. */
export const NEXT_TO_NOTHING = 0.01
/** within this many percentage points of GitHub's behaviour alone */
export const DEFAULT_BRANCH_TOLERANCE = 0.01

export interface Check {
  readonly workload: string
  readonly set: 'tuning' | 'held-out'
  readonly target:
    | 'not-dominated'
    | 'default-branch-hits'
    | 'fewest-rebuild-minutes'
    | 'deletes-next-to-nothing-restored'
  readonly met: boolean
  readonly detail: string
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`
const pp = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pp`

function find(result: WorkloadResult, id: string): Metrics {
  const m = result.metrics.find(x => x.policy === id)
  if (!m) throw new Error(`${result.workload.name}: no result for ${id}`)
  return m
}

export function checkTargets(result: WorkloadResult): Check[] {
  const w = result.workload
  const rec = find(result, RECOMMENDED_ID)
  const github = find(result, GITHUB_ID)
  const alternatives = result.policies.filter(p => p.alternative).map(p => find(result, p.id))
  const base = { workload: w.name, set: w.set }
  const checks: Check[] = []

  const dominating = alternatives.filter(
    a => a.exactRate > rec.exactRate && a.storedGbHours < rec.storedGbHours
  )
  checks.push({
    ...base,
    target: 'not-dominated',
    met: dominating.length === 0,
    detail:
      dominating.length === 0
        ? `no alternative has both more exact hits than ${pct(rec.exactRate)} and fewer than ${Math.round(rec.storedGbHours)} GB-h`
        : dominating
            .map(
              a =>
                `${a.policy} has ${pct(a.exactRate)} exact and ${Math.round(a.storedGbHours)} GB-h against ${pct(rec.exactRate)} and ${Math.round(rec.storedGbHours)}`
            )
            .join('; ')
  })

  const diff = rec.defaultExactRate - github.defaultExactRate
  checks.push({
    ...base,
    target: 'default-branch-hits',
    met: Math.abs(diff) <= DEFAULT_BRANCH_TOLERANCE,
    detail: `default-branch exact hits ${pct(rec.defaultExactRate)} against ${pct(github.defaultExactRate)} with GitHub alone (${pp(diff)})${diff > DEFAULT_BRANCH_TOLERANCE ? ': better by more than 1 pp' : ''}`
  })

  if (w.targets.includes('fewest-rebuild-minutes')) {
    const fewer = alternatives.filter(a => a.rebuildMinutes <= rec.rebuildMinutes)
    const best = [...alternatives].sort((a, b) => a.rebuildMinutes - b.rebuildMinutes)[0]
    checks.push({
      ...base,
      target: 'fewest-rebuild-minutes',
      met: fewer.length === 0,
      detail:
        fewer.length === 0
          ? `${Math.round(rec.rebuildMinutes)} rebuild minutes; the best alternative, ${best.policy}, ${Math.round(best.rebuildMinutes)}`
          : `${Math.round(rec.rebuildMinutes)} rebuild minutes; not fewer than ${fewer.map(a => `${a.policy} (${Math.round(a.rebuildMinutes)})`).join(', ')}`
    })
  }

  if (w.targets.includes('deletes-next-to-nothing-restored')) {
    const share = rec.policyDeletions === 0 ? 0 : rec.policyDeletionsNeeded / rec.policyDeletions
    checks.push({
      ...base,
      target: 'deletes-next-to-nothing-restored',
      met: share <= NEXT_TO_NOTHING,
      detail: `${rec.policyDeletionsNeeded} of its ${rec.policyDeletions} deletions (${pct(share)}) would have been restored again (threshold ${pct(NEXT_TO_NOTHING)})`
    })
  }
  return checks
}
