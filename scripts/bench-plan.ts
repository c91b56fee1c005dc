// Micro-benchmark of the pure engine: decide() over 100,000 realistic caches
// (testing/fake/seed.ts) for a few representative policies, built from inputs the way
// the action builds them; with delete-by-key, also the executor's grouping of
// the plan into calls (planWork), which reads the whole listing. Median of several timed runs after warm-ups; memory
// is the heap the plan keeps (after a full GC) and the process's RSS.
//
//   node --expose-gc --import tsx scripts/bench-plan.ts [--quick] [--json] [--count N]
//   (npm run bench runs it; `tsx scripts/bench-plan.ts` works too, without the heap figure's GC)

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parse } from 'yaml'
import { median } from '../bench/median.js'
import { generateRepo } from '../testing/fake/seed.js'
import { fromApi } from '../src/github/cache-api.js'
import { scopeFromEvent } from '../src/engine/event.js'
import type { InputName } from '../src/engine/inputs.js'
import { readSettings } from '../src/engine/prune-settings.js'
import { rulesSyntax } from '../src/engine/rules-syntax.js'
import { decide, type Plan } from '../src/engine/policy.js'
import { planWork } from '../src/run/executor.js'

const root = new URL('../', import.meta.url).pathname
const quick = process.argv.includes('--quick')
const asJson = process.argv.includes('--json')
const countAt = process.argv.indexOf('--count')
const COUNT = countAt > 0 ? Number(process.argv[countAt + 1]) : 100_000
const TIMED = quick ? 5 : 9
const WARMUP = quick ? 1 : 2

const defaults = Object.fromEntries(
  Object.entries(
    (
      parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
        inputs: Record<string, { default?: string }>
      }
    ).inputs
  ).map(([name, spec]) => [name, spec.default ?? ''])
)

const now = Date.now()
const repo = generateRepo({ count: COUNT, seed: 7, now })
// through JSON, as the action gets them from the API (flat strings, not the
// generator's concatenations, which V8 would re-flatten at every lookup)
const caches = (JSON.parse(JSON.stringify(repo.caches)) as typeof repo.caches).map(fromApi)
const total = caches.reduce((n, c) => n + c.sizeInBytes, 0)
const pr = repo.pulls.find(p => p.state === 'closed')?.number ?? 1

const POLICIES: Array<{ name: string; event: [string, unknown]; inputs: Record<string, string> }> =
  [
    {
      name: 'older-than 1d, delete-by-key',
      event: ['schedule', {}],
      inputs: { 'older-than': '1d', 'delete-by-key': 'true' }
    },
    {
      name: 'closed PR',
      event: ['pull_request', { action: 'closed', number: pr, pull_request: { number: pr } }],
      inputs: {}
    },
    {
      name: 'older-than 3d, keep-latest 1',
      event: ['schedule', {}],
      inputs: { 'older-than': '3d', 'keep-latest': '1' }
    },
    {
      // a budget of two thirds of what is there, as in scenario 3 of npm run bench
      name: 'budget (2/3 of the total)',
      event: ['schedule', {}],
      inputs: { 'max-total-size': String(Math.floor((total * 2) / 3)) }
    },
    {
      name: 'rules (globs, protect, cap)',
      event: ['schedule', {}],
      inputs: {
        rules: [
          'rules:',
          '  - name: old dependency caches',
          "    keys: ['Linux-*', 'node-cache-*', '!Linux-gradle-*']",
          '    older-than: 2d',
          '    keep-latest: 2',
          '  - name: big caches',
          '    larger-than: 500MB',
          'protect:',
          "  refs: ['main']",
          'max-deletions: 500'
        ].join('\n')
      }
    }
  ]

const gc = (): void => (globalThis as { gc?: () => void }).gc?.()

const results: Array<{
  name: string
  medianMs: number
  minMs: number
  deletions: number
  /** delete-by-key: planWork's grouping of the deletions into calls, after decide() */
  groupingMs?: number
}> = []
let heapDeltaMb = 0
for (const p of POLICIES) {
  const all: Record<string, string> = {
    ...defaults,
    token: 'ghs_bench',
    repository: 'octo/bench',
    ...p.inputs
  }
  const settings = readSettings(
    name => all[name as InputName] ?? '',
    scopeFromEvent(...p.event),
    rulesSyntax
  )
  const times: number[] = []
  const grouping: number[] = []
  // a holder, so the previous plan can be dropped before each run's GC
  const held: { plan?: Plan } = {}
  for (let i = 0; i < WARMUP + TIMED; i++) {
    delete held.plan
    gc()
    const t = performance.now()
    held.plan = decide(caches, settings.policy, now)
    const ms = performance.now() - t
    if (i >= WARMUP) times.push(ms)
    if (settings.deleteByKey) {
      const g = performance.now()
      planWork(held.plan.deletions, { caches, scopes: [{}] }, true)
      if (i >= WARMUP) grouping.push(performance.now() - g)
    }
  }
  // the heap a plan keeps, after a full GC on both sides
  delete held.plan
  gc()
  const before = process.memoryUsage().heapUsed
  const plan = decide(caches, settings.policy, now)
  held.plan = plan
  gc()
  heapDeltaMb = Math.max(heapDeltaMb, (process.memoryUsage().heapUsed - before) / 1e6)
  results.push({
    name: p.name,
    medianMs: median(times),
    minMs: Math.min(...times),
    deletions: plan.deletions.length,
    ...(grouping.length > 0 ? { groupingMs: median(grouping) } : {})
  })
}

const summary = {
  caches: COUNT,
  policies: results,
  heapDeltaMb,
  rssMb: process.memoryUsage().rss / 1e6
}
if (asJson) {
  console.log(JSON.stringify(summary))
} else {
  console.log(`decide() over ${COUNT.toLocaleString('en-US')} caches, median of ${TIMED} runs:`)
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(32)} ${r.medianMs.toFixed(1).padStart(7)} ms (min ${r.minMs.toFixed(1)}), ${r.deletions} deletions${r.groupingMs !== undefined ? `; grouped into calls by key in ${r.groupingMs.toFixed(1)} ms` : ''}`
    )
  }
  console.log(
    `  heap kept by a plan: ${heapDeltaMb.toFixed(1)} MB; RSS ${summary.rssMb.toFixed(0)} MB`
  )
}
