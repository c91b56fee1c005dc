// The ports of the API edge: the narrow interfaces through which the rest of
// cache-steward reaches GitHub (caches, usage and limits, ref look-ups), the
// errors that cross them, and the clock. The adapters in this folder
// (cache-api.ts, admin-api.ts, ref-lookup.ts) implement them over Octokit;
// unit tests may implement them in memory. `run/` imports this file and
// nothing else from `github/`.

import type { Cache, RepoName } from '../engine/cache.js'
import type { AdminTarget } from '../engine/targets.js'
import type { RepoUsage, UsageFigures } from '../engine/usage.js'

/** The most items GitHub returns in one page of any list this project reads. */
export const MAX_PER_PAGE = 100

/** Requests in flight at most: enough for a small job's burst, a third of GitHub's 100. */
export const MAX_IN_FLIGHT = 32

// ---- caches -------------------------------------------------------------------

type ListSort = 'created_at' | 'last_accessed_at' | 'size_in_bytes'

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

/** What a delete by key did. */
export interface KeyDeletion {
  /** the caches the server says it deleted ([] on a 404) */
  readonly removed: readonly Cache[]
  /**
   * an earlier attempt was sent and its answer lost: it may have deleted
   * caches this answer no longer names
   */
  readonly earlierAttemptMayHaveApplied: boolean
}

export interface CacheApi {
  listCaches(repo: RepoName, query: ListQuery): Promise<CachePage>
  deleteCacheById(repo: RepoName, id: number): Promise<DeleteOutcome>
  deleteCachesByKey(repo: RepoName, key: string, ref?: string): Promise<KeyDeletion>
}

// ---- usage and limits -----------------------------------------------------------

export interface RepoUsagePage {
  readonly totalCount: number
  readonly repositories: readonly RepoUsage[]
  readonly hasNext: boolean
}

/** The GHES usage policy; an enterprise also has the most a repository may be given. */
export interface UsagePolicy {
  /** gigabytes */
  readonly repoCacheSizeLimitGb: number
  /** gigabytes; enterprises only */
  readonly maxRepoCacheSizeLimitGb?: number
}

/** The github.com limits: `retention` is days, `storage` gigabytes. */
export type LimitKind = 'retention' | 'storage'

export type PolicyTarget = Exclude<AdminTarget, { kind: 'org' }>

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

// ---- refs -------------------------------------------------------------------------

/** One page of live names from a list endpoint. */
export interface NamePage<T> {
  readonly items: readonly T[]
  readonly hasNext: boolean
  /** the number of the last page, from the Link header, when the server gives it */
  readonly lastPage?: number
}

/** The look-ups stale-refs needs. */
export interface RefLookup {
  /** the repository's default branch, which is never stale */
  defaultBranch(repo: RepoName): Promise<string>
  /** open pull requests, 100 a page, oldest first (new ones never shift earlier pages) */
  openPulls(repo: RepoName, page: number): Promise<NamePage<number>>
  /** false when the pull request is closed or does not exist */
  pullIsOpen(repo: RepoName, pull: number): Promise<boolean>
  /** branch names, 100 a page */
  branches(repo: RepoName, page: number): Promise<NamePage<string>>
  branchExists(repo: RepoName, branch: string): Promise<boolean>
  /** every tag name (one matching-refs request per page) */
  tags(repo: RepoName, page: number): Promise<NamePage<string>>
  tagExists(repo: RepoName, tag: string): Promise<boolean>
}

// ---- errors -----------------------------------------------------------------------

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

/** What a request was for: which advice fits a failure depends on it, never on its label's words. */
export interface RequestPurpose {
  readonly operation:
    'list-caches' | 'delete-caches' | 'read-usage' | 'read-limits' | 'set-limits' | 'look-up-refs'
  readonly scope: 'repository' | 'organization' | 'enterprise'
}

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number | undefined,
    message: string,
    /** a short description for messages, e.g. 'delete cache 42'; never contains the token */
    readonly request: string,
    readonly retryAfterMs?: number,
    readonly headers?: Readonly<Record<string, string | undefined>>,
    readonly purpose?: RequestPurpose
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /**
   * The message is our own verdict, already in words a person can act on
   * (the server answered, but what it answered cannot be used): shown as it
   * is, not as "GitHub answered ...".
   */
  get worded(): boolean {
    return false
  }
}

/**
 * Thrown when the run must stop early; never a failure of the run.
 * 'interrupted': a person pressed Ctrl-C on the command line.
 */
export class StopError extends Error {
  constructor(
    readonly why: 'budget' | 'secondary-limit' | 'deadline' | 'interrupted',
    message: string,
    /**
     * an earlier attempt of the stopped call was sent and its answer lost (a
     * timeout, a dropped connection, a 5xx), so the server may have carried it out
     */
    readonly mayHaveApplied = false
  ) {
    super(message)
    this.name = 'StopError'
  }
}

// ---- time and counts ------------------------------------------------------------------

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export interface GovernorStats {
  requests: number
  mutating: number
  retries: number
  secondaryLimits: number
  maxInFlight: number
  waitedMs: number
}

/** The stats of a governor that has made no request yet. */
export const noRequests = (): GovernorStats => ({
  requests: 0,
  mutating: 0,
  retries: 0,
  secondaryLimits: 0,
  maxInFlight: 0,
  waitedMs: 0
})
