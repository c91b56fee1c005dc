// End-to-end: an organization-wide prune (`repository: acme/*`) through the
// bundle against the fake GitHub API: exact deletion sets across 20
// repositories, exclusions, one shared rate-limit budget, and never a request
// for the organization's repository list. Plus the pattern parser.
import type { FakeGitHub } from '../../testing/fake/server.js'
import { InputError } from '../../src/engine/errors.js'
import { parseRepoPattern } from '../../src/engine/repo-pattern.js'
import { fakeFixture } from '../support/fake-fixture.js'
import { addCaches, ids, type Seeded } from '../../testing/scenario.js'

const PATTERN = 'acme/*\n!acme/legacy-*'

let fake: FakeGitHub
const api = fakeFixture({
  repository: 'acme/repo-01',
  token: 'ghp_admin',
  inputs: { repository: PATTERN, keys: '*', 'older-than': '3d' }
})
const run = api.run

interface World {
  /** old caches of the 20 matching repositories, by repository */
  old: Map<string, Seeded[]>
  untouchable: Seeded[]
}

/** 20 matching repositories (3 old and 2 fresh caches each), 2 excluded ones, another org. */
function seed(): World {
  const old = new Map<string, Seeded[]>()
  const untouchable: Seeded[] = []
  const caches = (repo: string, size: number) => {
    const stale = addCaches(
      fake,
      repo,
      [0, 1, 2].map(i => ({ key: `old-${i}`, ref: 'refs/heads/main', idleHours: 200, size }))
    )
    const fresh = addCaches(
      fake,
      repo,
      [0, 1].map(i => ({ key: `fresh-${i}`, ref: 'refs/heads/main', idleHours: 2, size }))
    )
    return { stale, fresh }
  }
  for (let i = 1; i <= 20; i++) {
    const repo = `acme/repo-${String(i).padStart(2, '0')}`
    // distinct sizes, so the largest-first order is known: repo-20 first
    const { stale, fresh } = caches(repo, i * 1_000_000)
    old.set(repo, stale)
    untouchable.push(...fresh)
  }
  for (const repo of ['acme/legacy-a', 'acme/LEGACY-b', 'other/repo-01']) {
    const { stale, fresh } = caches(repo, 50_000_000)
    untouchable.push(...stale, ...fresh)
  }
  for (let i = 0; i < 3; i++) fake.store.addRepo(`acme/no-caches-${i}`)
  return { old, untouchable }
}

const deletedIds = () => fake.deletions.map(d => d.id).sort((a, b) => a - b)
const lists = () =>
  fake.requests.filter(r => r.method === 'GET' && /\/actions\/caches$/.test(r.path))
const neverListsRepositories = () =>
  expect(fake.requests.filter(r => /^\/(orgs|users)\/[^/]+\/repos/.test(r.path))).toEqual([])

describe('organization-wide prune', () => {
  it('deletes exactly the selected caches of every matching repository, and no others', async () => {
    fake = await api.start({ mode: 'dotcom' })
    const world = seed()
    const r = await run({})
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    const expected = [...world.old.values()].flat()
    expect(deletedIds()).toEqual(ids(expected))
    for (const c of world.untouchable) {
      expect(fake.deletions.some(d => d.id === c.id)).toBe(false)
    }
    expect(r.outputs['matched-count']).toBe('60')
    expect(r.outputs['deleted-count']).toBe('60')
    expect(r.outputs['deleted-bytes']).toBe(
      String(expected.reduce((n, c) => n + c.size_in_bytes, 0))
    )
    expect(r.outputs['pending-count']).toBe('0')
    expect(r.outputs['failed-count']).toBe('0')
    expect(r.outputs['remaining-count']).toBe('40')
    const deleted = JSON.parse(r.outputs.deleted) as Array<Record<string, unknown>>
    expect(deleted).toHaveLength(60)
    expect(Object.keys(deleted[0]).sort()).toEqual([
      'id',
      'key',
      'reason',
      'ref',
      'repository',
      'size_in_bytes',
      'version'
    ])
    for (const entry of deleted) {
      const inRepo = world.old.get(entry.repository as string) ?? []
      expect(inRepo.map(c => c.id)).toContain(entry.id)
    }
    // one usage-by-repository request, one list per repository, never the repository list
    expect(
      fake.requests.filter(x => x.path === '/orgs/acme/actions/cache/usage-by-repository')
    ).toHaveLength(1)
    expect(lists()).toHaveLength(20)
    expect(lists().some(x => /legacy|other/i.test(x.path))).toBe(false)
    neverListsRepositories()
    // the summary: one row per repository, largest first, and a section each
    const rows = r.summary.split('\n').filter(l => l.startsWith('| `acme/'))
    expect(rows).toHaveLength(20)
    expect(rows[0]).toMatch(/^\| `acme\/repo-20` \| 5 \| .* \| 3 \| .* \| 2 \| done \|$/)
    expect(r.summary).toContain('deleted 60 caches')
    expect(r.summary).toContain('in 20 repositories of `acme`')
    expect(r.summary).toContain('<details><summary><code>acme/repo-01</code></summary>')
  })

  it('dry run: the same outputs, no deletion; max-deletions caps the whole run', async () => {
    fake = await api.start({ mode: 'ghes' })
    seed()
    const r = await run({ inputs: { 'dry-run': 'true', 'max-deletions': '10' } })
    expect(r.errors).toEqual([])
    expect(fake.mutations()).toBe(0)
    // largest first: repo-20, -19 and -18 give 3 each, repo-17 one of its 3; 16 are not reached
    expect(r.outputs['matched-count']).toBe('12')
    expect(r.outputs['deleted-count']).toBe('10')
    expect(r.outputs['pending-count']).toBe('2')
    const deleted = JSON.parse(r.outputs.deleted) as Array<{ repository: string }>
    expect([...new Set(deleted.map(d => d.repository))]).toEqual([
      'acme/repo-20',
      'acme/repo-19',
      'acme/repo-18',
      'acme/repo-17'
    ])
    expect(lists()).toHaveLength(4)
    expect(r.summary).toContain('(dry run) would delete 10 caches')
    expect(r.summary.split('not reached: `max-deletions` was reached')).toHaveLength(17)
    neverListsRepositories()
  })

  it('shares one rate-limit budget across repositories and reports what is left', async () => {
    fake = await api.start({
      mode: 'dotcom',
      rateLimit: { limit: 1000, remaining: 150 }
    })
    const world = seed()
    const r = await run({ inputs: { 'rate-limit-reserve': '100' } })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    // 150 remaining minus a reserve of 100: at most 50 requests for the whole organization
    expect(fake.requests.length).toBeLessThanOrEqual(50)
    expect(fake.requests.length).toBeGreaterThanOrEqual(45)
    expect(fake.rateLimitOf('ghp_admin').remaining).toBeGreaterThanOrEqual(100)
    expect(fake.requests.every(x => x.status !== 403 && x.status !== 429)).toBe(true)
    // every deletion is a selected cache; the largest repositories went first
    const selected = new Set([...world.old.values()].flat().map(c => c.id))
    expect(fake.deletions.every(d => selected.has(d.id))).toBe(true)
    expect(fake.deletions.every(d => d.repo >= 'acme/repo-08')).toBe(true)
    expect(world.old.get('acme/repo-20')?.every(c => deletedIds().includes(c.id))).toBe(true)
    expect(Number(r.outputs['deleted-count'])).toBe(fake.deletions.length)
    const pending = Number(r.outputs['pending-count'])
    const reached = lists().length
    expect(reached).toBeLessThan(20)
    expect(pending).toBe(reached * 3 - fake.deletions.length)
    expect(r.warnings.join('\n')).toMatch(
      new RegExp(`Stopped early: .*${20 - reached} repositories were not reached`)
    )
    expect(r.summary).toContain('not reached: the rate-limit budget was spent')
    expect(r.summary).toContain('**Stopped early:**')
    neverListsRepositories()
  })

  it('explains a 403 when the token cannot read the organization’s usage', async () => {
    fake = await api.start({ mode: 'dotcom' })
    seed()
    const r = await run({ token: 'ghs_write' })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('organization administration')
    expect(fake.deletions).toEqual([])
  })

  it.each([
    ['acme/*\nother/*', 'a pattern covers the repositories of one organization'],
    ['!acme/legacy-*', 'only excludes'],
    ['acme/re po*', "Input 'repository'"]
  ])('refuses %j before any request', async (repository, message) => {
    fake = await api.start({ mode: 'dotcom' })
    const r = await run({ inputs: { repository } })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain(message)
    expect(fake.requests).toEqual([])
  })
})

describe('a list of repositories (one shard of repository-shards)', () => {
  const LIST = ['acme/repo-03', 'acme/repo-17', 'acme/no-caches-1', 'acme/legacy-a'].join('\n')

  it('lists exactly the repositories named, in order, without the usage report', async () => {
    fake = await api.start({ mode: 'dotcom' })
    const world = seed()
    // a token that may prune the repositories but not read the organization's usage
    const r = await run({ token: 'ghs_write', inputs: { repository: LIST } })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(lists().map(x => x.path)).toEqual([
      '/repos/acme/repo-03/actions/caches',
      '/repos/acme/repo-17/actions/caches',
      '/repos/acme/no-caches-1/actions/caches',
      '/repos/acme/legacy-a/actions/caches'
    ])
    expect(fake.requests.some(x => x.path.includes('usage'))).toBe(false)
    neverListsRepositories()
    // a listed repository is pruned even where a pattern's '!' line would have excluded it
    const legacyOld = fake.store
      .caches('acme/legacy-a')
      .filter(c => c.key.startsWith('old-')).length
    expect(legacyOld).toBe(0)
    const expected = [
      ...(world.old.get('acme/repo-03') ?? []),
      ...(world.old.get('acme/repo-17') ?? [])
    ]
    expect(deletedIds().length).toBe(expected.length + 3)
    for (const c of expected) expect(deletedIds()).toContain(c.id)
    expect(fake.deletions.every(d => LIST.split('\n').includes(d.repo))).toBe(true)
    expect(r.outputs['deleted-count']).toBe('9')
    // the repository without caches is reported as having none
    expect(r.summary).toContain('| `acme/no-caches-1` | 0 | | | | | no caches |')
    expect(r.summary).toContain(
      'List: 4 repositories of `acme`, listed without the usage report; 3 had caches.'
    )
  })

  it('reports a repository that the token cannot see as failed, and prunes the others', async () => {
    fake = await api.start({ mode: 'dotcom' })
    const world = seed()
    const r = await run({ inputs: { repository: 'acme/repo-05\nacme/gone\nacme/repo-06' } })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('acme/gone')
    expect(deletedIds()).toEqual(
      ids([...(world.old.get('acme/repo-05') ?? []), ...(world.old.get('acme/repo-06') ?? [])])
    )
    expect(r.summary).toMatch(/\| `acme\/gone` \| \| \| \| \| \| \*\*failed\*\*/)
  })

  it.each([
    ['acme/a\nother/b', 'a list names repositories of one owner'],
    ['acme/a\nacme/..', "'..' is not a repository name"],
    ['acme/a\nacme/-x', "starts with '-'"]
  ])('refuses %j before any request', async (repository, message) => {
    fake = await api.start({ mode: 'dotcom' })
    const r = await run({ inputs: { repository } })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain("Input 'repository'")
    expect(r.errors[0]).toContain(message)
    expect(fake.requests).toEqual([])
  })
})

describe('parseRepoPattern', () => {
  it.each([
    ['acme/app', undefined],
    ['', undefined]
  ])('%j names no pattern', (text, expected) => {
    expect(parseRepoPattern(text, 'repository')).toBe(expected)
  })

  it.each([
    ['acme/*', 'acme/web', true],
    ['acme/*', 'ACME/Web', true],
    ['acme/*', 'other/web', false],
    ['acme/*\n!acme/legacy-*', 'acme/legacy-api', false],
    ['acme/*\n!acme/legacy-*', 'acme/Legacy-API', false],
    ['acme/*\n!acme/legacy-*', 'acme/api-legacy', true],
    ['acme/svc-?', 'acme/svc-a', true],
    ['acme/svc-?', 'acme/svc-ab', false],
    ['acme/a\nacme/b', 'acme/b', true],
    ['acme/a\nacme/b', 'acme/c', false]
  ])('%j matches %s: %s', (text, name, expected) => {
    expect(parseRepoPattern(text, 'repository')?.matches(name)).toBe(expected)
  })

  it('keeps the owner and the lines', () => {
    const p = parseRepoPattern(' acme/*\n\n!acme/old ', 'repository')
    expect(p?.owner).toBe('acme')
    expect(p?.lines).toEqual(['acme/*', '!acme/old'])
  })

  it('names the input in its errors', () => {
    expect(() => parseRepoPattern('acme/*\nother/x', 'repository')).toThrow(InputError)
    expect(() => parseRepoPattern('acme/*\nother/x', 'repository')).toThrow("Input 'repository'")
  })
})
