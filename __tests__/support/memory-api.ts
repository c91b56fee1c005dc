// An in-memory implementation of the project's own CacheApi interface, for
// unit tests of listing and execution. (Octokit is never stubbed: the adapter
// is tested over HTTP against the fake API.)

import {
  ApiError,
  type CacheApi,
  type CachePage,
  type DeleteOutcome,
  type KeyDeletion,
  type ListQuery
} from '../../src/github/ports.js'
import type { Cache, RepoName } from '../../src/engine/cache.js'
import type { Clock } from '../../src/github/ports.js'

export class MemoryCacheApi implements CacheApi {
  caches: Cache[]
  deleted: number[] = []
  calls: string[] = []
  /** called before each list request; may mutate `caches` to simulate other jobs */
  beforeList?: (query: ListQuery) => void
  failDelete?: (id: number) => ApiError | undefined
  prefixDeleteByKey = false

  constructor(caches: Cache[]) {
    this.caches = [...caches]
  }

  /** list requests answered after this many turns of the microtask queue (default 1): later pages can overtake earlier ones */
  listTicks?: (query: ListQuery) => number
  /** list requests asked and not yet answered, now and at most */
  inFlight = 0
  maxInFlight = 0

  async listCaches(_repo: RepoName, q: ListQuery): Promise<CachePage> {
    this.calls.push(`list ${q.ref ?? '*'} ${q.key ?? ''} ${q.page}`)
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight)
    try {
      // the page is what the caches are when it is asked for, answered a little later
      const page = this.listNow(q)
      for (let tick = this.listTicks?.(q) ?? 1; tick > 0; tick--) await Promise.resolve()
      return page
    } finally {
      this.inFlight--
    }
  }

  private listNow(q: ListQuery): CachePage {
    this.beforeList?.(q)
    const matching = this.caches
      .filter(
        c =>
          (q.ref === undefined || c.ref === q.ref) &&
          (q.key === undefined || c.key.toLowerCase().startsWith(q.key.toLowerCase()))
      )
      .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)
    const start = (q.page - 1) * q.perPage
    return {
      totalCount: matching.length,
      caches: matching.slice(start, start + q.perPage),
      hasNext: start + q.perPage < matching.length
    }
  }

  async deleteCacheById(_repo: RepoName, id: number): Promise<DeleteOutcome> {
    this.calls.push(`delete ${id}`)
    const failure = this.failDelete?.(id)
    if (failure) throw failure
    const before = this.caches.length
    this.caches = this.caches.filter(c => c.id !== id)
    if (this.caches.length === before) return 'already-gone'
    this.deleted.push(id)
    return 'deleted'
  }

  /** set to make the next delete by key answer as a retry after a lost attempt that did the work */
  lostByKeyAttempt = false

  async deleteCachesByKey(_repo: RepoName, key: string, ref?: string): Promise<KeyDeletion> {
    this.calls.push(`delete-key ${key} ${ref ?? '*'}`)
    const hit = (c: Cache): boolean =>
      (ref === undefined || c.ref === ref) &&
      (this.prefixDeleteByKey ? c.key.startsWith(key) : c.key === key)
    const removed = this.caches.filter(hit)
    this.caches = this.caches.filter(c => !hit(c))
    this.deleted.push(...removed.map(c => c.id))
    if (this.lostByKeyAttempt) {
      // the first attempt removed them and its answer was lost; the retry finds nothing
      this.lostByKeyAttempt = false
      return { removed: [], earlierAttemptMayHaveApplied: true }
    }
    return { removed, earlierAttemptMayHaveApplied: false }
  }
}

export const forbidden = (): ApiError =>
  new ApiError('forbidden', 403, 'Resource not accessible by integration', 'delete cache')

/** A clock whose sleeps return at once and move time forward. */
export class ManualClock implements Clock {
  slept: number[] = []
  constructor(public time = Date.parse('2026-11-22T12:00:00Z')) {}
  now(): number {
    return this.time
  }
  async sleep(ms: number): Promise<void> {
    this.slept.push(ms)
    this.time += ms
  }
}

let nextId = 1
export function cache(
  partial: Partial<Cache> & { key: string },
  now = Date.parse('2026-11-22T12:00:00Z')
): Cache {
  return {
    id: partial.id ?? nextId++,
    ref: partial.ref ?? 'refs/heads/main',
    key: partial.key,
    version: partial.version ?? 'v'.padEnd(64, '0'),
    sizeInBytes: partial.sizeInBytes ?? 1000,
    lastAccessedAt: partial.lastAccessedAt ?? now - 3600_000,
    createdAt: partial.createdAt ?? partial.lastAccessedAt ?? now - 7200_000
  }
}
