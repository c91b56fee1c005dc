// The narrow interface between cache-steward and GitHub. The adapter in
// github.ts implements it over HTTP; unit tests of the executor may use an
// in-memory implementation. Nothing else in src/ talks to the network.

import type { Cache, RepoName } from '../engine/cache.js'

export type ListSort = 'created_at' | 'last_accessed_at' | 'size_in_bytes'

export interface ListQuery {
  /** prefix filter (the API may match it case-insensitively; callers re-filter) */
  readonly key?: string
  /** exact full ref, e.g. refs/pull/12/merge */
  readonly ref?: string
  readonly page: number
  readonly perPage: number
  readonly sort?: ListSort
  readonly direction?: 'asc' | 'desc'
}

export interface CachePage {
  readonly totalCount: number
  readonly caches: readonly Cache[]
  /** true when the response had a rel="next" link */
  readonly hasNext: boolean
}

/** 'already-gone' is a 404: someone else (or our own earlier attempt) removed it. */
export type DeleteOutcome = 'deleted' | 'already-gone'

export interface UsageFigures {
  readonly sizeInBytes: number
  readonly count: number
}

export interface RepoUsage extends UsageFigures {
  readonly fullName: string
}

export interface RepoUsagePage {
  readonly totalCount: number
  readonly repositories: readonly RepoUsage[]
  readonly hasNext: boolean
}

export interface PullRequestRef {
  readonly number: number
  readonly headRef: string
}

export interface NamesPage<T> {
  readonly items: readonly T[]
  readonly hasNext: boolean
}

export interface CacheApi {
  listCaches(repo: RepoName, query: ListQuery): Promise<CachePage>
  deleteCacheById(repo: RepoName, id: number): Promise<DeleteOutcome>
  /** Returns the caches the server says it deleted ([] on 404). */
  deleteCachesByKey(repo: RepoName, key: string, ref?: string): Promise<readonly Cache[]>
  getRepoUsage(repo: RepoName): Promise<RepoUsage>
}

/** How a failed request is classified; decides retrying and the message users see. */
export type ApiErrorKind =
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limited'
  | 'secondary-rate-limit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'invalid-response'
  | 'client'

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number | undefined,
    message: string,
    readonly request: string,
    readonly retryAfterMs?: number,
    readonly headers?: Readonly<Record<string, string | undefined>>
  ) {
    super(message)
    this.name = 'ApiError'
  }
}
