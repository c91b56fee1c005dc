// The model of GitHub's cache, from its documentation (see
// /docs/effectiveness.md, "The model"):
// - scope: a run restores from its own ref, then (a pull request) its base
//   branch, then the default branch; the run says which refs, in order;
// - order, ref by ref: the exact key, then the key as a prefix, then each
//   restore key as a prefix; among prefix matches the most recently created
//   wins; the cache version must be equal; only an exact key is a hit;
// - a restore updates last_accessed_at;
// - a save on a miss creates a cache on the job's own ref, unless that ref
//   already holds the same key and version (caches are immutable);
// - an hourly pass removes caches not accessed for the retention period, then
//   evicts least recently used caches while the total is over the size limit.
// Time is whatever the caller says it is: the model has no clock.

import type { Cache } from '../src/engine/cache.js'
import { compareLeastRecentlyUsed, keyFamily } from '../src/engine/policy.js'

/** What a restore can find: a live cache, or (for the counterfactual) a removed one. */
export interface Candidate {
  readonly id: number
  readonly key: string
  readonly version: string
  readonly createdAt: number
}

export type Match = 'exact' | 'partial'

export interface Found<C extends Candidate> {
  readonly candidate: C
  readonly match: Match
  /** the ref it was found on */
  readonly ref: string
}

const newer = (a: Candidate, b: Candidate | undefined): boolean =>
  b === undefined || a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)

/**
 * GitHub's restore order over candidates: for each ref of `scope` in turn,
 * the exact key, then `key` as a prefix, then each restore key as a prefix,
 * the newest match first. Undefined: a miss.
 */
export function findRestore<C extends Candidate>(
  scope: readonly string[],
  key: string,
  restoreKeys: readonly string[],
  version: string,
  candidatesOn: (ref: string) => Iterable<C>
): Found<C> | undefined {
  const prefixes = [key, ...restoreKeys]
  for (const ref of scope) {
    const list = [...candidatesOn(ref)].filter(c => c.version === version)
    if (list.length === 0) continue
    let exact: C | undefined
    for (const c of list) if (c.key === key && newer(c, exact)) exact = c
    if (exact) return { candidate: exact, match: 'exact', ref }
    for (const prefix of prefixes) {
      let best: C | undefined
      for (const c of list) if (c.key.startsWith(prefix) && newer(c, best)) best = c
      if (best) return { candidate: best, match: 'partial', ref }
    }
  }
  return undefined
}

interface Stored {
  id: number
  ref: string
  key: string
  version: string
  sizeInBytes: number
  lastAccessedAt: number
  createdAt: number
}

export interface ModelOptions {
  readonly sizeLimitBytes: number
  readonly retentionMs: number
}

export interface HourlyResult {
  /** not accessed for the retention period */
  readonly expired: readonly Cache[]
  /** least recently used, while over the size limit */
  readonly evicted: readonly Cache[]
}

export interface Restored extends Found<Cache> {
  /** last_accessed_at before this restore */
  readonly previousAccess: number
  /** a newer version of its key family exists on its ref */
  readonly superseded: boolean
}

const frozen = (s: Stored): Cache => Object.freeze({ ...s })

export class CacheModel {
  private readonly byId = new Map<number, Stored>()
  private readonly byRef = new Map<string, Stored[]>()
  private nextId = 1
  private bytes = 0

  constructor(readonly options: ModelOptions) {}

  get totalBytes(): number {
    return this.bytes
  }

  get count(): number {
    return this.byId.size
  }

  /** The caches as the list API shows them (copies, in id order). */
  list(): Cache[] {
    return [...this.byId.values()].map(frozen)
  }

  /** The caches of one ref, as they are now (not copies: read, never keep). */
  cachesOn(ref: string): readonly Cache[] {
    return this.byRef.get(ref) ?? []
  }

  /** Restores for a job: the match, with last_accessed_at updated; undefined on a miss. */
  restore(
    scope: readonly string[],
    key: string,
    restoreKeys: readonly string[],
    version: string,
    now: number
  ): Restored | undefined {
    const found = findRestore(scope, key, restoreKeys, version, ref => this.byRef.get(ref) ?? [])
    if (!found) return undefined
    const stored = found.candidate as Stored
    const previousAccess = stored.lastAccessedAt
    stored.lastAccessedAt = Math.max(stored.lastAccessedAt, now)
    const superseded = this.byRef
      .get(found.ref)
      ?.some(
        c =>
          c !== stored &&
          c.version === stored.version &&
          keyFamily(c.key) === keyFamily(stored.key) &&
          (c.createdAt > stored.createdAt || (c.createdAt === stored.createdAt && c.id > stored.id))
      )
    return { ...found, candidate: frozen(stored), previousAccess, superseded: superseded === true }
  }

  /** Saves at the end of a job; undefined when the ref already holds this key and version. */
  save(
    ref: string,
    key: string,
    version: string,
    sizeInBytes: number,
    now: number
  ): Cache | undefined {
    const onRef = this.byRef.get(ref) ?? []
    if (onRef.some(c => c.key === key && c.version === version)) return undefined
    const stored: Stored = {
      id: this.nextId++,
      ref,
      key,
      version,
      sizeInBytes,
      lastAccessedAt: now,
      createdAt: now
    }
    onRef.push(stored)
    this.byRef.set(ref, onRef)
    this.byId.set(stored.id, stored)
    this.bytes += sizeInBytes
    return frozen(stored)
  }

  /** Deletes by id (as DELETE .../caches/{id}); ids already gone are skipped. */
  remove(ids: Iterable<number>): Cache[] {
    const removed: Cache[] = []
    for (const id of ids) {
      const stored = this.byId.get(id)
      if (!stored) continue
      this.byId.delete(id)
      const onRef = this.byRef.get(stored.ref) as Stored[]
      onRef.splice(onRef.indexOf(stored), 1)
      if (onRef.length === 0) this.byRef.delete(stored.ref)
      this.bytes -= stored.sizeInBytes
      removed.push(frozen(stored))
    }
    return removed
  }

  /** GitHub's hourly housekeeping: retention first, then the size limit. */
  hourly(now: number): HourlyResult {
    const expired = this.remove(
      [...this.byId.values()]
        .filter(c => now - c.lastAccessedAt > this.options.retentionMs)
        .map(c => c.id)
    )
    let evicted: Cache[] = []
    if (this.bytes > this.options.sizeLimitBytes) {
      const order = [...this.byId.values()].sort(compareLeastRecentlyUsed)
      const ids: number[] = []
      let total = this.bytes
      for (const c of order) {
        if (total <= this.options.sizeLimitBytes) break
        ids.push(c.id)
        total -= c.sizeInBytes
      }
      evicted = this.remove(ids)
    }
    return { expired, evicted }
  }
}
