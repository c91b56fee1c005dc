// Collecting usage through an in-memory AdminApi: figures, limits and paging.
import { ApiError, type AdminApi } from '../../src/github/ports.js'
import { type AdminTarget } from '../../src/engine/targets.js'
import { GB, type RepoUsage } from '../../src/engine/usage.js'
import { collectUsage } from '../../src/run/usage.js'

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
