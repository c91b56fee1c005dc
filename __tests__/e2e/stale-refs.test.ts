// End-to-end: `stale-refs: true` through the bundled action against the fake
// GitHub API, with more than 100 open pull requests and more than 100
// branches, so every list is paged.
import { DEFAULT_TOKENS, startFakeGitHub, type FakeGitHub } from '../../testing/fake/server.js'
import { seedRepo } from '../../testing/fake/seed.js'
import { runAction, type RunOptions } from '../../testing/action-runner.js'
import { addCaches, family, ids, type Seeded } from '../../testing/scenario.js'

const REPO = 'octo-org/monorepo'
const FAST = { CACHE_STEWARD_TIME_SCALE: '0.001' }
const SHA = (n: number): string => n.toString(16).padStart(40, '0')
const queueRef = (n: number): string => `refs/heads/gh-readonly-queue/main/pr-${n}-${SHA(n)}`

let fake: FakeGitHub
afterEach(async () => {
  await fake?.close()
})

async function start(options: Parameters<typeof startFakeGitHub>[0] = {}): Promise<FakeGitHub> {
  fake = await startFakeGitHub(options)
  fake.store.addRepo(REPO)
  return fake
}

const run = (o: Partial<RunOptions>) =>
  runAction({
    apiUrl: fake.url,
    repository: REPO,
    ...o,
    env: { ...FAST, ...o.env }
  })
const deletedIds = (): number[] => fake.deletions.map(d => d.id).sort((a, b) => a - b)
const lookups = () =>
  fake.requests
    .filter(r => r.method === 'GET' && !r.path.includes('/actions/'))
    .map(r => `${r.path}${r.query.page ? ` page ${r.query.page}` : ''}`)
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i)

/**
 * 150 open pull requests (#1-#150) and 40 closed ones (#151-#190); 130
 * feature branches plus main, and 25 branches that were deleted; tags v1 and
 * v2 (v0 was deleted); three merge-queue refs. Returns the caches on dead refs
 * and on live ones.
 */
function scenario(): { dead: Seeded[]; alive: Seeded[] } {
  const s = fake.store
  for (const n of range(1, 150)) s.addPull(REPO, { number: n, headRef: `feature/b${n}` })
  for (const n of range(151, 40)) s.addPull(REPO, { number: n, state: 'closed', merged: true })
  for (const n of range(1, 130)) s.addBranch(REPO, `feature/b${n}`)
  s.addTag(REPO, 'v1')
  s.addTag(REPO, 'v2')
  // merge-queue branches: #5's is queued (alive), #160 was merged (its pull request is closed)
  s.addBranch(REPO, queueRef(5).slice('refs/heads/'.length))
  s.addBranch(REPO, queueRef(160).slice('refs/heads/'.length))

  const on = (refs: string[], n: number): Seeded[] =>
    refs.flatMap((ref, i) => addCaches(fake, REPO, family(ref, n, { from: i * n })))
  const alive = [
    ...on(
      range(1, 60).map(n => `refs/pull/${n}/merge`),
      2
    ),
    ...on(
      range(1, 30).map(n => `refs/heads/feature/b${n * 4}`),
      1
    ),
    ...on(['refs/heads/main'], 12),
    ...on(['refs/tags/v1', 'refs/tags/v2'], 2),
    ...on([queueRef(5)], 2),
    // never judged: not a pull request, branch or tag
    ...on(['refs/remotes/origin/main'], 1)
  ]
  const dead = [
    ...on(
      range(151, 40).map(n => `refs/pull/${n}/merge`),
      2
    ),
    ...on(
      range(1, 25).map(n => `refs/heads/gone/b${n}`),
      1
    ),
    ...on(['refs/tags/v0'], 3),
    ...on([queueRef(160)], 2), // the queue branch exists, but its pull request is closed
    ...on([queueRef(6)], 2) // the pull request is open, but it left the queue
  ]
  return { dead, alive }
}

describe('stale-refs', () => {
  it('deletes exactly the caches of dead refs, paging pull requests and branches past 100', async () => {
    await start()
    const { dead, alive } = scenario()
    const result = await run({ inputs: { 'stale-refs': 'true' } })
    expect(result.errors).toEqual([])
    expect(result.code).toBe(0)
    expect(deletedIds()).toEqual(ids(dead))
    const left = new Set(fake.store.caches(REPO).map(c => c.id))
    for (const c of alive) expect(left.has(c.id)).toBe(true)
    // 100 distinct pull requests: 2 pages of 150 open ones; 59 branches: 2 pages of 133; 3 tags: 1.
    // A list read in two pages may have shifted, and more names were missing from each than
    // pages were read, so each is read a second time before anything is judged gone.
    expect(lookups()).toEqual([
      `/repos/${REPO}/pulls page 1`,
      `/repos/${REPO}/pulls page 2`,
      `/repos/${REPO}/pulls page 1`,
      `/repos/${REPO}/pulls page 2`,
      `/repos/${REPO}/branches page 1`,
      `/repos/${REPO}/branches page 2`,
      `/repos/${REPO}/branches page 1`,
      `/repos/${REPO}/branches page 2`,
      `/repos/${REPO}/git/matching-refs/tags`,
      // the default branch, which is never stale, checked after the look-ups
      `/repos/${REPO}`
    ])
    expect(result.stdout).toMatch(/branches: reading the list again to confirm the \d+ not listed/)
    const pulls = fake.requests.filter(r => r.path.endsWith('/pulls'))
    expect(pulls.every(r => r.query.state === 'open' && r.query.per_page === '100')).toBe(true)
    expect(result.stdout).toMatch(/pull requests: 100 to look up .*paging/)
    expect(result.stdout).toContain(`${new Set(dead.map(c => c.ref)).size} of`)
    expect(result.outputs['deleted-count']).toBe(String(dead.length))
    const reasons = (JSON.parse(result.outputs.deleted) as Array<{ reason: string }>).map(
      d => d.reason
    )
    expect(new Set(reasons)).toEqual(new Set(['stale-ref']))
  })

  it('asks per ref when only a few refs are in question', async () => {
    await start()
    for (const n of range(1, 150)) fake.store.addPull(REPO, { number: n })
    fake.store.addPull(REPO, { number: 400, state: 'closed' })
    const dead = addCaches(fake, REPO, family('refs/pull/400/merge', 3))
    const alive = addCaches(fake, REPO, family('refs/pull/7/merge', 3, { from: 3 }))
    const result = await run({ inputs: { 'stale-refs': 'true' } })
    expect(result.code).toBe(0)
    expect(deletedIds()).toEqual(ids(dead))
    expect(fake.store.caches(REPO).map(c => c.id)).toEqual(ids(alive))
    expect(lookups().sort()).toEqual([`/repos/${REPO}/pulls/400`, `/repos/${REPO}/pulls/7`])
  })

  it('combines with the other criteria: all must hold', async () => {
    await start()
    fake.store.addPull(REPO, { number: 1, state: 'closed' })
    fake.store.addPull(REPO, { number: 2 })
    const oldDead = addCaches(fake, REPO, family('refs/pull/1/merge', 4, { idleHours: () => 72 }))
    addCaches(fake, REPO, family('refs/pull/1/merge', 4, { from: 4, idleHours: () => 2 }))
    addCaches(fake, REPO, family('refs/pull/2/merge', 4, { from: 8, idleHours: () => 72 }))
    const result = await run({ inputs: { 'stale-refs': 'true', 'older-than': '2d' } })
    expect(result.code).toBe(0)
    expect(deletedIds()).toEqual(ids(oldDead))
  })

  it('matches what the seeded repository says is dead, in a realistic mix', async () => {
    await start()
    seedRepo(fake.store, REPO, { count: 3000, seed: 11, now: Date.now() })
    const open = new Set(
      fake.store
        .pulls(REPO)
        .filter(p => p.state === 'open')
        .map(p => p.number)
    )
    const branches = new Set(fake.store.branches(REPO).map(b => b.name))
    const tags = new Set(fake.store.tags(REPO).map(t => t.name))
    const isDead = (ref: string): boolean => {
      const pull = /^refs\/pull\/(\d+)\/merge$/.exec(ref)
      if (pull) return !open.has(Number(pull[1]))
      const queue = /^refs\/heads\/gh-readonly-queue\/.+\/pr-(\d+)-[0-9a-f]{40}$/.exec(ref)
      if (queue && !open.has(Number(queue[1]))) return true
      if (ref.startsWith('refs/heads/')) return !branches.has(ref.slice(11))
      if (ref.startsWith('refs/tags/')) return !tags.has(ref.slice(10))
      return false
    }
    const expected = fake.store
      .caches(REPO)
      .filter(c => isDead(c.ref))
      .map(c => c.id)
      .sort((a, b) => a - b)
    expect(expected.length).toBeGreaterThan(100)
    const result = await run({ inputs: { 'stale-refs': 'true' } })
    expect(result.code).toBe(0)
    expect(deletedIds()).toEqual(expected)
  })

  it('deletes nothing when a look-up keeps failing, and fails the step saying so', async () => {
    await start({ faults: { seed: 5, serverErrorRate: 1, onlyPaths: /\/branches$/ } })
    const { dead } = scenario()
    expect(dead.length).toBeGreaterThan(0)
    const result = await run({ inputs: { 'stale-refs': 'true' } })
    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(/stale-refs: could not find out which refs still exist/)
    expect(result.errors[0]).toContain('nothing was deleted')
    expect(result.errors[0]).toContain('list branches')
    expect(fake.deletions).toEqual([])
    expect(fake.requests.filter(r => r.method === 'DELETE')).toEqual([])
    // the governor retried before giving up
    expect(fake.requests.filter(r => r.path.endsWith('/branches')).length).toBeGreaterThan(1)
  })

  it('explains a 403 for a token without contents and pull-requests access', async () => {
    await start({
      tokens: { ...DEFAULT_TOKENS, ghs_actions_only: { actions: 'write', kind: 'integration' } }
    })
    scenario()
    const result = await run({ token: 'ghs_actions_only', inputs: { 'stale-refs': 'true' } })
    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toContain('403')
    expect(result.errors[0]).toContain('contents: read')
    expect(result.errors[0]).toContain('pull-requests: read')
    expect(fake.deletions).toEqual([])
    expect(fake.requests.filter(r => r.method === 'DELETE')).toEqual([])
  })
})
