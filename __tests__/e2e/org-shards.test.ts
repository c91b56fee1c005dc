// End-to-end at organization scale: an organization of 5,000 repositories with
// caches (and some without) in the fake, no latency. The bundle's `usage`
// with `org` reads usage-by-repository page by page and gives
// repository-shards; the shards cover every repository with caches once, and
// the output stays within 60% of a job's 1 MB (docs/organizations-and-limits.md). Then the bundle prunes one shard,
// as one matrix job would, with the shard's `repositories` string as
// `repository`: exactly that shard's repositories are listed and pruned.
import type { FakeGitHub } from '../../testing/fake/server.js'
import { seedLargeOrg } from '../../testing/fake/seed.js'
import { DAY } from '../../testing/scenario.js'
import { JOB_OUTPUT_LIMIT_BYTES, utf16Bytes } from '../../src/engine/shards.js'
import { fakeFixture } from '../support/fake-fixture.js'

const ORG = 'octo-platform'
const REPOS = 5000

interface ShardJson {
  shard: number
  repositories: string
  bytes: number
}

let fake: FakeGitHub
const api = fakeFixture({ repository: `${ORG}/ops`, token: 'ghp_admin' })

describe('an organization of 5,000 repositories, sharded for a matrix', () => {
  it('usage gives shards that cover every repository once; one shard is pruned, and only it', async () => {
    fake = await api.start({ mode: 'dotcom' })
    const now = Date.now()
    const names = seedLargeOrg(fake.store, ORG, { repos: REPOS, empty: 40, seed: 13, now })
    const lowered = new Set(names.map(n => n.toLowerCase()))
    expect(lowered.size).toBe(REPOS)

    // 1. the usage job
    const usage = await api.run({ inputs: { command: 'usage', org: ORG } })
    expect(usage.errors).toEqual([])
    expect(usage.code).toBe(0)
    const text = usage.outputs['repository-shards']
    const shards = JSON.parse(text) as ShardJson[]
    expect(shards).toHaveLength(256)
    expect(shards.map(s => s.shard)).toEqual(Array.from({ length: 256 }, (_, i) => i + 1))
    const listed = shards.flatMap(s => s.repositories.split('\n'))
    expect(listed).toHaveLength(REPOS)
    expect(new Set(listed).size).toBe(REPOS)
    expect([...listed].sort()).toEqual([...names].sort())
    expect(shards.reduce((t, s) => t + s.bytes, 0)).toBe(Number(usage.outputs['total-bytes']))
    // every page of usage-by-repository, 100 a page, and never the repository list
    const pages = fake.requests.filter(
      r => r.path === `/orgs/${ORG}/actions/cache/usage-by-repository`
    )
    expect(pages).toHaveLength(REPOS / 100)
    expect(fake.requests.some(r => /\/orgs\/[^/]+\/repos/.test(r.path))).toBe(false)
    // full names of 34 to 70 characters (50 on average): 544,548 bytes as GitHub measures job outputs
    // (UTF-16): 2 x (the names, 2 characters each for the line break, 256 x ~50 of JSON)
    const weight = 2 * (listed.reduce((t, n) => t + n.length + 2, 0) + 256 * 50)
    expect(utf16Bytes(text)).toBeLessThan(weight)
    expect(utf16Bytes(text)).toBeLessThan(0.6 * JOB_OUTPUT_LIMIT_BYTES)
    expect(usage.summary).toContain('256 shards for a job matrix')

    // 2. one matrix job: the middle shard, with a token that cannot read the organization's usage
    const shard = shards[127]
    const repos = shard.repositories.split('\n')
    expect(repos.length).toBeGreaterThan(1)
    const before = new Map(names.map(n => [n, fake.store.caches(n).map(c => c.id)]))
    const old = repos.flatMap(repo =>
      fake.store
        .caches(repo)
        .filter(c => now - Date.parse(c.last_accessed_at) > 7 * DAY)
        .map(c => c.id)
    )
    expect(old.length).toBeGreaterThan(0)
    fake.requests.length = 0

    const prune = await api.run({
      token: 'ghs_write',
      inputs: { repository: shard.repositories, keys: '*', 'older-than': '7d' }
    })
    expect(prune.errors).toEqual([])
    expect(prune.code).toBe(0)
    // exactly the shard's repositories were listed, in its order (largest first), once each
    const lists = fake.requests.filter(r => r.method === 'GET' && /\/actions\/caches$/.test(r.path))
    expect(lists.map(r => r.path)).toEqual(repos.map(repo => `/repos/${repo}/actions/caches`))
    expect(fake.requests.some(r => r.path.includes('/actions/cache/usage'))).toBe(false)
    // exactly the shard's old caches were deleted; every other repository is untouched
    expect(fake.deletions.map(d => d.id).sort((a, b) => a - b)).toEqual(
      [...old].sort((a, b) => a - b)
    )
    expect(fake.deletions.every(d => repos.includes(d.repo))).toBe(true)
    for (const [name, ids] of before) {
      const kept = fake.store.caches(name).map(c => c.id)
      if (repos.includes(name)) expect(kept).toEqual(ids.filter(id => !old.includes(id)))
      else expect(kept).toEqual(ids)
    }
    expect(prune.outputs['deleted-count']).toBe(String(old.length))
    expect(
      JSON.parse(prune.outputs.deleted).map((d: { repository: string }) => d.repository)
    ).toEqual(
      expect.arrayContaining([repos.find(r => before.get(r)?.some(id => old.includes(id)))])
    )
    expect(prune.summary).toContain(`List: ${repos.length} repositories of \`${ORG}\``)
  })
})
