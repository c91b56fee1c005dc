// --tune: sweeps recommended's parameters over the tuning workloads and prints
// one line per choice: the targets it meets and its totals. The held-out
// workloads are never run here.

import { simulatePolicy } from './simulate.js'
import { generateTimeline } from './generate.js'
import { policiesFor } from './policies.js'
import type { Workload } from './workload.js'
import type { RecommendedOptions } from '../src/engine/recommended.js'
import { checkTargets } from './targets.js'
import type { Metrics } from './metrics.js'

const HOUR = 3_600_000
export const SHARES = [0.5, 0.6, 0.7, 0.8, 0.9] as const
export const IDLE_HOURS = [0, 6, 24, 72] as const

export function tune(workloads: readonly Workload[], seed: number): string {
  const timelines = workloads.map(w => generateTimeline(w, seed))
  // the alternatives do not depend on the choice: simulate them once
  const fixed = workloads.map((w, i) =>
    policiesFor(w)
      .filter(p => p.alternative)
      .map(p => ({ policy: p, metrics: simulatePolicy(w, timelines[i], p) }))
  )
  const lines = [
    'share  idle  targets met  rebuild min  GB-h  exact%  main exact%  (summed over the tuning workloads)'
  ]
  for (const share of SHARES) {
    for (const idle of IDLE_HOURS) {
      const options: RecommendedOptions = { share, supersededIdleMs: idle * HOUR }
      let met = 0
      let total = 0
      let rebuild = 0
      let gbh = 0
      let exact = 0
      let restores = 0
      let mainExact = 0
      let mainRestores = 0
      workloads.forEach((w, i) => {
        const rec = policiesFor(w, { recommended: options }).find(p => p.id === 'recommended')
        if (!rec) throw new Error('no recommended policy')
        const m: Metrics = simulatePolicy(w, timelines[i], rec)
        const checks = checkTargets({
          workload: w,
          seed,
          pulls: 0,
          runs: 0,
          policies: [...fixed[i].map(f => f.policy), rec],
          metrics: [...fixed[i].map(f => f.metrics), m]
        })
        met += checks.filter(c => c.met).length
        total += checks.length
        rebuild += m.rebuildMinutes
        gbh += m.storedGbHours
        exact += m.exact
        restores += m.restores
        mainExact += m.defaultExactRate * m.defaultRestores
        mainRestores += m.defaultRestores
      })
      lines.push(
        [
          share.toFixed(1).padStart(5),
          `${idle}h`.padStart(4),
          `${met}/${total}`.padStart(11),
          Math.round(rebuild).toString().padStart(11),
          Math.round(gbh).toString().padStart(5),
          ((exact / restores) * 100).toFixed(1).padStart(6),
          ((mainExact / mainRestores) * 100).toFixed(1).padStart(11)
        ].join('  ')
      )
    }
  }
  return `${lines.join('\n')}\n`
}
