// End-to-end: `command: usage` through the bundle against the fake GitHub API,
// for a repository, an organization and an enterprise, on github.com and GHES.
import type { FakeGitHub } from '../../testing/fake/server.js'
import { fakeFixture } from '../support/fake-fixture.js'

const GiB = 2 ** 30

let fake: FakeGitHub
const api = fakeFixture({ repository: 'octo/app', inputs: { command: 'usage' } })
const run = api.run

const paths = () => fake.requests.map(r => `${r.method} ${r.path}`)

/** `sizes[i]` bytes in one cache each of `org/repo-i`. */
function seedOrg(org: string, sizes: readonly number[]): string[] {
  return sizes.map((size, i) => {
    const name = `${org}/repo-${String(i + 1).padStart(3, '0')}`
    fake.store.addCache(name, { size_in_bytes: size })
    return name
  })
}

describe('usage of a repository', () => {
  it('reports count, size and the share of the storage limit on github.com', async () => {
    fake = await api.start({ mode: 'dotcom' })
    fake.store.addRepo('octo/app').limits.maxCacheSizeGb = 20
    for (let i = 0; i < 4; i++) fake.store.addCache('octo/app', { size_in_bytes: GiB })
    const r = await run({ token: 'ghs_read' })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(r.outputs['total-bytes']).toBe(String(4 * GiB))
    expect(r.outputs['total-count']).toBe('4')
    expect(r.outputs.repositories).toBeUndefined()
    expect(JSON.parse(r.outputs.usage)).toMatchObject({
      scope: 'repository',
      name: 'octo/app',
      total_bytes: 4 * GiB,
      total_count: 4,
      size_limit_gb: 20,
      size_limit_source: 'storage-limit'
    })
    expect(r.summary).toContain('| `octo/app` | 4 | 4 GiB | 20% | ████░░░░░░░░░░░░░░░░ |')
    expect(r.summary).toContain('20 GB per repository (from the storage-limit)')
    expect(paths()).toEqual([
      'GET /repos/octo/app/actions/cache/usage',
      'GET /repos/octo/app/actions/cache/storage-limit',
      // the waste report lists the caches themselves
      'GET /repos/octo/app/actions/caches'
    ])
  })

  it('reads the usage policy on GHES', async () => {
    fake = await api.start({ mode: 'ghes' })
    fake.store.addRepo('octo/app').limits.repoCacheSizeLimitInGb = 8
    fake.store.addCache('octo/app', { size_in_bytes: 2 * GiB })
    const r = await run({ token: 'ghs_read' })
    expect(r.code).toBe(0)
    expect(r.summary).toContain('| `octo/app` | 1 | 2 GiB | 25% |')
    expect(r.summary).toContain('8 GB per repository (from the usage-policy)')
    expect(paths()).toEqual([
      'GET /repos/octo/app/actions/cache/usage',
      'GET /repos/octo/app/actions/cache/usage-policy',
      'GET /repos/octo/app/actions/caches'
    ])
  })
})

describe('usage of an organization', () => {
  it('reads usage-by-repository to the end, ranks, shows the top N and sums the rest', async () => {
    fake = await api.start({ mode: 'dotcom' })
    // 130 repositories with caches (two pages of 100), sizes 1..130 MiB; and some without caches
    const names = seedOrg(
      'big-org',
      Array.from({ length: 130 }, (_, i) => (i + 1) * 2 ** 20)
    )
    for (let i = 0; i < 5; i++) fake.store.addRepo(`big-org/empty-${i}`)
    fake.store.orgLimitsOf('big-org').maxCacheSizeGb = 1
    const r = await run({ token: 'ghp_admin', inputs: { org: 'big-org', top: '3' } })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    const total = (130 * 131 * 2 ** 20) / 2
    expect(r.outputs['total-bytes']).toBe(String(total))
    expect(r.outputs['total-count']).toBe('130')
    const repositories = JSON.parse(r.outputs.repositories) as string[]
    expect(repositories).toEqual([...names].reverse())
    const usage = JSON.parse(r.outputs.usage)
    expect(usage.repositories.map((x: { full_name: string }) => x.full_name)).toEqual([
      'big-org/repo-130',
      'big-org/repo-129',
      'big-org/repo-128'
    ])
    expect(usage.rest).toEqual({
      repositories: 127,
      size_in_bytes: total - (130 + 129 + 128) * 2 ** 20,
      count: 127
    })
    expect(usage.size_limit_gb).toBe(1)
    expect(usage.size_limit_source).toBe('organization storage-limit')
    // the summary: three ranked rows with bars, then one row for the rest
    expect(r.summary).toContain('| 1 | `big-org/repo-130` | 1 | 130 MiB |')
    expect(r.summary).toContain('████████████████████ |')
    expect(r.summary).toContain('| 3 | `big-org/repo-128` |')
    expect(r.summary).not.toContain('| 4 |')
    expect(r.summary).toContain('| | 127 other repositories | 127 |')
    expect(r.summary).toContain('1 GB per repository (from the organization storage-limit)')
    const byRepo = fake.requests.filter(
      x => x.path === '/orgs/big-org/actions/cache/usage-by-repository'
    )
    expect(byRepo.map(x => [x.query.page, x.query.per_page])).toEqual([
      ['1', '100'],
      ['2', '100']
    ])
    // never the organization's repository list
    expect(paths().some(p => /\/orgs\/big-org\/repos/.test(p))).toBe(false)
  })

  it('splits the repositories with caches into `shards` of similar size for a matrix', async () => {
    fake = await api.start({ mode: 'dotcom' })
    const names = seedOrg(
      'big-org',
      Array.from({ length: 130 }, (_, i) => (i + 1) * 2 ** 20)
    )
    fake.store.addRepo('big-org/empty')
    const r = await run({ token: 'ghp_admin', inputs: { org: 'big-org', shards: '4' } })
    expect(r.errors).toEqual([])
    const shards = JSON.parse(r.outputs['repository-shards']) as Array<{
      shard: number
      repositories: string
      bytes: number
    }>
    expect(shards.map(s => s.shard)).toEqual([1, 2, 3, 4])
    const listed = shards.flatMap(s => s.repositories.split('\n'))
    expect([...listed].sort()).toEqual([...names].sort())
    const bytes = shards.map(s => s.bytes)
    // 130 sizes of 1..130 MiB: within the largest repository of each other, summing to the total
    expect(Math.max(...bytes) - Math.min(...bytes)).toBeLessThanOrEqual(130 * 2 ** 20)
    expect(bytes.reduce((t, b) => t + b, 0)).toBe(Number(r.outputs['total-bytes']))
    expect(r.summary).toContain('4 shards for a job matrix (`repository-shards`')
  })

  it('works on GHES, where organizations have no limit endpoint: the default, said to be one', async () => {
    fake = await api.start({ mode: 'ghes' })
    seedOrg('octo-org', [3 * 2 ** 20, 5 * 2 ** 20])
    const r = await run({ token: 'ghp_admin', inputs: { org: 'octo-org' } })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.outputs.repositories)).toEqual(['octo-org/repo-002', 'octo-org/repo-001'])
    expect(r.summary).toContain("10 GB per repository (GitHub's default")
    expect(r.summary).not.toContain('other repositories')
    expect(paths()).toEqual([
      'GET /orgs/octo-org/actions/cache/usage',
      'GET /orgs/octo-org/actions/cache/usage-by-repository'
    ])
  })

  it('explains a 403 from a token without organization administration', async () => {
    fake = await api.start({ mode: 'dotcom' })
    seedOrg('octo-org', [2 ** 20])
    const r = await run({ token: 'ghs_write', inputs: { org: 'octo-org' } })
    expect(r.code).toBe(1)
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toContain('403')
    expect(r.errors[0]).toContain('organization administration')
    expect(r.errors[0]).toContain('organization_administration=read')
    expect(r.errors[0]).toContain('GITHUB_TOKEN cannot')
    expect(r.outputs['total-bytes']).toBeUndefined()
  })
})

describe('usage of an enterprise', () => {
  it('reports the totals of every organization in it', async () => {
    fake = await api.start({ mode: 'ghes' })
    seedOrg('org-a', [2 ** 20, 2 * 2 ** 20])
    seedOrg('org-b', [4 * 2 ** 20])
    seedOrg('outside', [64 * 2 ** 20])
    fake.store.addEnterprise('octo-ent', ['org-a', 'org-b'])
    const r = await run({ token: 'ghp_admin', inputs: { enterprise: 'octo-ent' } })
    expect(r.errors).toEqual([])
    expect(r.outputs['total-bytes']).toBe(String(7 * 2 ** 20))
    expect(r.outputs['total-count']).toBe('3')
    expect(JSON.parse(r.outputs.usage)).toEqual({
      scope: 'enterprise',
      name: 'octo-ent',
      total_bytes: 7 * 2 ** 20,
      total_count: 3
    })
    expect(r.summary).toContain('Cache usage of enterprise octo-ent')
    expect(r.summary).toContain('3 caches, 7 MiB')
    expect(paths()).toEqual(['GET /enterprises/octo-ent/actions/cache/usage'])
  })

  it('explains a 403 for a token that is not an enterprise admin', async () => {
    fake = await api.start({ mode: 'dotcom' })
    fake.store.addEnterprise('octo-ent', ['org-a'])
    const r = await run({ token: 'ghs_read', inputs: { enterprise: 'octo-ent' } })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('admin:enterprise')
  })
})

describe('usage inputs are checked before any request', () => {
  it.each([
    [{ top: '0' }, "Input 'top'"],
    [{ top: 'ten' }, "Input 'top'"],
    [{ org: 'octo-org', shards: '257' }, "Input 'shards'"],
    [{ org: 'octo-org', shards: '0' }, "Input 'shards'"],
    [{ org: 'octo-org', enterprise: 'octo-ent' }, "Input 'enterprise'"],
    [{ org: 'bad/name' }, "Input 'org'"],
    [{ repository: 'not-a-repo' }, "Input 'repository'"],
    [{ command: 'usages' }, "Input 'command'"]
  ])('%j', async (inputs, message) => {
    fake = await api.start({ mode: 'dotcom' })
    const r = await run({ token: 'ghp_admin', inputs })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain(message)
    expect(fake.requests).toEqual([])
  })
})
