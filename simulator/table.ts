// Renders a run's results: a plain-text table per workload (for a terminal
// and for docs/effectiveness.md, where it sits in a code block), the targets,
// and the same data as JSON.

import type { Metrics } from './metrics.js'
import type { WorkloadResult } from './simulate.js'
import type { Check } from './targets.js'

interface Column {
  readonly title: string
  readonly value: (m: Metrics) => string
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}`
const whole = (x: number): string => Math.round(x).toLocaleString('en-US')
const one = (x: number): string => x.toFixed(1)

export const COLUMNS: readonly Column[] = [
  { title: 'policy', value: m => m.policy },
  { title: 'exact%', value: m => pct(m.exactRate) },
  { title: 'partial%', value: m => pct(m.partialRate) },
  { title: 'main exact%', value: m => pct(m.defaultExactRate) },
  { title: 'main partial%', value: m => pct(m.defaultPartialRate) },
  { title: 'rebuild min', value: m => whole(m.rebuildMinutes) },
  { title: 'GB-h', value: m => whole(m.storedGbHours) },
  { title: 'peak GB', value: m => one(m.peakGb) },
  { title: 'GH evicted/needed', value: m => `${whole(m.evicted)}/${whole(m.evictedNeeded)}` },
  { title: 'GH expired/needed', value: m => `${whole(m.expired)}/${whole(m.expiredNeeded)}` },
  {
    title: 'deleted/needed',
    value: m => `${whole(m.policyDeletions)}/${whole(m.policyDeletionsNeeded)}`
  },
  { title: 'API req', value: m => whole(m.apiRequests) }
]

export function renderTable(rows: readonly Metrics[]): string {
  const cells = rows.map(m => COLUMNS.map(c => c.value(m)))
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map(r => r[i].length)))
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i])))
      .join('  ')
      .trimEnd()
  return [
    line(COLUMNS.map(c => c.title)),
    line(widths.map(w => '-'.repeat(w))),
    ...cells.map(line)
  ].join('\n')
}

export function renderWorkload(r: WorkloadResult): string {
  const w = r.workload
  const head =
    `${w.name} (${w.set}): ${w.description}\n` +
    `  limit ${w.sizeLimitGb} GB, retention ${w.retentionMs / 86_400_000} days; ${r.pulls.toLocaleString('en-US')} pull requests, ` +
    `${r.runs.toLocaleString('en-US')} workflow runs in ${w.days} days; measured after a ${w.warmupDays}-day warm-up`
  return `${head}\n\n${renderTable(r.metrics)}\n`
}

export function renderChecks(checks: readonly Check[]): string {
  return checks
    .map(
      c => `${c.met ? 'met    ' : 'NOT MET'}  ${c.workload} (${c.set}): ${c.target}: ${c.detail}`
    )
    .join('\n')
}

export const LEGEND = [
  'exact%/partial%: restores that found the exact key / only a prefix (restore-keys); main: default-branch runs only.',
  'rebuild min: minutes jobs spent rebuilding (a miss costs the family’s rebuild time, a partial hit its partial time).',
  'GB-h: stored GB (2^30 bytes) integrated over the measured hours; peak GB: the most stored at once.',
  'GH evicted / expired: caches GitHub removed over the size limit / after the retention period; needed: a later restore would have used them.',
  'deleted/needed: caches the policy deleted / of those, later needed. API req: REST requests the policy spent.'
].join('\n')

export function renderJson(
  seed: number,
  results: readonly WorkloadResult[],
  checks: readonly Check[]
): string {
  return JSON.stringify(
    {
      seed,
      workloads: results.map(r => ({
        name: r.workload.name,
        set: r.workload.set,
        description: r.workload.description,
        sizeLimitGb: r.workload.sizeLimitGb,
        days: r.workload.days,
        warmupDays: r.workload.warmupDays,
        pullRequests: r.pulls,
        runs: r.runs,
        policies: r.policies.map((p, i) => ({ id: p.id, setup: p.setup, metrics: r.metrics[i] }))
      })),
      targets: checks
    },
    null,
    2
  )
}
