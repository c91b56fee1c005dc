// npm run bench: request counts and pacing of the bundled action against the
// fake API, printed as a table. Time is scaled (CACHE_STEWARD_TIME_SCALE), so
// "paced time" is the run's own clock: what the same run would take against
// GitHub at the action's pacing; "wall" is what it took here.
import { startFakeGitHub, type FakeGitHubOptions } from '../fake/server.js'
import { seedRepo } from '../fake/seed.js'
import { examplePayload, runAction } from '../__tests__/support/action-runner.js'

const REPO = 'octo/bench'
const SCALE = 0.001

interface Scenario {
  name: string
  caches: number
  fake?: FakeGitHubOptions
  inputs?: Record<string, string>
  pull?: boolean
}

const scenarios: Scenario[] = [
  { name: 'PR closed (one PR of a 5,000-cache repo)', caches: 5000, pull: true },
  {
    name: 'PR closed, delete-by-key',
    caches: 5000,
    pull: true,
    inputs: { 'delete-by-key': 'true' }
  },
  {
    name: 'nightly dry run: older-than 3d, keep-latest 1',
    caches: 5000,
    inputs: { keys: '*', 'older-than': '3d', 'keep-latest': '1', 'dry-run': 'true' }
  },
  {
    name: 'nightly: older-than 5d, keep-latest 1',
    caches: 2000,
    inputs: { keys: '*', 'older-than': '5d', 'keep-latest': '1' }
  },
  {
    name: 'nightly with 10% 5xx and dropped connections',
    caches: 2000,
    inputs: { keys: '*', 'older-than': '5d', 'keep-latest': '1' },
    fake: { faults: { seed: 1, serverErrorRate: 0.05, dropRate: 0.05 } }
  },
  { name: 'budget: max-total-size 100GB', caches: 2000, inputs: { 'max-total-size': '100GB' } }
]

const rows: string[][] = []
for (const s of scenarios) {
  const fake = await startFakeGitHub(s.fake ?? {})
  try {
    seedRepo(fake.store, REPO, { count: s.caches, seed: 42, now: Date.now() })
    let payload: unknown = {}
    let eventName = 'schedule'
    if (s.pull) {
      const counts = new Map<string, number>()
      for (const c of fake.store.caches(REPO)) counts.set(c.ref, (counts.get(c.ref) ?? 0) + 1)
      const ref = [...counts.entries()]
        .filter(([r]) => r.startsWith('refs/pull/'))
        .sort((a, b) => b[1] - a[1])[0][0]
      const p = examplePayload('pull_request', 'closed') as {
        number: number
        pull_request: { number: number }
      }
      p.number = p.pull_request.number = Number(ref.split('/')[2])
      payload = p
      eventName = 'pull_request'
    }
    const start = Date.now()
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      eventName,
      payload,
      inputs: s.inputs ?? {},
      env: { CACHE_STEWARD_TIME_SCALE: String(SCALE) }
    })
    const wall = Date.now() - start
    const lists = fake.requests.filter(q => q.method === 'GET').length
    const deletes = fake.requests.filter(q => q.method === 'DELETE').length
    const elapsed = /elapsed:\s+([\d.]+) s/.exec(r.stdout)?.[1] ?? '?'
    rows.push([
      s.name,
      String(s.caches),
      r.outputs['matched-count'] ?? '?',
      r.outputs['deleted-count'] ?? '?',
      String(lists),
      String(deletes),
      String(fake.faults.log.length),
      String(fake.maxConcurrent),
      String(fake.maxPointsInWindow(60_000 * SCALE)),
      `${elapsed} s`,
      `${(wall / 1000).toFixed(1)} s`,
      String(r.code)
    ])
  } finally {
    await fake.close()
  }
}

const header = [
  'scenario',
  'caches',
  'selected',
  'deleted',
  'GET',
  'DELETE',
  'faults',
  'max in flight',
  'max points/min',
  'paced time',
  'wall',
  'exit'
]
const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
const line = (cells: string[]) =>
  '| ' +
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') +
  ' |'
console.log(line(header))
console.log(
  '|' +
    widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') +
    '|'
)
for (const r of rows) console.log(line(r))
