// Versions of a key family. The caches of one ref that share a key family
// (keyFamily) and a cache version are versions of each other: a restore by
// prefix on that ref takes the most recently created one, so an older version
// can only come back through its exact key. A version is superseded when a
// newer one was created after it was last restored: one still restored since
// (by a re-run, say, or because a re-run saved an older key again after the
// current one) is in use, not superseded. Pure.

import type { Cache } from './cache.js'
import { compareLeastRecentlyUsed, keyFamily } from './policy.js'

/** Newest first: createdAt descending, then the higher id; any other tie in a total order. */
export const compareNewestCreated = (a: Cache, b: Cache): number =>
  b.createdAt - a.createdAt || b.id - a.id || compareLeastRecentlyUsed(b, a)

/** The group a cache's versions share: its ref, key family and cache version. */
export const lineageOf = (c: Cache): string => `${c.ref}\u0000${keyFamily(c.key)}\u0000${c.version}`

/** For each cache (by input index), the index of the newest cache of its lineage. */
export function newestOfLineage(caches: readonly Cache[]): Int32Array {
  const newest = new Map<string, number>()
  for (let i = 0; i < caches.length; i++) {
    const lineage = lineageOf(caches[i])
    const best = newest.get(lineage)
    if (best === undefined || compareNewestCreated(caches[i], caches[best]) < 0) {
      newest.set(lineage, i)
    }
  }
  return Int32Array.from(caches, c => newest.get(lineageOf(c)) as number)
}

/**
 * For each cache (by input index), the index of the newest cache of its
 * lineage when that one supersedes it (it was created after this cache was
 * last restored), else -1: the newest itself, or a version restored since.
 */
export function supersededBy(
  caches: readonly Cache[],
  newest = newestOfLineage(caches)
): Int32Array {
  const by = new Int32Array(caches.length)
  for (let i = 0; i < caches.length; i++) {
    const c = caches[i]
    const n = caches[newest[i]]
    const newerThanLastUse =
      n.createdAt > c.lastAccessedAt || (n.createdAt === c.lastAccessedAt && n.id > c.id)
    by[i] = newest[i] !== i && newerThanLastUse ? newest[i] : -1
  }
  return by
}

/** `main` or `refs/heads/main` -> `refs/heads/main`; other full refs stay as they are. */
export function branchRef(branch: string): string {
  return branch.startsWith('refs/') ? branch : `refs/heads/${branch}`
}
