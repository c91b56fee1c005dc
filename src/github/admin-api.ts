// The adapter for GitHub's cache usage and cache limit endpoints: usage of a
// repository, an organization (total and per repository) and an enterprise;
// the GHES usage policy; the github.com retention and storage limits at all
// three scopes. Every call runs through the Governor (via callApi) and every
// body is checked before it becomes a domain value.

import type { RepoName } from '../engine/cache.js'
import { isFullName } from '../engine/names.js'
import { describeTarget, type AdminTarget } from '../engine/targets.js'
import type { RepoUsage, UsageFigures } from '../engine/usage.js'
import type { Governor } from './governor.js'
import { callApi, hasNextLink, invalid, type Octokit } from './octokit.js'
import type {
  AdminApi,
  LimitKind,
  PolicyTarget,
  RepoUsagePage,
  RequestPurpose,
  UsagePolicy
} from './ports.js'

const SCOPE: Readonly<Record<AdminTarget['kind'], RequestPurpose['scope']>> = {
  repo: 'repository',
  org: 'organization',
  enterprise: 'enterprise'
}

const purpose = (
  operation: RequestPurpose['operation'],
  kind: AdminTarget['kind']
): RequestPurpose => ({ operation, scope: SCOPE[kind] })

const LIMIT_FIELD: Readonly<Record<LimitKind, string>> = {
  retention: 'max_cache_retention_days',
  storage: 'max_cache_size_gb'
}
const LIMIT_PATH: Readonly<Record<LimitKind, string>> = {
  retention: 'retention-limit',
  storage: 'storage-limit'
}

/** The URL prefix of a scope for the limit endpoints; organizations are under /organizations/, not /orgs/. */
function limitPrefix(t: AdminTarget): { path: string; params: Record<string, string> } {
  if (t.kind === 'repo')
    return { path: '/repos/{owner}/{repo}', params: { owner: t.owner, repo: t.repo } }
  if (t.kind === 'org') return { path: '/organizations/{org}', params: { org: t.org } }
  return { path: '/enterprises/{enterprise}', params: { enterprise: t.enterprise } }
}

function policyPrefix(t: PolicyTarget): { path: string; params: Record<string, string> } {
  if (t.kind === 'repo')
    return { path: '/repos/{owner}/{repo}', params: { owner: t.owner, repo: t.repo } }
  return { path: '/enterprises/{enterprise}', params: { enterprise: t.enterprise } }
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

function object(data: unknown, label: string): Record<string, unknown> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw invalid(label, typeof data === 'string' ? 'text instead of JSON' : 'not an object')
  }
  return data as Record<string, unknown>
}

function totals(data: unknown, label: string): UsageFigures {
  const d = object(data, label)
  if (!isCount(d.total_active_caches_size_in_bytes) || !isCount(d.total_active_caches_count)) {
    throw invalid(label, 'no total_active_caches_size_in_bytes/total_active_caches_count')
  }
  return { sizeInBytes: d.total_active_caches_size_in_bytes, count: d.total_active_caches_count }
}

function repoUsage(v: unknown, label: string): RepoUsage {
  const d = object(v, label)
  if (!isCount(d.active_caches_size_in_bytes) || !isCount(d.active_caches_count)) {
    throw invalid(label, 'a repository usage without active_caches_size_in_bytes/count')
  }
  // The name goes into later URLs: it must be a repository name by GitHub's rules.
  if (typeof d.full_name !== 'string' || !isFullName(d.full_name)) {
    throw invalid(label, 'a repository usage whose full_name is not owner/name')
  }
  return {
    fullName: d.full_name,
    sizeInBytes: d.active_caches_size_in_bytes,
    count: d.active_caches_count
  }
}

export class GitHubAdminApi implements AdminApi {
  constructor(
    private readonly octokit: Octokit,
    private readonly governor: Governor
  ) {}

  private get<T>(
    label: string,
    why: RequestPurpose,
    route: string,
    params: object,
    shape: (d: unknown) => T
  ): Promise<T> {
    return callApi(this.governor, {
      method: 'GET',
      label,
      purpose: why,
      send: ctx =>
        this.octokit.request(`GET ${route}`, { ...params, request: { signal: ctx.signal } }),
      shape: data => shape(data)
    })
  }

  private write(
    method: 'PUT' | 'PATCH',
    label: string,
    why: RequestPurpose,
    route: string,
    params: object
  ): Promise<void> {
    return callApi(this.governor, {
      method,
      label,
      purpose: why,
      send: ctx =>
        this.octokit.request(`${method} ${route}`, { ...params, request: { signal: ctx.signal } }),
      shape: () => undefined
    })
  }

  getRepoUsage(repo: RepoName): Promise<RepoUsage> {
    const label = `read cache usage of ${repo.owner}/${repo.repo}`
    return this.get(
      label,
      purpose('read-usage', 'repo'),
      '/repos/{owner}/{repo}/actions/cache/usage',
      { owner: repo.owner, repo: repo.repo },
      d => repoUsage(d, label)
    )
  }

  getOrgUsage(org: string): Promise<UsageFigures> {
    const label = `read cache usage of organization ${org}`
    return this.get(
      label,
      purpose('read-usage', 'org'),
      '/orgs/{org}/actions/cache/usage',
      { org },
      d => totals(d, label)
    )
  }

  listRepoUsage(org: string, page: number, perPage: number): Promise<RepoUsagePage> {
    const label = `read cache usage by repository of organization ${org} (page ${page})`
    return callApi(this.governor, {
      method: 'GET',
      label,
      purpose: purpose('read-usage', 'org'),
      send: ctx =>
        this.octokit.request('GET /orgs/{org}/actions/cache/usage-by-repository', {
          org,
          page,
          per_page: perPage,
          request: { signal: ctx.signal }
        }),
      shape: (data, headers) => {
        const d = object(data, label)
        if (!Array.isArray(d.repository_cache_usages)) {
          throw invalid(label, 'no repository_cache_usages')
        }
        const repositories = d.repository_cache_usages.map(r => repoUsage(r, label))
        const totalCount = isCount(d.total_count) ? d.total_count : repositories.length
        return { totalCount, repositories, hasNext: hasNextLink(headers.link) }
      }
    })
  }

  getEnterpriseUsage(enterprise: string): Promise<UsageFigures> {
    const label = `read cache usage of enterprise ${enterprise}`
    return this.get(
      label,
      purpose('read-usage', 'enterprise'),
      '/enterprises/{enterprise}/actions/cache/usage',
      { enterprise },
      d => totals(d, label)
    )
  }

  getUsagePolicy(target: PolicyTarget): Promise<UsagePolicy> {
    const label = `read the cache usage policy of ${describeTarget(target)}`
    const { path, params } = policyPrefix(target)
    return this.get(
      label,
      purpose('read-limits', target.kind),
      `${path}/actions/cache/usage-policy`,
      params,
      data => {
        const d = object(data, label)
        if (!isCount(d.repo_cache_size_limit_in_gb)) {
          throw invalid(label, 'no repo_cache_size_limit_in_gb')
        }
        if (target.kind === 'enterprise' && !isCount(d.max_repo_cache_size_limit_in_gb)) {
          throw invalid(label, 'no max_repo_cache_size_limit_in_gb')
        }
        return {
          repoCacheSizeLimitGb: d.repo_cache_size_limit_in_gb,
          ...(isCount(d.max_repo_cache_size_limit_in_gb)
            ? { maxRepoCacheSizeLimitGb: d.max_repo_cache_size_limit_in_gb }
            : {})
        }
      }
    )
  }

  setUsagePolicy(target: PolicyTarget, policy: Partial<UsagePolicy>): Promise<void> {
    const label = `set the cache usage policy of ${describeTarget(target)}`
    const { path, params } = policyPrefix(target)
    return this.write(
      'PATCH',
      label,
      purpose('set-limits', target.kind),
      `${path}/actions/cache/usage-policy`,
      {
        ...params,
        ...(policy.repoCacheSizeLimitGb !== undefined
          ? { repo_cache_size_limit_in_gb: policy.repoCacheSizeLimitGb }
          : {}),
        ...(policy.maxRepoCacheSizeLimitGb !== undefined
          ? { max_repo_cache_size_limit_in_gb: policy.maxRepoCacheSizeLimitGb }
          : {})
      }
    )
  }

  getLimit(target: AdminTarget, kind: LimitKind): Promise<number> {
    const label = `read the cache ${LIMIT_PATH[kind]} of ${describeTarget(target)}`
    const { path, params } = limitPrefix(target)
    const field = LIMIT_FIELD[kind]
    return this.get(
      label,
      purpose('read-limits', target.kind),
      `${path}/actions/cache/${LIMIT_PATH[kind]}`,
      params,
      data => {
        const v = object(data, label)[field]
        if (!isCount(v)) throw invalid(label, `no ${field}`)
        return v
      }
    )
  }

  setLimit(target: AdminTarget, kind: LimitKind, value: number): Promise<void> {
    const label = `set the cache ${LIMIT_PATH[kind]} of ${describeTarget(target)}`
    const { path, params } = limitPrefix(target)
    return this.write(
      'PUT',
      label,
      purpose('set-limits', target.kind),
      `${path}/actions/cache/${LIMIT_PATH[kind]}`,
      {
        ...params,
        [LIMIT_FIELD[kind]]: value
      }
    )
  }
}
