// The adapter for the cache endpoints: list, delete by id, delete by key. It
// implements CacheApi over Octokit; every body is checked before it becomes a
// domain value, and a 404 on delete means the cache is already gone (or, after
// an attempt whose answer was lost, that the attempt deleted it).

import type { Cache, RepoName } from '../engine/cache.js'
import type { Governor } from './governor.js'
import { callApi, createOctokit, hasNextLink, invalid, type Octokit } from './octokit.js'
import type {
  CacheApi,
  CachePage,
  DeleteOutcome,
  KeyDeletion,
  ListQuery,
  RequestPurpose
} from './ports.js'

/** The REST API's shape of one cache (`actions_caches[]`). */
interface ApiCache {
  id: number
  ref: string
  key: string
  version?: string
  last_accessed_at: string
  created_at: string
  size_in_bytes: number
}

/** Converts the API's shape; timestamps may carry 7-digit fractions, which Date.parse accepts. */
export function fromApi(c: ApiCache): Cache {
  const lastAccessedAt = Date.parse(c.last_accessed_at)
  const createdAt = Date.parse(c.created_at)
  if (!Number.isFinite(lastAccessedAt) || !Number.isFinite(createdAt)) {
    throw new Error(`cache ${c.id} has an unreadable timestamp`)
  }
  return {
    id: c.id,
    ref: c.ref,
    key: c.key,
    version: c.version ?? '',
    sizeInBytes: c.size_in_bytes,
    lastAccessedAt,
    createdAt
  }
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0
const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/**
 * What is wrong with one listed cache, or undefined when nothing is. An id is
 * a positive safe integer (it goes into a DELETE's URL), a size a
 * non-negative safe integer (budgets add them up), timestamps are readable.
 */
function flaw(c: unknown): string | undefined {
  if (!c || typeof c !== 'object' || Array.isArray(c)) return 'a cache that is not an object'
  const o = c as Record<string, unknown>
  if (!isId(o.id)) return `a cache id that is not a positive whole number (${String(o.id)})`
  if (typeof o.key !== 'string' || typeof o.ref !== 'string') return `cache ${o.id} without key/ref`
  if (o.version !== undefined && o.version !== null && typeof o.version !== 'string') {
    return `cache ${o.id} with a version that is not text`
  }
  if (!isCount(o.size_in_bytes)) {
    return `cache ${o.id} with a size that is not a whole number of bytes (${String(o.size_in_bytes)})`
  }
  for (const field of ['last_accessed_at', 'created_at'] as const) {
    const at = o[field]
    if (typeof at !== 'string' || !Number.isFinite(Date.parse(at))) {
      return `cache ${o.id} with an unreadable ${field}`
    }
  }
  return undefined
}

function parseCaches(data: unknown, label: string): { total: number; caches: Cache[] } {
  const body = data as { total_count?: unknown; actions_caches?: unknown }
  if (!body || typeof body !== 'object' || !Array.isArray(body.actions_caches)) {
    throw invalid(label, typeof data === 'string' ? 'text instead of JSON' : 'no actions_caches')
  }
  for (const c of body.actions_caches) {
    const wrong = flaw(c)
    if (wrong) throw invalid(label, wrong)
  }
  if (body.total_count !== undefined && !isCount(body.total_count)) {
    throw invalid(label, 'a total_count that is not a whole number')
  }
  const caches = (body.actions_caches as ApiCache[]).map(fromApi)
  const total = isCount(body.total_count) ? body.total_count : caches.length
  return { total, caches }
}

const LIST: RequestPurpose = { operation: 'list-caches', scope: 'repository' }
const DELETE: RequestPurpose = { operation: 'delete-caches', scope: 'repository' }

export interface CacheApiOptions {
  readonly token: string
  /** e.g. https://api.github.com or https://HOST/api/v3 */
  readonly baseUrl: string
  readonly governor: Governor
  readonly userAgent?: string
}

export class GitHubCacheApi implements CacheApi {
  readonly octokit: Octokit
  private readonly governor: Governor

  constructor(options: CacheApiOptions) {
    this.octokit = createOctokit(options.token, options.baseUrl, options.userAgent)
    this.governor = options.governor
  }

  listCaches(repo: RepoName, query: ListQuery): Promise<CachePage> {
    const label = `list caches of ${repo.owner}/${repo.repo} (page ${query.page})`
    return callApi(this.governor, {
      method: 'GET',
      label,
      purpose: LIST,
      send: ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/actions/caches', {
          owner: repo.owner,
          repo: repo.repo,
          per_page: query.perPage,
          page: query.page,
          ...(query.key !== undefined ? { key: query.key } : {}),
          ...(query.ref !== undefined ? { ref: query.ref } : {}),
          ...(query.sort ? { sort: query.sort } : {}),
          ...(query.direction ? { direction: query.direction } : {}),
          request: { signal: ctx.signal }
        }),
      shape: (data, headers) => {
        const { total, caches } = parseCaches(data, label)
        return { totalCount: total, caches, hasNext: hasNextLink(headers.link) }
      }
    })
  }

  deleteCacheById(repo: RepoName, id: number): Promise<DeleteOutcome> {
    return callApi<DeleteOutcome>(this.governor, {
      method: 'DELETE',
      label: `delete cache ${id}`,
      purpose: DELETE,
      send: ctx =>
        this.octokit.request('DELETE /repos/{owner}/{repo}/actions/caches/{cache_id}', {
          owner: repo.owner,
          repo: repo.repo,
          cache_id: id,
          request: { signal: ctx.signal }
        }),
      shape: () => 'deleted',
      onError: (error, ctx) =>
        error.kind === 'not-found'
          ? {
              // A 404 after an attempt that may have gone through: our first attempt deleted it.
              value: ctx.earlierAttemptMayHaveApplied ? 'deleted' : 'already-gone',
              headers: error.headers ?? {}
            }
          : undefined
    })
  }

  deleteCachesByKey(repo: RepoName, key: string, ref?: string): Promise<KeyDeletion> {
    const label = `delete caches with key ${JSON.stringify(key)}${ref ? ` on ${ref}` : ''}`
    return callApi<KeyDeletion>(this.governor, {
      method: 'DELETE',
      label,
      purpose: DELETE,
      send: ctx =>
        this.octokit.request('DELETE /repos/{owner}/{repo}/actions/caches{?key,ref}', {
          owner: repo.owner,
          repo: repo.repo,
          key,
          ...(ref !== undefined ? { ref } : {}),
          request: { signal: ctx.signal }
        }),
      shape: (data, _headers, _status, ctx) => ({
        removed: parseCaches(data, label).caches,
        earlierAttemptMayHaveApplied: ctx.earlierAttemptMayHaveApplied
      }),
      // A 404 is "nothing matches the key", which after a lost attempt may
      // be that attempt's doing.
      onError: (error, ctx) =>
        error.kind === 'not-found'
          ? {
              value: {
                removed: [],
                earlierAttemptMayHaveApplied: ctx.earlierAttemptMayHaveApplied
              },
              headers: error.headers ?? {}
            }
          : undefined
    })
  }
}
