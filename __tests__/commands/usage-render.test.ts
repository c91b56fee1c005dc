import { bar, percent } from '../../src/commands/usage/bars.js'
// The usage report's renderers: bars, percentages, job summary, outputs, text.
import {
  GB,
  summarizeRepositories,
  type RepoUsage,
  type UsageReport
} from '../../src/engine/usage.js'
import {
  renderUsageSummary,
  renderUsageText,
  usageNotices,
  usageOutputs
} from '../../src/commands/usage/render.js'
import { balanceShards } from '../../src/engine/shards.js'

const MiB = 2 ** 20
const repo = (fullName: string, sizeInBytes: number, count = 1): RepoUsage => ({
  fullName,
  sizeInBytes,
  count
})

describe('bar and percent', () => {
  it.each([
    [0, 10, '░░░░░░░░░░'],
    [1, 10, '██████████'],
    [2, 10, '██████████'],
    [-1, 10, '░░░░░░░░░░'],
    [0.5, 10, '█████░░░░░'],
    [0.05, 10, '▌░░░░░░░░░'],
    [Number.NaN, 4, '░░░░']
  ])('bar(%p, %i)', (f, width, expected) => {
    expect(bar(f, width)).toBe(expected)
    expect([...bar(f, width)]).toHaveLength(width)
  })

  it.each([
    [0, '0.0%'],
    [0.0004, '<0.1%'],
    [0.054, '5.4%'],
    [0.5, '50%'],
    [1.234, '123%']
  ])('percent(%p)', (f, expected) => {
    expect(percent(f)).toBe(expected)
  })
})

describe('renderers', () => {
  const org: UsageReport = {
    target: { kind: 'org', org: 'o' },
    totalBytes: 100 * MiB,
    totalCount: 12,
    limit: { gb: 10, bytes: 10 * GB, source: 'default' },
    repositories: summarizeRepositories(
      [repo('o/a', 60 * MiB, 5), repo('o/b', 30 * MiB, 4), repo('o/c', 10 * MiB, 3)],
      2,
      { gb: 10, bytes: 10 * GB, source: 'default' }
    )
  }

  it('summary: ranked rows with bars relative to the largest, the rest, and the default limit named', () => {
    const md = renderUsageSummary(org)
    expect(md).toContain('## Cache usage of organization o')
    expect(md).toContain(
      'Total: 12 caches, 100 MiB (104,857,600 bytes), in 3 repositories with caches.'
    )
    expect(md).toContain('| 1 | `o/a` | 5 | 60 MiB | 60% | 0.6% | ████████████████████ |')
    expect(md).toContain('| 2 | `o/b` | 4 | 30 MiB | 30% | 0.3% | ██████████░░░░░░░░░░ |')
    expect(md).toContain('| | 1 other repository | 3 | 10 MiB | 10% | | |')
    expect(md).toContain("10 GB per repository (GitHub's default")
  })

  it('summary: a repository over its limit says so', () => {
    const md = renderUsageSummary({
      target: { kind: 'repo', owner: 'o', repo: 'r' },
      totalBytes: 12 * GB,
      totalCount: 3,
      limit: { gb: 10, bytes: 10 * GB, source: 'storage-limit' }
    })
    expect(md).toContain('| `o/r` | 3 | 12 GiB | 120% | ████████████████████ over |')
  })

  it('outputs: totals, usage JSON and every repository name for a matrix', () => {
    const out = usageOutputs(org)
    expect(out['total-bytes']).toBe(String(100 * MiB))
    expect(out['total-count']).toBe('12')
    expect(JSON.parse(out.repositories)).toEqual(['o/a', 'o/b', 'o/c'])
    expect(JSON.parse(out.usage)).toEqual({
      scope: 'organization',
      name: 'o',
      total_bytes: 100 * MiB,
      total_count: 12,
      size_limit_gb: 10,
      size_limit_source: 'default',
      repositories: [
        { full_name: 'o/a', size_in_bytes: 60 * MiB, count: 5 },
        { full_name: 'o/b', size_in_bytes: 30 * MiB, count: 4 }
      ],
      rest: { repositories: 1, size_in_bytes: 10 * MiB, count: 3 }
    })
  })

  it('text: an aligned table for a terminal', () => {
    expect(renderUsageText(org)).toEqual([
      'Cache usage of organization o',
      'total: 12 caches, 100 MiB',
      "limit: 10 GB per repository (GitHub's default: the token could not read the configured limit)",
      '',
      'repository  caches    size  share',
      '----------  ------  ------  -----',
      'o/a              5  60 MiB    60%',
      'o/b              4  30 MiB    30%',
      '(1 more)         3  10 MiB    10%'
    ])
  })
})

describe('repository-shards', () => {
  /** An organization's report with its repositories split into `k` shards. */
  function orgWithShards(repos: RepoUsage[], k: number): UsageReport {
    const summary = summarizeRepositories(repos, 10)
    return {
      target: { kind: 'org', org: 'o' },
      totalBytes: repos.reduce((t, r) => t + r.sizeInBytes, 0),
      totalCount: repos.reduce((t, r) => t + r.count, 0),
      repositories: { ...summary, shards: balanceShards(summary.all, k) }
    }
  }

  it('is a JSON array for a matrix, each shard with its repositories one a line', () => {
    const r = orgWithShards(
      [repo('o/a', 60 * MiB), repo('o/b', 30 * MiB), repo('o/c', 20 * MiB), repo('o/d', 5 * MiB)],
      2
    )
    expect(JSON.parse(usageOutputs(r)['repository-shards'])).toEqual([
      { shard: 1, repositories: 'o/a', bytes: 60 * MiB },
      { shard: 2, repositories: 'o/b\no/c\no/d', bytes: 55 * MiB }
    ])
    expect(usageNotices(r)).toEqual([])
    expect(renderUsageSummary(r)).toContain(
      '2 shards for a job matrix (`repository-shards`, 222 B as a job output): 55 MiB to 60 MiB each.'
    )
    expect(renderUsageText(r).at(-1)).toMatch(/^2 shards for a job matrix/)
  })

  it('is an empty array when no repository has caches, and absent for a repository', () => {
    expect(usageOutputs(orgWithShards([], 256))['repository-shards']).toBe('[]')
    const one = usageOutputs({
      target: { kind: 'repo', owner: 'o', repo: 'r' },
      totalBytes: 1,
      totalCount: 1,
      limit: { gb: 10, bytes: 10 * GB, source: 'default' }
    })
    expect(one['repository-shards']).toBeUndefined()
  })

  it('is left unset, with a warning, when it would pass the 1 MB of a job output', () => {
    // 4,000 names of 140 characters (GitHub's longest: 39 + 1 + 100) make about 1.1 MB as UTF-16
    const long = (i: number) => `${'o'.repeat(39)}/${String(i).padStart(100, 'r')}`
    const r = orgWithShards(
      Array.from({ length: 4000 }, (_, i) => repo(long(i), MiB + i)),
      256
    )
    const out = usageOutputs(r)
    expect(out['repository-shards']).toBeUndefined()
    expect(out['total-count']).toBe('4000')
    const notices = usageNotices(r)
    expect(notices).toHaveLength(1)
    expect(notices[0].level).toBe('warning')
    expect(notices[0].message).toMatch(
      /^repository-shards is not set: 4,000 repository names make it 1\.\d+ MiB .* above its limit of 1 MB a job/
    )
    expect(renderUsageSummary(r)).toContain('too large for a job output')
  })
})
