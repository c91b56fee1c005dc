// Was a removed cache needed again? Every cache that leaves the model (deleted
// by the policy, expired or evicted by GitHub) is remembered for one retention
// period. When a later restore does worse than it would have with the removed
// caches still there (a miss or a partial hit where one of them would have
// given an exact or a partial hit), the removed cache it would have used is
// counted as needed again, once.

import type { Cache } from '../src/engine/cache.js'
import { findRestore, type Found, type Match } from './model.js'

export type Removal = 'policy' | 'expired' | 'evicted'

interface Removed {
  readonly id: number
  readonly key: string
  readonly version: string
  readonly createdAt: number
  readonly ref: string
  readonly sizeInBytes: number
  readonly cause: Removal
  /** the policy's reason code, for its deletions */
  readonly reason?: string
  readonly removedAt: number
  needed: boolean
}

const rank = (m: Match | undefined): number => (m === 'exact' ? 2 : m === 'partial' ? 1 : 0)

export class NeededAgain {
  private readonly byRef = new Map<string, Removed[]>()

  constructor(private readonly rememberMs: number) {}

  add(
    caches: readonly Cache[],
    cause: Removal,
    now: number,
    reasons?: ReadonlyMap<number, string>
  ): void {
    for (const c of caches) {
      const reason = reasons?.get(c.id)
      const list = this.byRef.get(c.ref) ?? []
      list.push({
        id: c.id,
        key: c.key,
        version: c.version,
        createdAt: c.createdAt,
        ref: c.ref,
        sizeInBytes: c.sizeInBytes,
        cause,
        ...(reason !== undefined ? { reason } : {}),
        removedAt: now,
        needed: false
      })
      this.byRef.set(c.ref, list)
    }
  }

  /**
   * After a restore that found `actual`: the removed cache that would have
   * served it better, if any (marked, and returned only the first time).
   */
  check(
    scope: readonly string[],
    key: string,
    restoreKeys: readonly string[],
    version: string,
    now: number,
    live: (ref: string) => Iterable<Cache>,
    actual: Found<Cache> | undefined
  ): { cause: Removal; reason?: string; sizeInBytes: number; removedAt: number } | undefined {
    if (actual?.match === 'exact') return undefined
    const removedOn = (ref: string): Removed[] => {
      const list = this.byRef.get(ref)
      if (!list) return []
      const kept = list.filter(r => now - r.removedAt <= this.rememberMs)
      if (kept.length !== list.length) {
        if (kept.length === 0) this.byRef.delete(ref)
        else this.byRef.set(ref, kept)
      }
      return kept
    }
    if (!scope.some(ref => this.byRef.has(ref))) return undefined
    const both = findRestore<{
      id: number
      key: string
      version: string
      createdAt: number
      removed?: Removed
    }>(scope, key, restoreKeys, version, ref => [
      ...live(ref),
      ...removedOn(ref).map(r => ({ ...r, removed: r }))
    ])
    const removed = both?.candidate.removed
    if (!removed || rank(both.match) <= rank(actual?.match) || removed.needed) return undefined
    removed.needed = true
    return {
      cause: removed.cause,
      ...(removed.reason !== undefined ? { reason: removed.reason } : {}),
      sizeInBytes: removed.sizeInBytes,
      removedAt: removed.removedAt
    }
  }
}
