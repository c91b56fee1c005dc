// The adapter for GitHub's cache usage and cache limit endpoints: usage of a
// repository, an organization (total and per repository) and an enterprise;
// the GHES usage policy; the github.com retention and storage limits at all
// three scopes. Every call runs through the Governor (via callApi) and every
// body is checked before it becomes a domain value.

import type { RepoUsage, RepoUsagePage, UsageFigures } from './ports.js'
import type { RepoName } from '../engine/cache.js'
import { callApi, hasNextLink, invalid, type Octokit } from './cache-api.js'
import type { Governor } from './governor.js'

/** Whom a usage report or a limit is about. */
export type AdminTarget =
  | { readonly kind: 'repo'; readonly owner: string; readonly repo: string }
  | { readonly kind: 'org'; readonly org: string }
  | { readonly kind: 'enterprise'; readonly enterprise: string }

/** The GHES usage policy; an enterprise also has the most a repository may be given. */
export interface UsagePolicy {
  /** gigabytes */
  readonly repoCacheSizeLimitGb: number
  /** gigabytes; enterprises only */
  readonly maxRepoCacheSizeLimitGb?: number
}

/** The github.com limits: `retention` is days, `storage` gigabytes. */
export type LimitKind = 'retention' | 'storage'

export interface AdminApi {
  getRepoUsage(repo: RepoName): Promise<RepoUsage>
  getOrgUsage(org: string): Promise<UsageFigures>
  /** one page of GET /orgs/{org}/actions/cache/usage-by-repository */
  listRepoUsage(org: string, page: number, perPage: number): Promise<RepoUsagePage>
  getEnterpriseUsage(enterprise: string): Promise<UsageFigures>
  /** GHES only: a repository or an enterprise */
  getUsagePolicy(target: PolicyTarget): Promise<UsagePolicy>
  setUsagePolicy(target: PolicyTarget, policy: Partial<UsagePolicy>): Promise<void>
  /** github.com only: any of the three scopes */
  getLimit(target: AdminTarget, kind: LimitKind): Promise<number>
  setLimit(target: AdminTarget, kind: LimitKind, value: number): Promise<void>
}

export type PolicyTarget = Exclude<AdminTarget, { kind: 'org' }>

export const describeTarget = (t: AdminTarget): string =>
  t.kind === 'repo'
    ? `repository ${t.owner}/${t.repo}`
    : t.kind === 'org'
      ? `organization ${t.org}`
      : `enterprise ${t.enterprise}`

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
  if (
    typeof d.full_name !== 'string' ||
    !isCount(d.active_caches_size_in_bytes) ||
    !isCount(d.active_caches_count)
  ) {
    throw invalid(label, 'a repository usage without full_name/active_caches_size_in_bytes/count')
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
    route: string,
    params: object,
    shape: (d: unknown) => T
  ): Promise<T> {
    return callApi(
      this.governor,
      'GET',
      label,
      ctx => this.octokit.request(`GET ${route}`, { ...params, request: { signal: ctx.signal } }),
      data => shape(data)
    )
  }

  private write(
    method: 'PUT' | 'PATCH',
    label: string,
    route: string,
    params: object
  ): Promise<void> {
    return callApi(
      this.governor,
      method,
      label,
      ctx =>
        this.octokit.request(`${method} ${route}`, { ...params, request: { signal: ctx.signal } }),
      () => undefined
    )
  }

  getRepoUsage(repo: RepoName): Promise<RepoUsage> {
    const label = `read cache usage of ${repo.owner}/${repo.repo}`
    return this.get(
      label,
      '/repos/{owner}/{repo}/actions/cache/usage',
      { owner: repo.owner, repo: repo.repo },
      d => repoUsage(d, label)
    )
  }

  getOrgUsage(org: string): Promise<UsageFigures> {
    const label = `read cache usage of organization ${org}`
    return this.get(label, '/orgs/{org}/actions/cache/usage', { org }, d => totals(d, label))
  }

  listRepoUsage(org: string, page: number, perPage: number): Promise<RepoUsagePage> {
    const label = `read cache usage by repository of organization ${org} (page ${page})`
    return callApi(
      this.governor,
      'GET',
      label,
      ctx =>
        this.octokit.request('GET /orgs/{org}/actions/cache/usage-by-repository', {
          org,
          page,
          per_page: perPage,
          request: { signal: ctx.signal }
        }),
      (data, headers) => {
        const d = object(data, label)
        if (!Array.isArray(d.repository_cache_usages)) {
          throw invalid(label, 'no repository_cache_usages')
        }
        const repositories = d.repository_cache_usages.map(r => repoUsage(r, label))
        const totalCount = isCount(d.total_count) ? d.total_count : repositories.length
        return { totalCount, repositories, hasNext: hasNextLink(headers.link) }
      }
    )
  }

  getEnterpriseUsage(enterprise: string): Promise<UsageFigures> {
    const label = `read cache usage of enterprise ${enterprise}`
    return this.get(label, '/enterprises/{enterprise}/actions/cache/usage', { enterprise }, d =>
      totals(d, label)
    )
  }

  getUsagePolicy(target: PolicyTarget): Promise<UsagePolicy> {
    const label = `read the cache usage policy of ${describeTarget(target)}`
    const { path, params } = policyPrefix(target)
    return this.get(label, `${path}/actions/cache/usage-policy`, params, data => {
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
    })
  }

  setUsagePolicy(target: PolicyTarget, policy: Partial<UsagePolicy>): Promise<void> {
    const label = `set the cache usage policy of ${describeTarget(target)}`
    const { path, params } = policyPrefix(target)
    return this.write('PATCH', label, `${path}/actions/cache/usage-policy`, {
      ...params,
      ...(policy.repoCacheSizeLimitGb !== undefined
        ? { repo_cache_size_limit_in_gb: policy.repoCacheSizeLimitGb }
        : {}),
      ...(policy.maxRepoCacheSizeLimitGb !== undefined
        ? { max_repo_cache_size_limit_in_gb: policy.maxRepoCacheSizeLimitGb }
        : {})
    })
  }

  getLimit(target: AdminTarget, kind: LimitKind): Promise<number> {
    const label = `read the cache ${LIMIT_PATH[kind]} of ${describeTarget(target)}`
    const { path, params } = limitPrefix(target)
    const field = LIMIT_FIELD[kind]
    return this.get(label, `${path}/actions/cache/${LIMIT_PATH[kind]}`, params, data => {
      const v = object(data, label)[field]
      if (!isCount(v)) throw invalid(label, `no ${field}`)
      return v
    })
  }

  setLimit(target: AdminTarget, kind: LimitKind, value: number): Promise<void> {
    const label = `set the cache ${LIMIT_PATH[kind]} of ${describeTarget(target)}`
    const { path, params } = limitPrefix(target)
    return this.write('PUT', label, `${path}/actions/cache/${LIMIT_PATH[kind]}`, {
      ...params,
      [LIMIT_FIELD[kind]]: value
    })
  }
}

/** Which family of limit endpoints a server has. */
export type ApiFamily = 'github.com' | 'ghes'

/**
 * GHES serves its REST API under `/api/v3` (GitHub's docs give
 * `https://HOST/api/v3`, and the runner puts exactly that in GITHUB_API_URL);
 * github.com and GHE.com data residency (`api.SUBDOMAIN.ghe.com`) serve it at
 * the root. So the path decides. A host that is neither api.github.com nor a
 * ghe.com host but serves at the root (a proxy, a local fake) is treated as
 * github.com, because that is the layout it serves.
 */
export function detectFamily(apiUrl: string): ApiFamily {
  let path: string
  try {
    path = new URL(apiUrl).pathname
  } catch {
    path = apiUrl
  }
  return /\/api\/v3\/*$/.test(path) ? 'ghes' : 'github.com'
}
