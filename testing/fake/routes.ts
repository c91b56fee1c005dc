// The fake's route table: every operation it serves, with the OpenAPI path
// template, the modes that have it, who may call it, and its handler. The
// server resolves the repository/organisation/enterprise and checks the
// permission before a handler runs; handlers validate their own parameters.

import type { ApiCache } from './wire.js'
import {
  branchJson,
  cacheJson,
  errorBody,
  fullRepoJson,
  gitRefJson,
  pullJson,
  pullSimpleJson,
  shortBranchJson,
  type Bases
} from './shapes.js'
import type { FakeStore, RepoState } from './store.js'
import type { Mode, TokenGrant } from './types.js'

interface RouteContext {
  method: string
  params: Record<string, string>
  query: URLSearchParams
  /** absolute URL of the request without its query, exactly as requested (for Link headers) */
  selfUrl: string
  bases: Bases
  body: unknown
  grant: TokenGrant
  /** resolved for repository routes */
  repo: RepoState | undefined
  store: FakeStore
  settings: {
    mode: Mode
    deleteByKeyMatch: 'exact' | 'prefix'
    keyFilterCaseInsensitive: boolean
    fractionalSeconds: boolean
  }
  /** the server records every cache a handler removes */
  removed(cache: ApiCache, via: 'id' | 'key'): void
}

export interface RouteResult {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

type Scope = 'repo' | 'org' | 'enterprise'

export interface Route {
  method: 'GET' | 'DELETE' | 'PATCH' | 'PUT'
  /** OpenAPI path template; a trailing multi-segment parameter is marked by `multi` */
  template: string
  multi?: boolean
  modes: readonly Mode[]
  scope: Scope
  allowed(g: TokenGrant): boolean
  /** x-accepted-github-permissions on a 403 */
  accepted: string
  docs: string
  handle(ctx: RouteContext): RouteResult
}

const BOTH: readonly Mode[] = ['dotcom', 'ghes']
const DOTCOM: readonly Mode[] = ['dotcom']
const GHES: readonly Mode[] = ['ghes']

const actionsRead = (g: TokenGrant): boolean => g.actions === 'read' || g.actions === 'write'
const actionsWrite = (g: TokenGrant): boolean => g.actions === 'write'
const repoAdmin = (g: TokenGrant): boolean => g.administration === 'write' || g.orgAdmin === true
const contentsRead = (g: TokenGrant): boolean => g.contents === 'read'
const pullsRead = (g: TokenGrant): boolean => g.pullRequests === 'read'
const orgAdmin = (g: TokenGrant): boolean => g.orgAdmin === true
const enterpriseAdmin = (g: TokenGrant): boolean => g.enterpriseAdmin === true

const CACHE_DOCS = 'https://docs.github.com/rest/actions/cache'

// ---- parameter validation ---------------------------------------------------

export class ValidationProblem extends Error {
  constructor(
    message: string,
    readonly status: 400 | 422 = 422,
    readonly field?: string
  ) {
    super(message)
  }
}

const isDigits = (s: string): boolean => /^\d+$/.test(s)

function paging(query: URLSearchParams): { perPage: number; page: number } {
  const rawPer = query.get('per_page')
  const rawPage = query.get('page')
  let perPage = 30
  if (rawPer !== null && rawPer !== '') {
    if (!isDigits(rawPer) || Number(rawPer) < 1) {
      throw new ValidationProblem(`Invalid per_page: ${rawPer}`, 422, 'per_page')
    }
    perPage = Math.min(100, Number(rawPer))
  }
  let page = 1
  if (rawPage !== null && rawPage !== '') {
    if (!isDigits(rawPage) || Number(rawPage) < 1) {
      throw new ValidationProblem(`Invalid page: ${rawPage}`, 422, 'page')
    }
    page = Number(rawPage)
  }
  return { perPage, page }
}

function oneOf<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
  fallback: T
): T {
  const v = query.get(name)
  if (v === null || v === '') return fallback
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ValidationProblem(`Invalid ${name}: must be one of ${allowed.join(', ')}`, 422, name)
  }
  return v as T
}

/** Link header for offset pagination; undefined when one page holds everything. */
function linkHeader(
  selfUrl: string,
  query: URLSearchParams,
  page: number,
  perPage: number,
  total: number
): string | undefined {
  const last = Math.max(1, Math.ceil(total / perPage))
  if (last <= 1 && page <= 1) return undefined
  const at = (p: number): string => {
    const q = new URLSearchParams(query)
    q.set('page', String(p))
    return `<${selfUrl}?${q.toString()}>`
  }
  const parts: string[] = []
  if (page > 1) parts.push(`${at(Math.min(page - 1, last))}; rel="prev"`)
  if (page < last) parts.push(`${at(page + 1)}; rel="next"`)
  if (page < last) parts.push(`${at(last)}; rel="last"`)
  if (page > 1) parts.push(`${at(1)}; rel="first"`)
  return parts.length > 0 ? parts.join(', ') : undefined
}

function paginate<T>(
  ctx: RouteContext,
  items: readonly T[]
): { slice: T[]; headers: Record<string, string> } {
  const { perPage, page } = paging(ctx.query)
  const slice = items.slice((page - 1) * perPage, page * perPage)
  const link = linkHeader(ctx.selfUrl, ctx.query, page, perPage, items.length)
  return { slice, headers: link ? { link } : {} }
}

function readInteger(
  body: unknown,
  field: string,
  min: number,
  max: number,
  status: 400 | 422,
  required = true
): number | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationProblem('Invalid request body: expected a JSON object', status)
  }
  const v = (body as Record<string, unknown>)[field]
  if (v === undefined) {
    if (required) throw new ValidationProblem(`Missing required field ${field}`, status, field)
    return undefined
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ValidationProblem(`${field} must be an integer`, status, field)
  }
  if (v < min || v > max) {
    throw new ValidationProblem(`${field} must be between ${min} and ${max}`, status, field)
  }
  return v
}

const notFound = (): RouteResult => ({ status: 404, body: errorBody('Not Found', 404) })
const repoOf = (ctx: RouteContext): RepoState => ctx.repo as RepoState

// ---- caches ----------------------------------------------------------------

type SortField = 'created_at' | 'last_accessed_at' | 'size_in_bytes'

/**
 * The last sorted listing of each repository. A client reading a repository
 * of 100,000 caches asks for 1,000 pages of the same listing; sorting it anew
 * for each would make the fake, not the client, the slowest part of a
 * benchmark. Reused only for the same query while every cache is the same
 * object, in the same place, with the same sort value, ref and key (checked
 * on each use, in one pass without allocation).
 */
interface SortedListing {
  readonly query: string
  readonly source: ApiCache[]
  readonly items: readonly ApiCache[]
  readonly values: readonly unknown[]
  readonly sorted: readonly ApiCache[]
}
const sortedListings = new WeakMap<RepoState, SortedListing>()

function lastSorted(
  repo: RepoState,
  query: string,
  sort: SortField
): readonly ApiCache[] | undefined {
  const memo = sortedListings.get(repo)
  const caches = repo.caches
  if (!memo || memo.query !== query || memo.source !== caches) return undefined
  if (caches.length !== memo.items.length) return undefined
  for (let i = 0; i < caches.length; i++) {
    const c = caches[i]
    if (c !== memo.items[i] || c[sort] !== memo.values[3 * i]) return undefined
    if (c.ref !== memo.values[3 * i + 1] || c.key !== memo.values[3 * i + 2]) return undefined
  }
  return memo.sorted
}

function sortCaches(
  repo: RepoState,
  query: string,
  filtered: readonly ApiCache[],
  sort: SortField,
  direction: string
): readonly ApiCache[] {
  const value = (c: ApiCache): number =>
    sort === 'size_in_bytes' ? c.size_in_bytes : Date.parse(c[sort])
  const sign = direction === 'asc' ? 1 : -1
  const sorted = filtered
    .map(c => ({ c, v: value(c) }))
    .sort((a, b) => (a.v !== b.v ? (a.v - b.v) * sign : (a.c.id - b.c.id) * sign))
    .map(x => x.c)
  const items = [...repo.caches]
  const values = items.flatMap(c => [c[sort], c.ref, c.key])
  sortedListings.set(repo, { query, source: repo.caches, items, values, sorted })
  return sorted
}

function listCaches(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const { perPage, page } = paging(ctx.query)
  const sort = oneOf<SortField>(
    ctx.query,
    'sort',
    ['created_at', 'last_accessed_at', 'size_in_bytes'],
    'last_accessed_at'
  )
  const direction = oneOf(ctx.query, 'direction', ['asc', 'desc'], 'desc')
  const ref = ctx.query.get('ref')
  const key = ctx.query.get('key')
  const fold = ctx.settings.keyFilterCaseInsensitive
  const wanted = key ? (fold ? key.toLowerCase() : key) : undefined
  const matches = (c: ApiCache): boolean =>
    (ref === null || ref === '' || c.ref === ref) &&
    (wanted === undefined || (fold ? c.key.toLowerCase() : c.key).startsWith(wanted))
  const query = `${sort} ${direction} ${ref ?? ''} ${String(wanted)} ${fold}`
  const sorted =
    lastSorted(repo, query, sort) ??
    sortCaches(repo, query, repo.caches.filter(matches), sort, direction)
  const slice = sorted.slice((page - 1) * perPage, page * perPage)
  const link = linkHeader(ctx.selfUrl, ctx.query, page, perPage, sorted.length)
  return {
    status: 200,
    body: {
      total_count: sorted.length,
      actions_caches: slice.map(c => cacheJson(c, ctx.settings.fractionalSeconds))
    },
    headers: link ? { link } : {}
  }
}

function deleteCachesByKey(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const key = ctx.query.get('key')
  if (key === null || key === '') {
    throw new ValidationProblem('Missing required query parameter key', 422, 'key')
  }
  const ref = ctx.query.get('ref')
  const prefix = ctx.settings.deleteByKeyMatch === 'prefix'
  const matches = (c: ApiCache): boolean =>
    (prefix ? c.key.startsWith(key) : c.key === key) && (!ref || c.ref === ref)
  const victims = repo.caches.filter(matches)
  if (victims.length === 0) return notFound()
  repo.caches = repo.caches.filter(c => !matches(c))
  for (const c of victims) ctx.removed(c, 'key')
  return {
    status: 200,
    body: {
      total_count: victims.length,
      actions_caches: victims.map(c => cacheJson(c, ctx.settings.fractionalSeconds))
    }
  }
}

function deleteCacheById(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const raw = ctx.params.cache_id
  if (!isDigits(raw)) return notFound()
  const id = Number(raw)
  const i = repo.caches.findIndex(c => c.id === id)
  if (i < 0) return notFound()
  const [removed] = repo.caches.splice(i, 1)
  ctx.removed(removed, 'id')
  return { status: 204 }
}

function repoUsage(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const u = ctx.store.usage(repo.fullName)
  return {
    status: 200,
    body: {
      full_name: repo.fullName,
      active_caches_size_in_bytes: u.sizeInBytes,
      active_caches_count: u.count
    }
  }
}

function totals(store: FakeStore, repos: readonly string[]) {
  let size = 0
  let count = 0
  for (const r of repos) {
    const u = store.usage(r)
    size += u.sizeInBytes
    count += u.count
  }
  return { total_active_caches_size_in_bytes: size, total_active_caches_count: count }
}

const orgUsage = (ctx: RouteContext): RouteResult => ({
  status: 200,
  body: totals(ctx.store, ctx.store.orgRepos(ctx.params.org))
})

function orgUsageByRepo(ctx: RouteContext): RouteResult {
  const usages = ctx.store
    .orgRepos(ctx.params.org)
    .map(name => ({ name, u: ctx.store.usage(name) }))
    .filter(x => x.u.count > 0)
    .map(x => ({
      full_name: x.name,
      active_caches_size_in_bytes: x.u.sizeInBytes,
      active_caches_count: x.u.count
    }))
  const { slice, headers } = paginate(ctx, usages)
  return {
    status: 200,
    body: { total_count: usages.length, repository_cache_usages: slice },
    headers
  }
}

function enterpriseUsage(ctx: RouteContext): RouteResult {
  const repos = ctx.store.enterpriseOrgs(ctx.params.enterprise).flatMap(o => ctx.store.orgRepos(o))
  return { status: 200, body: totals(ctx.store, repos) }
}

// ---- limits ------------------------------------------------------------------

const MAX_RETENTION_DAYS = 365
const MAX_STORAGE_GB = 10_000

function ghesRepoPolicyGet(ctx: RouteContext): RouteResult {
  return {
    status: 200,
    body: { repo_cache_size_limit_in_gb: repoOf(ctx).limits.repoCacheSizeLimitInGb }
  }
}

function enterpriseMaxFor(ctx: RouteContext, repo: RepoState): number {
  const e = ctx.store.enterpriseOfOrg(repo.owner)
  return (e && ctx.store.enterpriseLimitsOf(e)?.maxRepoCacheSizeLimitInGb) || 25
}

function ghesRepoPolicyPatch(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const max = enterpriseMaxFor(ctx, repo)
  const v = readInteger(ctx.body, 'repo_cache_size_limit_in_gb', 1, max, 422) as number
  repo.limits.repoCacheSizeLimitInGb = v
  return { status: 204 }
}

function ghesEnterprisePolicyGet(ctx: RouteContext): RouteResult {
  const l = ctx.store.enterpriseLimitsOf(ctx.params.enterprise)
  if (!l) return notFound()
  return {
    status: 200,
    body: {
      repo_cache_size_limit_in_gb: l.repoCacheSizeLimitInGb,
      max_repo_cache_size_limit_in_gb: l.maxRepoCacheSizeLimitInGb
    }
  }
}

function ghesEnterprisePolicyPatch(ctx: RouteContext): RouteResult {
  const l = ctx.store.enterpriseLimitsOf(ctx.params.enterprise)
  if (!l) return notFound()
  const repoLimit = readInteger(ctx.body, 'repo_cache_size_limit_in_gb', 1, 10_000, 422, false)
  const maxLimit = readInteger(ctx.body, 'max_repo_cache_size_limit_in_gb', 1, 10_000, 422, false)
  if (repoLimit === undefined && maxLimit === undefined) {
    throw new ValidationProblem(
      'Provide repo_cache_size_limit_in_gb or max_repo_cache_size_limit_in_gb',
      422
    )
  }
  const newMax = maxLimit ?? l.maxRepoCacheSizeLimitInGb
  const newRepo = repoLimit ?? l.repoCacheSizeLimitInGb
  if (newRepo > newMax) {
    throw new ValidationProblem(
      'repo_cache_size_limit_in_gb cannot exceed max_repo_cache_size_limit_in_gb',
      422,
      'repo_cache_size_limit_in_gb'
    )
  }
  l.maxRepoCacheSizeLimitInGb = newMax
  l.repoCacheSizeLimitInGb = newRepo
  return { status: 204 }
}

type LimitField = 'max_cache_retention_days' | 'max_cache_size_gb'
interface LimitHolder {
  maxCacheRetentionDays: number
  maxCacheSizeGb: number
}

const limitProp = (f: LimitField): keyof LimitHolder =>
  f === 'max_cache_retention_days' ? 'maxCacheRetentionDays' : 'maxCacheSizeGb'
const limitMax = (f: LimitField): number =>
  f === 'max_cache_retention_days' ? MAX_RETENTION_DAYS : MAX_STORAGE_GB

function limitHolder(ctx: RouteContext, scope: Scope): LimitHolder | undefined {
  if (scope === 'repo') return repoOf(ctx).limits
  if (scope === 'org') return ctx.store.orgLimitsOf(ctx.params.org)
  return ctx.store.enterpriseLimitsOf(ctx.params.enterprise)
}

const getLimit =
  (scope: Scope, field: LimitField) =>
  (ctx: RouteContext): RouteResult => {
    const h = limitHolder(ctx, scope)
    if (!h) return notFound()
    return { status: 200, body: { [field]: h[limitProp(field)] } }
  }

// The spec declares 400 (bad_request) for invalid PUT bodies of these operations.
const putLimit =
  (scope: Scope, field: LimitField) =>
  (ctx: RouteContext): RouteResult => {
    const h = limitHolder(ctx, scope)
    if (!h) return notFound()
    let max = limitMax(field)
    if (scope === 'repo' && field === 'max_cache_retention_days' && !repoOf(ctx).private) max = 90
    h[limitProp(field)] = readInteger(ctx.body, field, 1, max, 400) as number
    return { status: 204 }
  }

// ---- pull requests, branches, refs -------------------------------------------

function listPulls(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const state = oneOf(ctx.query, 'state', ['open', 'closed', 'all'], 'open')
  const sort = oneOf(
    ctx.query,
    'sort',
    ['created', 'updated', 'popularity', 'long-running'],
    'created'
  )
  const direction = oneOf(
    ctx.query,
    'direction',
    ['asc', 'desc'],
    sort === 'created' ? 'desc' : 'asc'
  )
  const head = ctx.query.get('head')
  const base = ctx.query.get('base')
  const headRef = head ? head.slice(head.indexOf(':') + 1) : undefined
  const sign = direction === 'asc' ? 1 : -1
  const field = sort === 'updated' ? 'updated_at' : 'created_at'
  const pulls = [...repo.pulls.values()]
    .filter(p => state === 'all' || p.state === state)
    .filter(p => headRef === undefined || p.head.ref === headRef)
    .filter(p => !base || p.base.ref === base)
    .map(p => ({ p, v: Date.parse(p[field]) }))
    .sort((a, b) => (a.v !== b.v ? (a.v - b.v) * sign : (a.p.number - b.p.number) * sign))
    .map(x => x.p)
  const { slice, headers } = paginate(ctx, pulls)
  return { status: 200, body: slice.map(p => pullSimpleJson(ctx.bases, repo, p)), headers }
}

function getPull(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const raw = ctx.params.pull_number
  const pull = isDigits(raw) ? repo.pulls.get(Number(raw)) : undefined
  if (!pull) return notFound()
  return { status: 200, body: pullJson(ctx.bases, repo, pull) }
}

function listBranches(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const prot = ctx.query.get('protected')
  const branches = [...repo.branches.values()]
    .filter(b => prot === null || prot === '' || b.protected === (prot === 'true' || prot === '1'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const { slice, headers } = paginate(ctx, branches)
  return { status: 200, body: slice.map(b => shortBranchJson(ctx.bases, repo, b)), headers }
}

function getBranch(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const b = repo.branches.get(ctx.params.branch)
  if (!b) {
    return { status: 404, body: errorBody('Branch not found', 404) }
  }
  return { status: 200, body: branchJson(ctx.bases, repo, b) }
}

/** All refs of the repository that the fake knows: heads and tags, sorted. */
function allRefs(repo: RepoState): { ref: string; sha: string }[] {
  const refs = [
    ...[...repo.branches.values()].map(b => ({ ref: `refs/heads/${b.name}`, sha: b.sha })),
    ...[...repo.tags.values()].map(t => ({ ref: `refs/tags/${t.name}`, sha: t.sha }))
  ]
  return refs.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))
}

function matchingRefs(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const prefix = `refs/${ctx.params.ref}`
  const refs = allRefs(repo).filter(r => r.ref.startsWith(prefix))
  return { status: 200, body: refs.map(r => gitRefJson(ctx.bases, repo, r.ref, r.sha)) }
}

function getRepository(ctx: RouteContext): RouteResult {
  return { status: 200, body: fullRepoJson(ctx.bases, repoOf(ctx)) }
}

function getRef(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx)
  const full = `refs/${ctx.params.ref}`
  const found = allRefs(repo).find(r => r.ref === full)
  if (!found) return notFound()
  return { status: 200, body: gitRefJson(ctx.bases, repo, found.ref, found.sha) }
}

// ---- the table -----------------------------------------------------------------

const R = '/repos/{owner}/{repo}'

const limitRoutes = (
  prefix: string,
  scope: Scope,
  modes: readonly Mode[],
  readAllowed: (g: TokenGrant) => boolean,
  writeAllowed: (g: TokenGrant) => boolean,
  accepted: string
): Route[] =>
  (
    [
      ['retention-limit', 'max_cache_retention_days'],
      ['storage-limit', 'max_cache_size_gb']
    ] as const
  ).flatMap(([name, field]) => [
    {
      method: 'GET' as const,
      template: `${prefix}/actions/cache/${name}`,
      modes,
      scope,
      allowed: readAllowed,
      accepted,
      docs: CACHE_DOCS,
      handle: getLimit(scope, field)
    },
    {
      method: 'PUT' as const,
      template: `${prefix}/actions/cache/${name}`,
      modes,
      scope,
      allowed: writeAllowed,
      accepted,
      docs: CACHE_DOCS,
      handle: putLimit(scope, field)
    }
  ])

export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    template: R,
    modes: BOTH,
    scope: 'repo',
    // metadata: any token that can see the repository may read it
    allowed: () => true,
    accepted: 'metadata=read',
    docs: 'https://docs.github.com/rest/repos/repos#get-a-repository',
    handle: getRepository
  },
  {
    method: 'GET',
    template: `${R}/actions/caches`,
    modes: BOTH,
    scope: 'repo',
    allowed: actionsRead,
    accepted: 'actions=read',
    docs: `${CACHE_DOCS}#list-github-actions-caches-for-a-repository`,
    handle: listCaches
  },
  {
    method: 'DELETE',
    template: `${R}/actions/caches`,
    modes: BOTH,
    scope: 'repo',
    allowed: actionsWrite,
    accepted: 'actions=write',
    docs: `${CACHE_DOCS}#delete-github-actions-caches-for-a-repository-using-a-cache-key`,
    handle: deleteCachesByKey
  },
  {
    method: 'DELETE',
    template: `${R}/actions/caches/{cache_id}`,
    modes: BOTH,
    scope: 'repo',
    allowed: actionsWrite,
    accepted: 'actions=write',
    docs: `${CACHE_DOCS}#delete-a-github-actions-cache-for-a-repository-using-a-cache-id`,
    handle: deleteCacheById
  },
  {
    method: 'GET',
    template: `${R}/actions/cache/usage`,
    modes: BOTH,
    scope: 'repo',
    allowed: actionsRead,
    accepted: 'actions=read',
    docs: `${CACHE_DOCS}#get-github-actions-cache-usage-for-a-repository`,
    handle: repoUsage
  },
  {
    method: 'GET',
    template: '/orgs/{org}/actions/cache/usage',
    modes: BOTH,
    scope: 'org',
    allowed: orgAdmin,
    accepted: 'organization_administration=read',
    docs: `${CACHE_DOCS}#get-github-actions-cache-usage-for-an-organization`,
    handle: orgUsage
  },
  {
    method: 'GET',
    template: '/orgs/{org}/actions/cache/usage-by-repository',
    modes: BOTH,
    scope: 'org',
    allowed: orgAdmin,
    accepted: 'organization_administration=read',
    docs: `${CACHE_DOCS}#list-repositories-with-github-actions-cache-usage-for-an-organization`,
    handle: orgUsageByRepo
  },
  {
    method: 'GET',
    template: '/enterprises/{enterprise}/actions/cache/usage',
    modes: BOTH,
    scope: 'enterprise',
    allowed: enterpriseAdmin,
    accepted: 'enterprise_administration=read',
    docs: `${CACHE_DOCS}#get-github-actions-cache-usage-for-an-enterprise`,
    handle: enterpriseUsage
  },
  {
    method: 'GET',
    template: `${R}/actions/cache/usage-policy`,
    modes: GHES,
    scope: 'repo',
    allowed: actionsRead,
    accepted: 'actions=read',
    docs: `${CACHE_DOCS}#get-github-actions-cache-usage-policy-for-a-repository`,
    handle: ghesRepoPolicyGet
  },
  {
    method: 'PATCH',
    template: `${R}/actions/cache/usage-policy`,
    modes: GHES,
    scope: 'repo',
    allowed: repoAdmin,
    accepted: 'administration=write',
    docs: `${CACHE_DOCS}#set-github-actions-cache-usage-policy-for-a-repository`,
    handle: ghesRepoPolicyPatch
  },
  {
    method: 'GET',
    template: '/enterprises/{enterprise}/actions/cache/usage-policy',
    modes: GHES,
    scope: 'enterprise',
    allowed: enterpriseAdmin,
    accepted: 'enterprise_administration=read',
    docs: `${CACHE_DOCS}#get-github-actions-cache-usage-policy-for-an-enterprise`,
    handle: ghesEnterprisePolicyGet
  },
  {
    method: 'PATCH',
    template: '/enterprises/{enterprise}/actions/cache/usage-policy',
    modes: GHES,
    scope: 'enterprise',
    allowed: enterpriseAdmin,
    accepted: 'enterprise_administration=write',
    docs: `${CACHE_DOCS}#set-github-actions-cache-usage-policy-for-an-enterprise`,
    handle: ghesEnterprisePolicyPatch
  },
  ...limitRoutes(R, 'repo', DOTCOM, actionsRead, repoAdmin, 'administration=write'),
  ...limitRoutes(
    '/organizations/{org}',
    'org',
    DOTCOM,
    orgAdmin,
    orgAdmin,
    'organization_administration=write'
  ),
  ...limitRoutes(
    '/enterprises/{enterprise}',
    'enterprise',
    DOTCOM,
    enterpriseAdmin,
    enterpriseAdmin,
    'enterprise_administration=write'
  ),
  {
    method: 'GET',
    template: `${R}/pulls`,
    modes: BOTH,
    scope: 'repo',
    allowed: pullsRead,
    accepted: 'pull_requests=read',
    docs: 'https://docs.github.com/rest/pulls/pulls#list-pull-requests',
    handle: listPulls
  },
  {
    method: 'GET',
    template: `${R}/pulls/{pull_number}`,
    modes: BOTH,
    scope: 'repo',
    allowed: pullsRead,
    accepted: 'pull_requests=read',
    docs: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request',
    handle: getPull
  },
  {
    method: 'GET',
    template: `${R}/branches`,
    modes: BOTH,
    scope: 'repo',
    allowed: contentsRead,
    accepted: 'contents=read',
    docs: 'https://docs.github.com/rest/branches/branches#list-branches',
    handle: listBranches
  },
  {
    method: 'GET',
    template: `${R}/branches/{branch}`,
    multi: true,
    modes: BOTH,
    scope: 'repo',
    allowed: contentsRead,
    accepted: 'contents=read',
    docs: 'https://docs.github.com/rest/branches/branches#get-a-branch',
    handle: getBranch
  },
  {
    method: 'GET',
    template: `${R}/git/matching-refs/{ref}`,
    multi: true,
    modes: BOTH,
    scope: 'repo',
    allowed: contentsRead,
    accepted: 'contents=read',
    docs: 'https://docs.github.com/rest/git/refs#list-matching-references',
    handle: matchingRefs
  },
  {
    method: 'GET',
    template: `${R}/git/ref/{ref}`,
    multi: true,
    modes: BOTH,
    scope: 'repo',
    allowed: contentsRead,
    accepted: 'contents=read',
    docs: 'https://docs.github.com/rest/git/refs#get-a-reference',
    handle: getRef
  }
]

/** Matches decoded path segments against a route; returns its parameters or undefined. */
export function matchRoute(
  route: Route,
  segments: readonly string[]
): Record<string, string> | undefined {
  const parts = route.template.split('/').slice(1)
  const params: Record<string, string> = {}
  if (route.multi ? segments.length < parts.length : segments.length !== parts.length) {
    return undefined
  }
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]
    const m = /^\{(\w+)\}$/.exec(part)
    if (m) {
      const isLast = i === parts.length - 1
      const value = isLast && route.multi ? segments.slice(i).join('/') : segments[i]
      if (value === '') return undefined
      params[m[1]] = value
    } else if (part !== segments[i]) {
      return undefined
    }
  }
  return params
}
