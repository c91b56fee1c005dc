// Unit tests of src/usage.ts: ranking, top N and the rest, the share of the
// limit, collecting through an in-memory AdminApi, and the three renderers.
import { ApiError, type RepoUsage } from '../../src/github/ports.js'
import type { AdminApi, AdminTarget } from '../../src/github/admin-api.js'
import { detectFamily } from '../../src/github/admin-api.js'
import {
  bar,
  collectUsage,
  GB,
  percent,
  rankRepositories,
  renderUsageSummary,
  renderUsageText,
  summarizeRepositories,
  usageOutputs,
  type UsageReport
} from '../../src/engine/usage.js'

const MiB = 2 ** 20
const repo = (fullName: string, sizeInBytes: number, count = 1): RepoUsage => ({
  fullName,
  sizeInBytes,
  count
})

const denied = (kind: 'forbidden' | 'not-found') =>
  new ApiError(kind, kind === 'forbidden' ? 403 : 404, 'no', 'read the cache storage-limit')

/** An AdminApi over fixed figures that records its calls. */
function memoryApi(options: {
  repos?: RepoUsage[]
  pageSize?: number
  storage?: number | ApiError
  policy?: number | ApiError
  orgStorage?: number | ApiError
}): AdminApi & { calls: string[] } {
  const calls: string[] = []
  const answer = (v: number | ApiError | undefined): number => {
    if (v instanceof ApiError) throw v
    if (v === undefined) throw denied('not-found')
    return v
  }
  const repos = options.repos ?? []
  return {
    calls,
    getRepoUsage: async r => {
      calls.push('repo-usage')
      return repo(`${r.owner}/${r.repo}`, 3 * GB, 7)
    },
    getOrgUsage: async () => {
      calls.push('org-usage')
      return {
        sizeInBytes: repos.reduce((n, r) => n + r.sizeInBytes, 0),
        count: repos.reduce((n, r) => n + r.count, 0)
      }
    },
    listRepoUsage: async (_org, page, perPage) => {
      calls.push(`by-repo ${page}`)
      const size = Math.min(perPage, options.pageSize ?? perPage)
      const slice = repos.slice((page - 1) * size, page * size)
      return { totalCount: repos.length, repositories: slice, hasNext: page * size < repos.length }
    },
    getEnterpriseUsage: async () => {
      calls.push('enterprise-usage')
      return { sizeInBytes: 5, count: 2 }
    },
    getUsagePolicy: async () => {
      calls.push('usage-policy')
      return { repoCacheSizeLimitGb: answer(options.policy) }
    },
    setUsagePolicy: async () => {
      throw new Error('not used')
    },
    getLimit: async (target: AdminTarget) => {
      calls.push(`storage-limit ${target.kind}`)
      return answer(target.kind === 'org' ? options.orgStorage : options.storage)
    },
    setLimit: async () => {
      throw new Error('not used')
    }
  }
}

describe('rankRepositories', () => {
  it('orders by size, then count, then name', () => {
    const ranked = rankRepositories([
      repo('o/b', 10, 1),
      repo('o/a', 10, 1),
      repo('o/c', 10, 5),
      repo('o/d', 99, 1)
    ])
    expect(ranked.map(r => r.fullName)).toEqual(['o/d', 'o/c', 'o/a', 'o/b'])
  })
})

describe('summarizeRepositories', () => {
  const repos = [repo('o/a', 10), repo('o/b', 40, 2), repo('o/c', 30), repo('o/d', 20, 4)]

  it.each([
    [1, ['o/b'], { repositories: 3, sizeInBytes: 60, count: 6 }],
    [2, ['o/b', 'o/c'], { repositories: 2, sizeInBytes: 30, count: 5 }],
    [4, ['o/b', 'o/c', 'o/d', 'o/a'], { repositories: 0, sizeInBytes: 0, count: 0 }],
    [9, ['o/b', 'o/c', 'o/d', 'o/a'], { repositories: 0, sizeInBytes: 0, count: 0 }]
  ])('top %i', (top, names, rest) => {
    const s = summarizeRepositories(repos, top)
    expect(s.top.map(r => r.fullName)).toEqual(names)
    expect(s.rest).toEqual(rest)
    expect(s.all).toHaveLength(4)
  })

  it('gives shares of the total and of the limit, and drops repositories without caches', () => {
    const s = summarizeRepositories([repo('o/x', 3 * GB), repo('o/y', GB), repo('o/z', 0, 0)], 5, {
      gb: 2,
      bytes: 2 * GB,
      source: 'default'
    })
    expect(s.all.map(r => [r.fullName, r.shareOfTotal, r.shareOfLimit])).toEqual([
      ['o/x', 0.75, 1.5],
      ['o/y', 0.25, 0.5]
    ])
  })
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

describe('collectUsage', () => {
  const target: AdminTarget = { kind: 'repo', owner: 'o', repo: 'r' }

  it.each([
    [
      'github.com: the storage limit',
      'github.com',
      { storage: 20 },
      20,
      'storage-limit',
      ['repo-usage', 'storage-limit repo']
    ],
    [
      'GHES: the usage policy',
      'ghes',
      { policy: 15 },
      15,
      'usage-policy',
      ['repo-usage', 'usage-policy']
    ],
    [
      'github.com, 403: the default',
      'github.com',
      { storage: denied('forbidden') },
      10,
      'default',
      ['repo-usage', 'storage-limit repo']
    ],
    [
      'GHES, 404: the default',
      'ghes',
      { policy: denied('not-found') },
      10,
      'default',
      ['repo-usage', 'usage-policy']
    ],
    [
      'unknown server: storage limit, then usage policy',
      undefined,
      { policy: 12 },
      12,
      'usage-policy',
      ['repo-usage', 'storage-limit repo', 'usage-policy']
    ],
    [
      'unknown server, both refused: the default',
      undefined,
      { storage: denied('forbidden'), policy: denied('forbidden') },
      10,
      'default',
      ['repo-usage', 'storage-limit repo', 'usage-policy']
    ]
  ] as const)('repository limit on %s', async (_name, family, limits, gb, source, calls) => {
    const api = memoryApi(limits)
    const report = await collectUsage(api, target, { top: 10, ...(family ? { family } : {}) })
    expect(report.limit).toEqual({ gb, bytes: gb * GB, source })
    expect(report.totalBytes).toBe(3 * GB)
    expect(api.calls).toEqual(calls)
  })

  it('does not hide other failures of the limit read', async () => {
    const api = memoryApi({ storage: new ApiError('server', 502, 'bad gateway', 'x') })
    await expect(collectUsage(api, target, { top: 1, family: 'github.com' })).rejects.toThrow(
      'bad gateway'
    )
  })

  it('reads every page of usage-by-repository for an organization', async () => {
    const repos = Array.from({ length: 250 }, (_, i) => repo(`o/r${i}`, (i + 1) * MiB))
    const api = memoryApi({ repos, orgStorage: 4 })
    const report = await collectUsage(api, { kind: 'org', org: 'o' }, { top: 3 })
    expect(api.calls).toEqual([
      'org-usage',
      'by-repo 1',
      'by-repo 2',
      'by-repo 3',
      'storage-limit org'
    ])
    expect(report.repositories?.all).toHaveLength(250)
    expect(report.repositories?.top.map(r => r.fullName)).toEqual(['o/r249', 'o/r248', 'o/r247'])
    expect(report.repositories?.rest.repositories).toBe(247)
    expect(report.limit?.source).toBe('organization storage-limit')
  })

  it('counts a repository listed on two pages once', async () => {
    const repos = [repo('o/a', 5), repo('o/b', 4), repo('o/B', 4)]
    const api = memoryApi({ repos, pageSize: 2 })
    const report = await collectUsage(api, { kind: 'org', org: 'o' }, { top: 5, family: 'ghes' })
    expect(report.repositories?.all.map(r => r.fullName)).toEqual(['o/a', 'o/B'])
    expect(report.limit?.source).toBe('default')
    expect(api.calls).not.toContain('storage-limit org')
  })

  it('reads only the totals of an enterprise', async () => {
    const api = memoryApi({})
    const report = await collectUsage(api, { kind: 'enterprise', enterprise: 'e' }, { top: 5 })
    expect(report).toEqual({
      target: { kind: 'enterprise', enterprise: 'e' },
      totalBytes: 5,
      totalCount: 2
    })
    expect(api.calls).toEqual(['enterprise-usage'])
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
    expect(md).toContain('| 1 | o/a | 5 | 60 MiB | 60% | 0.6% | ████████████████████ |')
    expect(md).toContain('| 2 | o/b | 4 | 30 MiB | 30% | 0.3% | ██████████░░░░░░░░░░ |')
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
    expect(md).toContain('| o/r | 3 | 12 GiB | 120% | ████████████████████ over |')
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

describe('detectFamily', () => {
  it.each([
    ['https://api.github.com', 'github.com'],
    ['https://api.octocorp.ghe.com', 'github.com'],
    ['https://ghes.example.com/api/v3', 'ghes'],
    ['https://ghes.example.com/api/v3/', 'ghes'],
    ['http://127.0.0.1:8080', 'github.com'],
    ['http://127.0.0.1:8080/api/v3', 'ghes']
  ])('%s is %s', (url, family) => {
    expect(detectFamily(url)).toBe(family)
  })
})
