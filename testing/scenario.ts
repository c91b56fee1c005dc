// Deterministic cache sets for end-to-end tests: timestamps sit on the half
// hour, so no cache is within seconds of an `older-than` boundary while a
// test runs.

import type { FakeGitHub } from './fake/server.js'

export const HOUR = 3600_000
export const DAY = 24 * HOUR

export interface Seeded {
  id: number
  key: string
  ref: string
  version: string
  size_in_bytes: number
  last_accessed_at: string
  created_at: string
}

export interface CacheSpec {
  key: string
  ref: string
  /** hours since last access (a whole number; half an hour is added) */
  idleHours: number
  ageHours?: number
  size?: number
  version?: string
}

export function addCaches(
  fake: FakeGitHub,
  repo: string,
  specs: readonly CacheSpec[],
  now = Date.now()
): Seeded[] {
  return specs.map(s => {
    const last = now - s.idleHours * HOUR - HOUR / 2
    const created = Math.min(last, now - (s.ageHours ?? s.idleHours) * HOUR - HOUR / 2)
    return fake.store.addCache(repo, {
      key: s.key,
      ref: s.ref,
      version: s.version ?? 'a'.repeat(64),
      size_in_bytes: s.size ?? 50_000_000,
      last_accessed_at: new Date(last).toISOString(),
      created_at: new Date(created).toISOString()
    }) as Seeded
  })
}

const hex = (i: number, len: number): string =>
  ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(8).slice(0, len)

/** n caches on one ref with keys of a few realistic families. */
export function family(
  ref: string,
  n: number,
  opts: { from?: number; idleHours?: (i: number) => number; size?: number } = {}
): CacheSpec[] {
  const families = ['Linux-node-', 'Linux-cargo-', 'Windows-node-', 'setup-java-Linux-maven-']
  return Array.from({ length: n }, (_, j) => {
    const i = (opts.from ?? 0) + j
    // Every third cache is a second version of the previous key (other paths,
    // other compression), as real repositories have; delete-by-key groups them.
    const k = i % 3 === 2 ? i - 1 : i
    return {
      key: `${families[k % families.length]}${hex(k + 1, 40)}`,
      version: hex(i + 7, 64),
      ref,
      idleHours: opts.idleHours ? opts.idleHours(i) : (i * 7) % 300,
      size: opts.size ?? 1_000_000 * ((i % 40) + 1)
    }
  })
}

export const ids = (caches: readonly { id: number }[]): number[] =>
  caches.map(c => c.id).sort((a, b) => a - b)
