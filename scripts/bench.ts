// npm run bench [-- --quick] [-- --runs N] [-- --only 1,2] [-- --dist DIR] [-- --json FILE]
//
// Runs the bundled action (dist/index.js, or CACHE_STEWARD_DIST / --dist) the
// way the runner does, against the project's fake GitHub API with realistic
// latency (50-150 ms a request) and GitHub's secondary limits enforced (100
// requests in flight, 900 points a minute: GET 1, DELETE 5). The same run
// runs two baselines (bench/) on the same caches, measures start-up against a
// bare node process's first fetch and the planning engine
// (scripts/bench-plan.ts), and prints one table and the targets. Full mode:
// medians of 3 runs (about 25 minutes).
//
// --quick: one run; every scenario but the small jobs with time compressed
// twenty times (the fake's latency and 60 s windows, and the action's clock
// through CACHE_STEWARD_TIME_SCALE; --scale S to choose), reported in
// simulated time; the small jobs (1, 1k, 1m) in real time. A few minutes. CPU
// time is not compressed, so quick figures are approximate;
// docs/performance.md uses the full run.

import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from '../testing/fake/server.js'
import { examplePayload, runAction } from '../testing/action-runner.js'
import { bundleNode } from '../testing/node-versions.js'
import { parallelDeleter } from '../bench/parallel-deleter.js'
import { median } from '../bench/median.js'
import { maxPointsInWindow, POINTS } from '../bench/points.js'
import { sequentialDeleter } from '../bench/sequential-deleter.js'
import type { BaselineResult } from '../bench/baseline-http.js'
import {
  SCENARIOS,
  windowOf,
  type Baseline,
  type Scenario,
  type ScenarioData
} from '../bench/scenarios.js'
import { windowFloor, type Floor } from '../bench/window-floor.js'

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

type Deleter = 'cache-steward' | Baseline

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
  /** the most points (GET 1, DELETE 5) of requests that arrived within any 60 s window */
  maxPointsPerWindow: number
  /** what the deletes-per-minute window imposes on this many DELETEs (bench/window-floor.ts) */
  floor?: Floor
  deleted: number
  bytesFreed: number
  peakInFlight: number
  secondaryLimits: number
  /** the deletions are exactly the expected caches */
  sameSet: boolean
  /** process start to the first request, real ms (the action only) */
  startupMs?: number
  /** process start to its exit, simulated ms (the action only): the whole job */
  processMs?: number
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
  perWindow: number,
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
    maxPointsPerWindow: maxPointsInWindow(reqs, scale),
    floor: windowFloor(reqs, perWindow, scale),
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
    const processMs = (Date.now() - spawnedAt) / scale
    if (r.code !== 0 || r.errors.length > 0) {
      console.error(`scenario ${s.id}: the action failed (exit ${r.code})`)
      console.error(r.errors.join('\n') || r.stderr.slice(-2000))
    }
    const firstRequest = fake.requests[0]?.startedAt
    return measure(fake, data, 'cache-steward', windowOf(s), {
      startupMs: firstRequest !== undefined ? firstRequest - spawnedAt : undefined,
      processMs,
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
  deleter: Baseline,
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
    return measure(fake, data, deleter, windowOf(s), { failed: result.failed })
  } finally {
    await fake.close()
  }
}

// ---- start-up and planning -------------------------------------------------------

/**
 * Start-up as a ratio, both sides in the same run against the same idle fake
 * (no latency): the time from spawning a process to its first request's
 * arrival, for the bundle (started as the runner starts it) and for a bare
 * `node` doing one global fetch, by the same Node binary. The samples
 * alternate, so a busy moment of the machine weighs on both.
 */
async function startup(samples: number): Promise<{ bundle: number[]; bare: number[] }> {
  const bundle: number[] = []
  const bare: number[] = []
  const firstArrival = async (start: (fake: FakeGitHub) => Promise<unknown>): Promise<number> => {
    const fake = await startFakeGitHub()
    try {
      fake.store.addRepo(REPO)
      for (let k = 0; k < 10; k++) fake.store.addCache(REPO, { key: `k-${k}` })
      const spawnedAt = Date.now()
      await start(fake)
      const first = fake.requests[0]?.startedAt
      if (first === undefined) throw new Error('start-up: no request arrived')
      return first - spawnedAt
    } finally {
      await fake.close()
    }
  }
  const action = (fake: FakeGitHub): Promise<unknown> =>
    runAction({
      apiUrl: fake.url,
      token: TOKEN,
      repository: REPO,
      eventName: 'schedule',
      inputs: { 'dry-run': 'true', 'older-than': '3d' }
    })
  const oneFetch = (fake: FakeGitHub): Promise<unknown> =>
    new Promise((done, fail) => {
      const code =
        'fetch(process.argv[1], { headers: { authorization: `token ${process.argv[2]}`,' +
        " 'x-github-api-version': '2022-11-28' } }).then(r => r.arrayBuffer())"
      const url = `${fake.url}/repos/${REPO}/actions/caches?per_page=100`
      const child = spawn(bundleNode(), ['-e', code, url, TOKEN], { stdio: 'ignore' })
      child.on('error', fail)
      child.on('exit', done)
    })
  for (let i = 0; i < samples; i++) {
    bare.push(await firstArrival(oneFetch))
    bundle.push(await firstArrival(action))
  }
  return { bundle, bare }
}

interface PlanResult {
  caches: number
  policies: Array<{
    name: string
    medianMs: number
    minMs: number
    deletions: number
    groupingMs?: number
  }>
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
/** Binary units, as the action reads and reports sizes. */
const gb = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GB` : `${(bytes / 2 ** 20).toFixed(0)} MB`

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
  const floors = m.map(x => (x.floor ? x.apiMs / x.floor.floorMs : NaN))
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
    String(worst(m.map(x => x.maxPointsPerWindow))),
    ours && row.data.deletes > 1 && floors.every(Number.isFinite) ? worst(floors).toFixed(2) : '',
    dry
      ? ours
        ? `(${row.runs[0].matched} would go)`
        : '(lists only)'
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
  'max points in 60 s',
  'time / floor',
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
  const base = new Map<Baseline, Measurement[]>(s.baselines.map(b => [b, []]))
  let data: ScenarioData | undefined
  for (let run = 1; run <= runs; run++) {
    data = s.build(Date.now())
    const seed = run * 7919
    const t = Date.now()
    ours.push(await runTheAction(s, data, seed))
    for (const b of s.baselines) base.get(b)?.push(await runBaseline(s, data, b, seed))
    log(`  scenario ${s.id}, run ${run}: ${((Date.now() - t) / 1000).toFixed(1)} s`)
  }
  if (!data) continue
  rows.push({ scenario: s, data, deleter: 'cache-steward', runs: ours })
  for (const [b, measured] of base) {
    const ratios = measured.map((x, i) => x.apiMs / ours[i].apiMs)
    rows.push({ scenario: s, data, deleter: b, runs: measured, ratios })
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
const list = (xs: readonly number[], digits = 1): string =>
  xs.map(x => x.toFixed(digits)).join(', ')
const worstHits = (row: Row): number => worst(row.runs.map(x => x.secondaryLimits))
const baselineHits = (id: string): string =>
  (['sequential', 'parallel'] as const)
    .map(d => byId(id, d))
    .filter((r): r is Row => r !== undefined)
    .map(r => `${r.deleter} ${median(r.runs.map(x => x.secondaryLimits))}`)
    .join(', ')
const noSecondary = (id: string, label: string): void => {
  const row = byId(id)
  const others = baselineHits(id)
  targets.push([
    `${label}: zero secondary-limit responses${others ? ` (baselines: ${others})` : ''}`,
    row ? `worst ${worstHits(row)}` : '',
    row ? worstHits(row) === 0 : undefined
  ])
}

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
{
  const ours = byId('1m')
  const seq = byId('1m', 'sequential')
  const shares =
    ours && seq ? ours.runs.map((x, i) => (x.processMs ?? NaN) / seq.runs[i].apiMs) : undefined
  targets.push([
    "PR of 150 caches (1m): the whole process, start-up included, at most 0.2x the sequential baseline's time",
    shares && ours && seq
      ? `${list(shares, 3)} (process ${seconds(median(ours.runs.map(x => x.processMs ?? NaN)))}, sequential ${seconds(median(seq.runs.map(x => x.apiMs)))})`
      : '',
    shares ? shares.every(x => x <= 0.2) : undefined
  ])
  noSecondary('1m', 'PR of 150 caches (1m)')
}
for (const id of ['2', '3']) {
  const row = byId(id)
  if (!row) {
    targets.push([`Large job (${id})`, '', undefined])
    continue
  }
  const size = windowOf(row.scenario)
  const dpm = row.runs.map(x => x.deletesPerMinute ?? 0)
  const win = worst(row.runs.map(x => x.maxDeletesPerWindow))
  const floors = row.runs.map(x => (x.floor ? x.apiMs / x.floor.floorMs : NaN))
  targets.push([
    `Large job (${id}): at least 140 deletions/min on average in every run`,
    list(dpm),
    dpm.every(x => x >= 140)
  ])
  targets.push([
    `Large job (${id}): at most ${size} DELETEs in any 60 s window`,
    `worst ${win}`,
    win <= size
  ])
  noSecondary(id, `Large job (${id})`)
  targets.push([
    `Large job (${id}): time within 1.1x its floor (the ${size}/60 s window's, bench/window-floor.ts)`,
    `${list(floors, 2)} (floor ${row.runs.map(x => seconds(x.floor?.floorMs ?? NaN)).join(', ')})`,
    floors.every(x => x <= 1.1)
  ])
}
{
  const row = byId('2p')
  const size = row ? windowOf(row.scenario) : 60
  const win = row ? worst(row.runs.map(x => x.maxDeletesPerWindow)) : undefined
  const floors = row?.runs.map(x => (x.floor ? x.apiMs / x.floor.floorMs : NaN))
  targets.push([
    `Pace input (2p): deletes-per-minute: ${size} gives at most ${size} DELETEs in any 60 s window, within 1.1x its floor`,
    row && floors ? `worst ${win}; ${list(floors, 2)} of the floor` : '',
    row && floors && win !== undefined ? win <= size && floors.every(x => x <= 1.1) : undefined
  ])
}
{
  const seq = byId('4', 'sequential')
  const r = seq?.ratios
  targets.push([
    'Dry run (4): 20,000 caches listed at least 3x faster than sequential listing (the sequential baseline, same run)',
    r ? `${list(r)}x` : '',
    r ? r.every(x => x >= 3) : undefined
  ])
  noSecondary('4', 'Dry run (4)')
}
{
  const row = byId('4x')
  const points = row ? worst(row.runs.map(x => x.maxPointsPerWindow)) : undefined
  noSecondary('4x', 'Dry run of 100,000 caches (4x)')
  targets.push([
    `Dry run of 100,000 caches (4x): under ${POINTS.perMinute} points (GET ${POINTS.get}, DELETE ${POINTS.mutation}) in every 60 s window`,
    points !== undefined && row
      ? `worst ${points}; ${median(row.runs.map(x => x.gets))} pages in ${seconds(median(row.runs.map(x => x.apiMs)))}`
      : '',
    points !== undefined ? points < POINTS.perMinute : undefined
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
{
  const ours = median(startupRuns.bundle)
  const bare = median(startupRuns.bare)
  const range = (xs: number[]): string => `${Math.min(...xs)}-${Math.max(...xs)}`
  targets.push([
    "Start-up: process start to first request at most 1.5x a bare node process's first fetch",
    `${(ours / bare).toFixed(2)}x: bundle median ${ours.toFixed(0)} ms (${range(startupRuns.bundle)}), bare node + fetch ${bare.toFixed(0)} ms (${range(startupRuns.bare)}), ${startupRuns.bundle.length} each; bundle ${(bundleBytes / 1e6).toFixed(2)} MB, ${(bundleGzip / 1e3).toFixed(0)} kB gzipped`,
    ours / bare <= 1.5
  ])
}
{
  const slowest = Math.max(...plan.policies.map(p => p.medianMs))
  targets.push([
    `Planning: ${plan.caches.toLocaleString('en-US')} caches under 250 ms`,
    `${plan.policies.map(p => `${p.name} ${p.medianMs.toFixed(0)} ms${p.groupingMs !== undefined ? ` (then ${p.groupingMs.toFixed(0)} ms grouping calls by key, the executor's)` : ''}`).join(', ')}; heap +${plan.heapDeltaMb.toFixed(0)} MB, RSS ${plan.rssMb.toFixed(0)} MB`,
    slowest < 250
  ])
}

const out: string[] = []
out.push(
  `cache-steward bench: ${runs === 1 ? 'one run' : `medians of ${runs} runs`}${quickScale < 1 ? `, time compressed ${Math.round(1 / quickScale)}x for all but the small jobs (times shown in simulated time; small jobs 1, 1k and 1m in real time)` : ''}`
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
