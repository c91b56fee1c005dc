// The only module that imports @actions/github. It builds the Octokit client
// and implements CacheApi over it. Every call runs through the Governor, which
// retries, paces and budgets; this module turns responses into domain values
// and failures into classified ApiErrors. A response body of the wrong shape
// (an HTML error page on a 200, say) is an 'invalid-response' and is retried.

import { getOctokit } from '@actions/github'
import {
  ApiError,
  type CacheApi,
  type CachePage,
  type DeleteOutcome,
  type ListQuery,
  type RepoUsage
} from './ports.js'
import { fromApi, type ApiCache, type Cache, type RepoName } from '../engine/cache.js'
import type { Attempted, CallContext, Governor } from './governor.js'

export const API_VERSION = '2022-11-28'

export type Octokit = ReturnType<typeof getOctokit>
export type Headers = Readonly<Record<string, string | undefined>>
export type RawHeaders = Readonly<Record<string, string | number | undefined>>

const stringHeaders = (raw: RawHeaders | undefined): Headers =>
  Object.fromEntries(
    Object.entries(raw ?? {}).map(([k, v]) => [k, v === undefined ? v : String(v)])
  )

export interface ClientOptions {
  readonly token: string
  /** e.g. https://api.github.com or https://HOST/api/v3 */
  readonly baseUrl: string
  readonly governor: Governor
  readonly userAgent?: string
}

export function createOctokit(token: string, baseUrl: string, userAgent?: string): Octokit {
  const quiet = (): void => undefined
  return getOctokit(token, {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    userAgent: userAgent ?? 'cache-steward',
    headers: { 'x-github-api-version': API_VERSION },
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet }
  })
}

/** Turns whatever Octokit threw into a classified ApiError. */
export function toApiError(error: unknown, label: string): ApiError {
  if (error instanceof ApiError) return error
  const e = error as {
    status?: number
    name?: string
    message?: string
    response?: { status: number; headers: RawHeaders; data: unknown }
  }
  if (!e || typeof e !== 'object') return new ApiError('network', undefined, String(error), label)
  const response = e.response
  if (!response) {
    const kind = e.name === 'AbortError' ? 'timeout' : 'network'
    return new ApiError(kind, undefined, e.message ?? 'the request failed', label)
  }
  const { status, data } = response
  const headers = stringHeaders(response.headers)
  const message = describeBody(data, status)
  const retryAfter = Number(headers['retry-after'])
  const retryAfterMs =
    Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined
  let kind: ApiError['kind']
  if ((status === 403 || status === 429) && /secondary rate limit|abuse/i.test(message)) {
    kind = 'secondary-rate-limit'
  } else if ((status === 403 || status === 429) && headers['x-ratelimit-remaining'] === '0') {
    kind = 'rate-limited'
  } else if (status === 429) {
    kind = 'secondary-rate-limit'
  } else if (status === 401) kind = 'unauthorized'
  else if (status === 403) kind = 'forbidden'
  else if (status === 404) kind = 'not-found'
  else if (status >= 500) kind = 'server'
  else kind = 'client'
  return new ApiError(kind, status, message, label, retryAfterMs, headers)
}

function describeBody(data: unknown, status: number): string {
  if (data && typeof data === 'object' && 'message' in data) {
    return String((data as { message: unknown }).message)
  }
  if (typeof data === 'string' && /<html|<!doctype/i.test(data)) {
    return `an HTML page instead of JSON (HTTP ${status})`
  }
  if (typeof data === 'string' && data.trim() !== '') return data.trim().slice(0, 200)
  return `HTTP ${status}`
}

export function invalid(label: string, what: string): ApiError {
  return new ApiError('invalid-response', undefined, `unexpected response body: ${what}`, label)
}

function isApiCache(c: unknown): c is ApiCache {
  if (!c || typeof c !== 'object') return false
  const o = c as Record<string, unknown>
  return (
    typeof o.id === 'number' &&
    typeof o.key === 'string' &&
    typeof o.ref === 'string' &&
    typeof o.size_in_bytes === 'number' &&
    typeof o.last_accessed_at === 'string' &&
    typeof o.created_at === 'string'
  )
}

function parseCaches(data: unknown, label: string): { total: number; caches: Cache[] } {
  const body = data as { total_count?: unknown; actions_caches?: unknown }
  if (!body || typeof body !== 'object' || !Array.isArray(body.actions_caches)) {
    throw invalid(label, typeof data === 'string' ? 'text instead of JSON' : 'no actions_caches')
  }
  if (!body.actions_caches.every(isApiCache)) throw invalid(label, 'a cache without id/key/ref')
  const caches = body.actions_caches.map(c => fromApi({ ...c, version: c.version ?? '' }))
  const total = typeof body.total_count === 'number' ? body.total_count : caches.length
  return { total, caches }
}

export type Sender = (
  ctx: CallContext
) => Promise<{ data: unknown; headers: RawHeaders; status: number }>

/**
 * Runs one request through the governor. `send` makes the Octokit call with
 * ctx.signal; `shape` validates and converts the body (throw invalid() for a
 * body of the wrong shape, which is retried); `onError` may turn an expected
 * error status (a 404, say) into a value. Every adapter uses this.
 */
export function callApi<T>(
  governor: Governor,
  method: string,
  label: string,
  send: Sender,
  shape: (data: unknown, headers: Headers, status: number) => T,
  onError?: (error: ApiError, ctx: CallContext) => Attempted<T> | undefined
): Promise<T> {
  return governor.run({ method, label }, async ctx => {
    try {
      const res = await send(ctx)
      const headers = stringHeaders(res.headers)
      return { value: shape(res.data, headers, res.status), headers }
    } catch (error) {
      const apiError = toApiError(error, label)
      const handled = onError?.(apiError, ctx)
      if (handled) return handled
      throw apiError
    }
  })
}

export const hasNextLink = (link: string | undefined): boolean =>
  link !== undefined && /rel="next"/.test(link)

export class GitHubCacheApi implements CacheApi {
  readonly octokit: Octokit
  /** shared with other adapters of the same run (ref look-ups), so one budget covers all */
  readonly governor: Governor

  constructor(options: ClientOptions) {
    this.octokit = createOctokit(options.token, options.baseUrl, options.userAgent)
    this.governor = options.governor
  }

  listCaches(repo: RepoName, query: ListQuery): Promise<CachePage> {
    const label = `list caches of ${repo.owner}/${repo.repo} (page ${query.page})`
    return callApi(
      this.governor,
      'GET',
      label,
      ctx =>
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
      (data, headers) => {
        const { total, caches } = parseCaches(data, label)
        return { totalCount: total, caches, hasNext: hasNextLink(headers.link) }
      }
    )
  }

  deleteCacheById(repo: RepoName, id: number): Promise<DeleteOutcome> {
    const label = `delete cache ${id}`
    return callApi<DeleteOutcome>(
      this.governor,
      'DELETE',
      label,
      ctx =>
        this.octokit.request('DELETE /repos/{owner}/{repo}/actions/caches/{cache_id}', {
          owner: repo.owner,
          repo: repo.repo,
          cache_id: id,
          request: { signal: ctx.signal }
        }),
      () => 'deleted',
      (error, ctx) =>
        error.kind === 'not-found'
          ? {
              // A 404 after an attempt that may have gone through: our first attempt deleted it.
              value: ctx.earlierAttemptMayHaveApplied ? 'deleted' : 'already-gone',
              headers: error.headers ?? {}
            }
          : undefined
    )
  }

  deleteCachesByKey(repo: RepoName, key: string, ref?: string): Promise<readonly Cache[]> {
    const label = `delete caches with key ${JSON.stringify(key)}${ref ? ` on ${ref}` : ''}`
    return callApi<readonly Cache[]>(
      this.governor,
      'DELETE',
      label,
      ctx =>
        this.octokit.request('DELETE /repos/{owner}/{repo}/actions/caches{?key,ref}', {
          owner: repo.owner,
          repo: repo.repo,
          key,
          ...(ref !== undefined ? { ref } : {}),
          request: { signal: ctx.signal }
        }),
      data => parseCaches(data, label).caches,
      error =>
        error.kind === 'not-found' ? { value: [], headers: error.headers ?? {} } : undefined
    )
  }

  getRepoUsage(repo: RepoName): Promise<RepoUsage> {
    const label = `read cache usage of ${repo.owner}/${repo.repo}`
    return callApi(
      this.governor,
      'GET',
      label,
      ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/actions/cache/usage', {
          owner: repo.owner,
          repo: repo.repo,
          request: { signal: ctx.signal }
        }),
      data => {
        const d = data as Record<string, unknown>
        if (!d || typeof d.active_caches_size_in_bytes !== 'number') {
          throw invalid(label, 'no active_caches_size_in_bytes')
        }
        return {
          fullName: String(d.full_name ?? `${repo.owner}/${repo.repo}`),
          sizeInBytes: d.active_caches_size_in_bytes,
          count: Number(d.active_caches_count ?? 0)
        }
      }
    )
  }
}
