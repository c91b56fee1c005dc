// --tune: sweeps recommended's parameters over the tuning workloads, on
// several seeds (a difference one seed shows may be noise), and prints one
// line per choice: the targets it meets on every (workload, seed), and its
// totals per workload. The held-out workloads are never run here.

import type { RecommendedOptions } from '../src/engine/recommended.js'
import { generateTimeline, type Timeline } from './generate.js'
import type { Metrics } from './metrics.js'
import { policiesFor } from './policies.js'
import { simulatePolicy } from './simulate.js'
import { checkTargets } from './targets.js'
import type { Workload } from './workload.js'

const HOUR = 3_600_000
export const SHARES = [0.5, 0.6, 0.7, 0.8, 0.9] as const
export const IDLE_HOURS = [0, 6, 24, 72] as const
export const TUNING_SEEDS = 3

interface Case {
  readonly w: Workload
  readonly seed: number
  readonly timeline: Timeline
  readonly alternatives: {
    readonly policy: ReturnType<typeof policiesFor>[number]
    readonly metrics: Metrics
  }[]
}

export function tune(workloads: readonly Workload[], firstSeed: number): string {
  const seeds = Array.from({ length: TUNING_SEEDS }, (_, i) => firstSeed + i)
  const cases: Case[] = workloads.flatMap(w =>
    seeds.map(seed => {
      const timeline = generateTimeline(w, seed)
      // the alternatives do not depend on the choice: simulate them once
      const alternatives = policiesFor(w)
        .filter(p => p.alternative)
        .map(policy => ({ policy, metrics: simulatePolicy(w, timeline, policy) }))
      return { w, seed, timeline, alternatives }
    })
  )
  const lines = [
    `recommended's parameters on the tuning workloads, seeds ${seeds.join(', ')}; per workload: rebuild minutes, GB-hours, exact-hit rate (summed or pooled over the seeds)`,
    'share  idle  targets met  misses'
  ]
  for (const share of SHARES) {
    for (const idle of IDLE_HOURS) {
      const options: RecommendedOptions = { share, supersededIdleMs: idle * HOUR }
      let met = 0
      let total = 0
      const missed = new Set<string>()
      const per = new Map<
        string,
        { rebuild: number; gbh: number; exact: number; restores: number }
      >()
      for (const c of cases) {
        const rec = policiesFor(c.w, { recommended: options }).find(p => p.id === 'recommended')
        if (!rec) throw new Error('no recommended policy')
        const m = simulatePolicy(c.w, c.timeline, rec)
        const checks = checkTargets({
          workload: c.w,
          seed: c.seed,
          pulls: 0,
          runs: 0,
          policies: [...c.alternatives.map(a => a.policy), rec],
          metrics: [...c.alternatives.map(a => a.metrics), m]
        })
        met += checks.filter(x => x.met).length
        total += checks.length
        for (const x of checks) if (!x.met) missed.add(`${x.workload}/${x.target}`)
        const p = per.get(c.w.name) ?? { rebuild: 0, gbh: 0, exact: 0, restores: 0 }
        p.rebuild += m.rebuildMinutes
        p.gbh += m.storedGbHours
        p.exact += m.exact
        p.restores += m.restores
        per.set(c.w.name, p)
      }
      lines.push(
        `${share.toFixed(1).padStart(5)}  ${`${idle}h`.padStart(4)}  ${`${met}/${total}`.padStart(11)}  ${[...missed].join(', ') || '-'}`
      )
      lines.push(
        `      ${[...per]
          .map(
            ([name, p]) =>
              `${name} ${Math.round(p.rebuild)} min ${Math.round(p.gbh)} GB-h ${((p.exact / p.restores) * 100).toFixed(1)}%`
          )
          .join('; ')}`
      )
    }
  }
  return `${lines.join('\n')}\n`
}
