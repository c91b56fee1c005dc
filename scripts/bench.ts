// npm run bench [-- --quick] [-- --runs N] [-- --only 1,2] [-- --dist DIR] [-- --json FILE]
//
// Runs the bundled action (dist/index.js, or CACHE_STEWARD_DIST / --dist) the
// way the runner does, against the project's fake GitHub API with realistic
// latency (50-150 ms a request) and GitHub's secondary limits enforced (100
// requests in flight, 900 points a minute: GET 1, DELETE 5). The same run
// runs two baselines (bench/) on the same caches, measures start-up and the
// planning engine (scripts/bench-plan.ts), and prints one table and the
// targets. Full mode: medians of 3 runs (about 25 minutes).
//
// --quick: one run; scenarios 2-5 with time compressed twenty times (the
// fake's latency and 60 s windows, and the action's clock through
// CACHE_STEWARD_TIME_SCALE; --scale S to choose), reported in simulated time;
// the small jobs (1, 1k) in real time. About a minute. CPU time is not
// compressed, so quick figures are approximate; docs/performance.md uses the
// full run.

import { spawnSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from '../testing/fake/server.js'
import { examplePayload, runAction } from '../testing/action-runner.js'
import { parallelDeleter } from '../bench/parallel-deleter.js'
import { median } from '../bench/median.js'
import { sequentialDeleter } from '../bench/sequential-deleter.js'
import type { BaselineResult } from '../bench/baseline-http.js'
import { SCENARIOS, type Scenario, type ScenarioData } from '../bench/scenarios.js'

const REPO = 'octo/bench'
const TOKEN = 'ghs_write'
const root = new URL('../', import.meta.url).pathname

// ---- options ------------------------------------------------------------------

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? process.argv[at + 1] : undefined
}
const quick = process.argv.includes('--quick')
const runs = Number(option('runs') ?? (quick ? 1 : 3))
const quickScale = Number(option('scale') ?? (quick ? 0.05 : 1))
const only = option('only')?.split(',')
const jsonOut = option('json')
const distOption = option('dist')
if (distOption) process.env.CACHE_STEWARD_DIST = resolve(distOption)
const distDir = process.env.CACHE_STEWARD_DIST ?? join(root, 'dist')
if (!(runs >= 1) || !(quickScale > 0 && quickScale <= 1)) throw new Error('bad --runs or --scale')
/** Small jobs take a second: they always run in real time, so their times are exact. */
const scaleOf = (s: Scenario): number => (s.small ? 1 : quickScale)

type Deleter = 'cache-steward' | 'sequential' | 'parallel'

// ---- one run ------------------------------------------------------------------

interface Measurement {
  deleter: Deleter
  gets: number
  deletes: number
  /** requests that repeat an earlier one (same method, path and query) */
  retries: number
  /** first request's start to last response's end, simulated ms */
  apiMs: number
  /** successful deletions a minute from the first DELETE's start to the last one's end */
  deletesPerMinute: number | undefined
  /** the most DELETEs that arrived within any 60 s (simulated) window */
  maxDeletesPerWindow: number
  deleted: number
  bytesFreed: number
  peakInFlight: number
  secondaryLimits: number
  /** the deletions are exactly the expected caches */
  sameSet: boolean
  /** process start to the first request, real ms (the action only) */
  startupMs?: number
  exitCode?: number
  /** the action's matched-count output (dry runs) */
  matched?: number
  failed?: number
}

const secondaryLimit = {
  pointsPerMinute: 900,
  concurrency: 100,
  status: 403 as const,
  retryAfterSeconds: 60
}

async function startFake(data: ScenarioData, seed: number, scale: number): Promise<FakeGitHub> {
  const fake = await startFakeGitHub({
    latencyMs: { min: 50, max: 150, seed },
    timeScale: scale,
    faults: { secondaryRateLimit: secondaryLimit }
  })
  const store = fake.store
  store.addRepo(REPO)
  for (const c of data.caches) store.addCache(REPO, { ...c })
  if (data.pullNumber !== undefined) {
    store.addPull(REPO, { number: data.pullNumber, state: 'closed', merged: true })
  }
  return fake
}

const requestKey = (r: RecordedRequest): string =>
  `${r.method} ${r.path}?${Object.entries(r.query)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')}`

function measure(
  fake: FakeGitHub,
  data: ScenarioData,
  deleter: Deleter,
  extra: Partial<Measurement>
): Measurement {
  const scale = fake.timeScale
  const reqs = fake.requests
  const seen = new Set<string>()
  let retries = 0
  for (const r of reqs) {
    const k = requestKey(r)
    if (seen.has(k)) retries++
    seen.add(k)
  }
  const first = Math.min(...reqs.map(r => r.startedAt))
  const last = Math.max(...reqs.map(r => r.endedAt ?? r.startedAt))
  const dels = reqs.filter(r => r.method === 'DELETE')
  const ok = dels.filter(r => r.status === 200 || r.status === 204)
  const sizes = new Map(data.caches.map(c => [c.id, c.size_in_bytes]))
  const deletedIds = fake.deletions.map(d => d.id)
  let deletesPerMinute: number | undefined
  if (ok.length > 1) {
    const from = Math.min(...dels.map(r => r.startedAt))
    const to = Math.max(...dels.map(r => r.endedAt ?? r.startedAt))
    deletesPerMinute = (fake.deletions.length * 60_000) / ((to - from) / scale)
  }
  return {
    deleter,
    gets: reqs.filter(r => r.method === 'GET').length,
    deletes: dels.length,
    retries,
    apiMs: reqs.length ? (last - first) / scale : 0,
    deletesPerMinute,
    maxDeletesPerWindow: fake.maxMutationsInWindow(),
    deleted: deletedIds.length,
    bytesFreed: deletedIds.reduce((s, id) => s + (sizes.get(id) ?? 0), 0),
    peakInFlight: fake.maxConcurrent,
    secondaryLimits: fake.faults.count('secondary-rate-limit'),
    sameSet:
      deletedIds.length === data.expected.size && deletedIds.every(id => data.expected.has(id)),
    ...extra
  }
}

function payloadFor(data: ScenarioData): unknown {
  if (data.pullNumber === undefined) return {}
  const p = examplePayload('pull_request', 'closed') as {
    number: number
    pull_request: { number: number }
  }
  p.number = p.pull_request.number = data.pullNumber
  return p
}

async function runTheAction(s: Scenario, data: ScenarioData, seed: number): Promise<Measurement> {
  const scale = scaleOf(s)
  const fake = await startFake(data, seed, scale)
  try {
    const spawnedAt = Date.now()
    const r = await runAction({
      apiUrl: fake.url,
      token: TOKEN,
      repository: REPO,
      eventName: data.eventName,
      payload: payloadFor(data),
      inputs: s.inputs,
      env: scale < 1 ? { CACHE_STEWARD_TIME_SCALE: String(scale) } : {}
    })
    if (r.code !== 0 || r.errors.length > 0) {
      console.error(`scenario ${s.id}: the action failed (exit ${r.code})`)
      console.error(r.errors.join('\n') || r.stderr.slice(-2000))
    }
    const firstRequest = fake.requests[0]?.startedAt
    return measure(fake, data, 'cache-steward', {
      startupMs: firstRequest !== undefined ? firstRequest - spawnedAt : undefined,
      exitCode: r.code,
      matched: Number(r.outputs['matched-count'] ?? NaN),
      failed: Number(r.outputs['failed-count'] ?? NaN)
    })
  } finally {
    await fake.close()
  }
}

async function runBaseline(
  s: Scenario,
  data: ScenarioData,
  deleter: 'sequential' | 'parallel',
  seed: number
): Promise<Measurement> {
  const fake = await startFake(data, seed, scaleOf(s))
  try {
    const target = {
      apiUrl: fake.url,
      token: TOKEN,
      repository: REPO,
      ...(data.ref ? { ref: data.ref } : {})
    }
    const result: BaselineResult = await (deleter === 'sequential'
      ? sequentialDeleter(target, data.expected)
      : parallelDeleter(target, data.expected))
    return measure(fake, data, deleter, { failed: result.failed })
  } finally {
    await fake.close()
  }
}

// ---- start-up and planning -------------------------------------------------------

async function startup(samples: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < samples; i++) {
    const fake = await startFakeGitHub()
    try {
      fake.store.addRepo(REPO)
      for (let k = 0; k < 10; k++) fake.store.addCache(REPO, { key: `k-${k}` })
      const spawnedAt = Date.now()
      await runAction({
        apiUrl: fake.url,
        token: TOKEN,
        repository: REPO,
        eventName: 'schedule',
        inputs: { 'dry-run': 'true', 'older-than': '3d' }
      })
      const first = fake.requests[0]?.startedAt
      if (first !== undefined) out.push(first - spawnedAt)
    } finally {
      await fake.close()
    }
  }
  return out
}

interface PlanResult {
  caches: number
  policies: Array<{ name: string; medianMs: number; minMs: number; deletions: number }>
  heapDeltaMb: number
  rssMb: number
}

function planning(quickMode: boolean): PlanResult {
  const args = ['--expose-gc', '--import', 'tsx', join(root, 'scripts/bench-plan.ts'), '--json']
  if (quickMode) args.push('--quick')
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root })
  if (r.status !== 0) throw new Error(`bench-plan failed: ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as PlanResult
}

// ---- statistics and formatting ------------------------------------------------------

const worst = (xs: readonly number[]): number => Math.max(...xs)

const seconds = (ms: number): string =>
  (ms < 10_000 ? (ms / 1000).toFixed(2) : (ms / 1000).toFixed(1)) + ' s'
const gb = (bytes: number): string =>
  bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`

interface Row {
  scenario: Scenario
  data: ScenarioData
  deleter: Deleter
  runs: Measurement[]
  /** per-run ratio of this deleter's API time to ours */
  ratios?: number[]
}

function cells(row: Row, first: boolean): string[] {
  const m = row.runs
  const med = (f: (x: Measurement) => number): number => median(m.map(f))
  const gets = med(x => x.gets)
  const deletes = med(x => x.deletes)
  const lowerBound = row.data.listPages + row.data.deletes
  const dpm = m.map(x => x.deletesPerMinute).filter((x): x is number => x !== undefined)
  const bytes = med(x => x.bytesFreed)
  const best = row.data.bestBytes
  const ours = row.deleter === 'cache-steward'
  const dry = row.data.wouldDelete !== undefined
  return [
    first ? `${row.scenario.id}. ${row.scenario.title}` : '',
    row.deleter,
    `${gets + deletes} (${gets}+${deletes})`,
    ours ? `${lowerBound} (${row.data.listPages}+${row.data.deletes})` : '',
    String(worst(m.map(x => x.retries))),
    seconds(med(x => x.apiMs)),
    row.ratios ? `${median(row.ratios).toFixed(1)}x` : '',
    dry ? 'dry run' : dpm.length ? median(dpm).toFixed(0) : '-',
    String(worst(m.map(x => x.maxDeletesPerWindow))),
    dry
      ? `(${row.runs[0].matched} would go)`
      : best
        ? `${gb(bytes)} (${((100 * bytes) / best).toFixed(1)}% of best)`
        : gb(bytes),
    String(worst(m.map(x => x.peakInFlight))),
    String(worst(m.map(x => x.secondaryLimits))),
    ours
      ? m.every(x => (dry ? x.matched === row.data.wouldDelete : x.sameSet))
        ? 'yes'
        : 'NO'
      : `${med(x => x.deleted)}/${row.data.expected.size}`
  ]
}

const HEADER = [
  'scenario',
  'deleter',
  'requests (GET+DEL)',
  'lower bound',
  'retries',
  'API time',
  'time / ours',
  'deletes/min',
  'max DEL in 60 s',
  'bytes freed',
  'peak in flight',
  '2nd-limit hits',
  'deleted as planned'
]

function table(rows: string[][]): string {
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const line = (c: string[]): string =>
    '| ' + c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join(' | ') + ' |'
  const rule =
    '|' +
    widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') +
    '|'
  return [line(HEADER), rule, ...rows.map(line)].join('\n')
}

// ---- main ---------------------------------------------------------------------------

const log = (text: string): void => void process.stderr.write(text + '\n')
const began = Date.now()
const scenarios = SCENARIOS.filter(s => !only || only.includes(s.id))
const rows: Row[] = []
log(
  `bench: ${runs} run(s), time scale ${quickScale} (small jobs: 1)${quick ? ' (--quick)' : ''}, bundle ${join(distDir, 'index.js')}`
)
for (const s of scenarios) {
  const ours: Measurement[] = []
  const seq: Measurement[] = []
  const par: Measurement[] = []
  let data: ScenarioData | undefined
  for (let run = 1; run <= runs; run++) {
    data = s.build(Date.now())
    const seed = run * 7919
    const t = Date.now()
    ours.push(await runTheAction(s, data, seed))
    if (s.baselines) {
      seq.push(await runBaseline(s, data, 'sequential', seed))
      par.push(await runBaseline(s, data, 'parallel', seed))
    }
    log(`  scenario ${s.id}, run ${run}: ${((Date.now() - t) / 1000).toFixed(1)} s`)
  }
  if (!data) continue
  rows.push({ scenario: s, data, deleter: 'cache-steward', runs: ours })
  if (s.baselines) {
    const ratio = (b: Measurement[]): number[] => b.map((x, i) => x.apiMs / ours[i].apiMs)
    rows.push({ scenario: s, data, deleter: 'sequential', runs: seq, ratios: ratio(seq) })
    rows.push({ scenario: s, data, deleter: 'parallel', runs: par, ratios: ratio(par) })
  }
}

log('  start-up ...')
const startupRuns = await startup(quick ? 5 : 9)
const bundleBytes = statSync(join(distDir, 'index.js')).size
const bundleGzip = gzipSync(readFileSync(join(distDir, 'index.js'))).length
log('  planning ...')
const plan = planning(quick)

// ---- output -------------------------------------------------------------------------

const printed: string[][] = []
let lastScenario = ''
for (const row of rows) {
  printed.push(cells(row, row.scenario.id !== lastScenario))
  lastScenario = row.scenario.id
}

const byId = (id: string, deleter: Deleter = 'cache-steward'): Row | undefined =>
  rows.find(r => r.scenario.id === id && r.deleter === deleter)
const verdict = (ok: boolean | undefined): string =>
  ok === undefined ? 'not run' : ok ? 'met' : 'NOT MET'
const targets: Array<[string, string, boolean | undefined]> = []

{
  const ours = rows.filter(r => r.deleter === 'cache-steward')
  const off = ours.filter(r =>
    r.runs.some(x => x.gets + x.deletes !== r.data.listPages + r.data.deletes || x.retries > 0)
  )
  targets.push([
    'Requests: exactly the lower bound, zero retries, every scenario and run',
    off.length ? `off in ${off.map(r => r.scenario.id).join(', ')}` : `${ours.length} scenarios`,
    ours.length ? off.length === 0 : undefined
  ])
}
{
  const seq = byId('1', 'sequential')
  const r = seq?.ratios ? median(seq.ratios) : undefined
  targets.push([
    'Small job (1): API work at least 5x faster than the sequential baseline',
    r !== undefined ? `${r.toFixed(1)}x (median of per-run ratios)` : '',
    r !== undefined ? r >= 5 : undefined
  ])
}
for (const id of ['2', '3']) {
  const row = byId(id)
  if (!row) {
    targets.push([`Large job (${id})`, '', undefined])
    continue
  }
  const dpm = row.runs.map(x => x.deletesPerMinute ?? 0)
  const win = worst(row.runs.map(x => x.maxDeletesPerWindow))
  const hits = worst(row.runs.map(x => x.secondaryLimits))
  const baseHits = ['sequential', 'parallel'].map(d =>
    byId(id, d as Deleter) ? median(byId(id, d as Deleter)!.runs.map(x => x.secondaryLimits)) : NaN
  )
  targets.push([
    `Large job (${id}): 110-120 deletions/min on average in every run`,
    dpm.map(x => x.toFixed(1)).join(', '),
    dpm.every(x => x >= 110 && x <= 120)
  ])
  targets.push([
    `Large job (${id}): at most 160 DELETEs in any 60 s window`,
    `worst ${win}`,
    win <= 160
  ])
  targets.push([
    `Large job (${id}): zero secondary-limit responses (baselines: sequential ${baseHits[0]}, parallel ${baseHits[1]})`,
    `worst ${hits}`,
    hits === 0
  ])
}
{
  const row = byId('2p')
  const dpm = row?.runs.map(x => x.deletesPerMinute ?? 0)
  targets.push([
    'Pace input: deletes-per-minute: 60 gives 60 deletions/min, within 5% (57-63)',
    dpm?.map(x => x.toFixed(1)).join(', ') ?? '',
    dpm ? dpm.every(x => x >= 57 && x <= 63) : undefined
  ])
}
{
  const row = byId('5')
  const frac = row?.runs.map(x => x.bytesFreed / (row.data.bestBytes ?? 1))
  targets.push([
    'Under a cap (5): bytes freed by 100 deletions / best possible',
    frac?.map(x => `${(100 * x).toFixed(1)}%`).join(', ') ?? '',
    frac ? frac.every(x => x >= 0.9999) : undefined
  ])
  const b = byId('3')
  targets.push([
    'Budget eviction (3) keeps least-recently-used order: deleted exactly the LRU caches',
    b ? (b.runs.every(x => x.sameSet) ? 'same set' : 'different set') : '',
    b ? b.runs.every(x => x.sameSet) : undefined
  ])
}
const startupMedian = median(startupRuns)
targets.push([
  'Start-up: process start to first request under 150 ms',
  `median ${startupMedian.toFixed(0)} ms of ${startupRuns.length} (${Math.min(...startupRuns)}-${Math.max(...startupRuns)}); bundle ${(bundleBytes / 1e6).toFixed(2)} MB, ${(bundleGzip / 1e3).toFixed(0)} kB gzipped`,
  startupMedian < 150
])
{
  const slowest = Math.max(...plan.policies.map(p => p.medianMs))
  targets.push([
    `Planning: ${plan.caches.toLocaleString('en-US')} caches under 250 ms`,
    `${plan.policies.map(p => `${p.name} ${p.medianMs.toFixed(0)} ms`).join(', ')}; heap +${plan.heapDeltaMb.toFixed(0)} MB, RSS ${plan.rssMb.toFixed(0)} MB`,
    slowest < 250
  ])
}

const out: string[] = []
out.push(
  `cache-steward bench: ${runs === 1 ? 'one run' : `medians of ${runs} runs`}${quickScale < 1 ? `, time compressed ${Math.round(1 / quickScale)}x for scenarios 2-5 (times shown in simulated time; small jobs 1 and 1k in real time)` : ''}`
)
out.push(
  `fake API: 50-150 ms a request; secondary limits: 100 in flight, 900 points/60 s (GET 1, DELETE 5); retry-after 60 s`
)
out.push(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}; bundle ${join(distDir, 'index.js').replace(root, '')}`
)
out.push('')
out.push(table(printed))
out.push('')
out.push('Targets:')
for (const [what, value, ok] of targets) {
  out.push(`- [${verdict(ok)}] ${what}: ${value}`)
}
out.push('')
out.push(`bench took ${((Date.now() - began) / 1000).toFixed(0)} s`)
console.log(out.join('\n'))

if (jsonOut) {
  writeFileSync(
    jsonOut,
    JSON.stringify(
      {
        quick,
        runs,
        scale: quickScale,
        rows: rows.map(r => ({
          scenario: r.scenario.id,
          deleter: r.deleter,
          lowerBound: r.data.listPages + r.data.deletes,
          expected: r.data.expected.size,
          bestBytes: r.data.bestBytes,
          runs: r.runs,
          ratios: r.ratios
        })),
        startupRuns,
        bundleBytes,
        bundleGzip,
        plan,
        targets
      },
      null,
      2
    )
  )
}
