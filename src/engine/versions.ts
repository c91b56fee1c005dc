// Versions of a key family. The caches of one ref that share a key family
// (keyFamily) and a cache version are versions of each other: a restore by
// prefix on that ref takes the most recently created one, so an older version
// can only come back through its exact key. Pure.

import type { Cache } from './cache.js'
import { compareLeastRecentlyUsed, keyFamily } from './policy.js'

/** Newest first: createdAt descending, then the higher id; any other tie in a total order. */
export const compareNewestCreated = (a: Cache, b: Cache): number =>
  b.createdAt - a.createdAt || b.id - a.id || compareLeastRecentlyUsed(b, a)

/** The group a cache's versions share: its ref, key family and cache version. */
export const lineageOf = (c: Cache): string => `${c.ref}\u0000${keyFamily(c.key)}\u0000${c.version}`

/**
 * For each cache (by input index), the index of the newest cache of its
 * lineage, or -1 when it is that newest one itself. A cache whose entry is
 * not -1 is superseded: a later version of its family exists on its ref.
 */
export function supersededBy(caches: readonly Cache[]): Int32Array {
  const newest = new Map<string, number>()
  for (let i = 0; i < caches.length; i++) {
    const lineage = lineageOf(caches[i])
    const best = newest.get(lineage)
    if (best === undefined || compareNewestCreated(caches[i], caches[best]) < 0) {
      newest.set(lineage, i)
    }
  }
  const by = new Int32Array(caches.length)
  for (let i = 0; i < caches.length; i++) {
    const best = newest.get(lineageOf(caches[i])) as number
    by[i] = best === i ? -1 : best
  }
  return by
}

/** `main` or `refs/heads/main` -> `refs/heads/main`; other full refs stay as they are. */
export function branchRef(branch: string): string {
  return branch.startsWith('refs/') ? branch : `refs/heads/${branch}`
}
