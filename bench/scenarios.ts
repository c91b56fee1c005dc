// The benchmark's scenarios: realistic caches from testing/fake/seed.ts, shaped so
// that what the action should do is known in advance. Everything a row is
// judged by (which caches should go, the lower bound of requests, the best
// bytes under a cap) is computed here from the data alone, independently of
// the action's code.

import type { ApiCache } from '../testing/fake/wire.js'
import { generateRepo, mulberry32, type Rng } from '../testing/fake/seed.js'

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const PER_PAGE = 100

export interface ScenarioData {
  caches: ApiCache[]
  /** ids the action should delete, in no particular order */
  expected: Set<number>
  /** caches the action should list (the API's filters narrow the listing to these) */
  listed: number
  /** GET list pages at least: ceil(listed / 100), at least 1 */
  listPages: number
  /** DELETE requests at least */
  deletes: number
  /** for a cap: the most bytes that many deletions could free among the selected caches */
  bestBytes?: number
  /** for a dry run: caches that would be deleted */
  wouldDelete?: number
  /** the event the runner would pass */
  eventName: string
  /** for a closed pull request */
  pullNumber?: number
  /** a list filter a typical baseline also uses */
  ref?: string
}

/** The two baselines (bench/): one request after another, or every DELETE at once. */
export type Baseline = 'sequential' | 'parallel'

/** The action's default `deletes-per-minute`: the size of its sliding 60-second window. */
const DEFAULT_DELETES_PER_MINUTE = 150

export interface Scenario {
  id: string
  title: string
  inputs: Record<string, string>
  /** the baselines run on the same caches (a dry run's sequential baseline only lists) */
  baselines: readonly Baseline[]
  /** a job of about a second: never time-compressed */
  small?: boolean
  /** build the data for `now` (the same seed gives the same caches) */
  build(now: number): ScenarioData
}

const pages = (listed: number): number => Math.max(1, Math.ceil(listed / PER_PAGE))

/** Picks `count` distinct indices of 0..total-1 with a seeded shuffle. */
function pickIndices(rng: Rng, total: number, count: number): number[] {
  const a = Array.from({ length: total }, (_, i) => i)
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng() * (total - i))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a.slice(0, count)
}

const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * Rewrites last-access times so exactly the caches at `stale` were last used
 * 4 to 7 days ago and every other one within the last 2.5 days: a policy of
 * `older-than: 3d` then selects exactly those, with a wide margin either side.
 */
function withStale(caches: ApiCache[], stale: ReadonlySet<number>, now: number, rng: Rng): void {
  caches.forEach((c, i) => {
    const accessed = stale.has(i) ? now - (4 + rng() * 3) * DAY : now - rng() * 2.5 * DAY
    c.last_accessed_at = iso(Math.round(accessed))
    c.created_at = iso(Math.round(accessed - rng() * 2 * DAY))
  })
}

/** Requests a delete-by-key run needs at least: one per key on a ref where that is safe. */
function deletesWithByKey(all: readonly ApiCache[], expected: ReadonlySet<number>): number {
  const groups = new Map<string, ApiCache[]>()
  for (const c of all) {
    if (!expected.has(c.id)) continue
    const id = `${c.ref}\u0000${c.key}`
    groups.set(id, [...(groups.get(id) ?? []), c])
  }
  let requests = 0
  for (const group of groups.values()) {
    const { ref, key } = group[0]
    const lower = key.toLowerCase()
    // GitHub has been seen matching keys by prefix, in any case: every cache
    // such a request could remove must be one we mean to delete.
    const safe = all
      .filter(c => c.ref === ref && c.key.toLowerCase().startsWith(lower))
      .every(c => expected.has(c.id))
    requests += safe ? 1 : group.length
  }
  return requests
}

/** The deletes-per-minute window a scenario runs with: its input, or the default. */
export const windowOf = (s: Scenario): number =>
  Number(s.inputs['deletes-per-minute'] ?? DEFAULT_DELETES_PER_MINUTE)

/**
 * A closed pull request's `count` caches (`keys` keys, the others more
 * versions of some of them) in a repository of `total`.
 */
function closedPull(total: number, count: number, keys: number, byKey: boolean): Scenario['build'] {
  return now => {
    const repo = generateRepo({ count: total, seed: 101, now })
    const rng = mulberry32(1001)
    const number = Math.max(...repo.pulls.map(p => p.number)) + 7
    const ref = `refs/pull/${number}/merge`
    const onPulls = repo.caches
      .map((c, i) => (c.ref.startsWith('refs/pull/') ? i : -1))
      .filter(i => i >= 0)
    if (onPulls.length < count) throw new Error(`only ${onPulls.length} caches on pull requests`)
    const chosen = pickIndices(rng, onPulls.length, count).map(i => onPulls[i])
    chosen.forEach((index, n) => {
      const c = repo.caches[index]
      c.ref = ref
      if (n >= keys) c.key = repo.caches[chosen[n % keys]].key
    })
    const expected = new Set(chosen.map(i => repo.caches[i].id))
    return {
      caches: repo.caches,
      expected,
      listed: count,
      listPages: pages(count),
      deletes: byKey ? deletesWithByKey(repo.caches, expected) : count,
      eventName: 'pull_request',
      pullNumber: number,
      ref
    }
  }
}

/** `stale` of `count` caches not used for 3 days, the rest recently used. */
function scheduled(count: number, stale: number, seed: number): Scenario['build'] {
  return now => {
    const repo = generateRepo({ count, seed, now })
    const rng = mulberry32(seed * 7 + 1)
    const staleAt = new Set(pickIndices(rng, count, stale))
    withStale(repo.caches, staleAt, now, rng)
    const expected = new Set([...staleAt].map(i => repo.caches[i].id))
    return {
      caches: repo.caches,
      expected,
      listed: count,
      listPages: pages(count),
      deletes: stale,
      eventName: 'schedule'
    }
  }
}

/** The action reads sizes as binary: its GB is 2^30 bytes, as GitHub's cache limits are read. */
const GB = 2 ** 30

/** A 12 GB repository (900 caches) and a budget of 8 GB: least recently used first. */
function budget(): Scenario['build'] {
  return now => {
    const repo = generateRepo({ count: 900, seed: 303, now })
    const total = repo.caches.reduce((s, c) => s + c.size_in_bytes, 0)
    const target = 12 * GB
    let sum = 0
    repo.caches.forEach((c, i) => {
      c.size_in_bytes =
        i === repo.caches.length - 1
          ? target - sum
          : Math.max(1, Math.round((c.size_in_bytes * target) / total))
      sum += c.size_in_bytes
    })
    const lru = [...repo.caches].sort(
      (a, b) => Date.parse(a.last_accessed_at) - Date.parse(b.last_accessed_at) || a.id - b.id
    )
    const expected = new Set<number>()
    let left = target
    for (const c of lru) {
      if (left <= 8 * GB) break
      expected.add(c.id)
      left -= c.size_in_bytes
    }
    return {
      caches: repo.caches,
      expected,
      listed: 900,
      listPages: pages(900),
      deletes: expected.size,
      eventName: 'schedule'
    }
  }
}

/** A dry run over `count` caches: list everything, delete nothing. */
function dryRun(count: number, seed: number): Scenario['build'] {
  return now => {
    const repo = generateRepo({ count, seed, now })
    // No cache within an hour of the 3-day line: the action runs a little
    // after `now`, and a cache crossing the line meanwhile would change the count.
    for (const c of repo.caches) {
      const idle = now - Date.parse(c.last_accessed_at)
      if (Math.abs(idle - 3 * DAY) < HOUR) c.last_accessed_at = iso(now - 3 * DAY + HOUR)
    }
    const wouldDelete = repo.caches.filter(
      c => now - Date.parse(c.last_accessed_at) > 3 * DAY
    ).length
    return {
      caches: repo.caches,
      expected: new Set(),
      listed: count,
      listPages: pages(count),
      deletes: 0,
      wouldDelete,
      eventName: 'schedule'
    }
  }
}

/** 1,000 selected caches of mixed sizes out of 3,000, and max-deletions: 100. */
function capped(): Scenario['build'] {
  return now => {
    const data = scheduled(3000, 1000, 505)(now)
    const selected = data.caches
      .filter(c => data.expected.has(c.id))
      .sort((a, b) => b.size_in_bytes - a.size_in_bytes || a.id - b.id)
    const best = selected.slice(0, 100)
    return {
      ...data,
      // which 100 go is the action's choice; the row reports bytes against the best
      expected: new Set(best.map(c => c.id)),
      deletes: 100,
      bestBytes: best.reduce((s, c) => s + c.size_in_bytes, 0)
    }
  }
}

export const SCENARIOS: Scenario[] = [
  {
    id: '1',
    title: 'closed PR: 25 caches of 2,000',
    inputs: {},
    baselines: ['sequential', 'parallel'],
    small: true,
    build: closedPull(2000, 25, 15, false)
  },
  {
    id: '1k',
    title: 'closed PR, delete-by-key: true',
    inputs: { 'delete-by-key': 'true' },
    baselines: [],
    small: true,
    build: closedPull(2000, 25, 15, true)
  },
  {
    id: '1m',
    title: 'closed PR: 150 caches of 3,000',
    inputs: {},
    baselines: ['sequential', 'parallel'],
    small: true,
    build: closedPull(3000, 150, 90, false)
  },
  {
    id: '2',
    title: 'scheduled: 300 stale of 5,000',
    inputs: { 'older-than': '3d' },
    baselines: ['sequential', 'parallel'],
    build: scheduled(5000, 300, 202)
  },
  {
    id: '2p',
    title: 'deletes-per-minute: 60, 120 stale of 2,000',
    inputs: { 'older-than': '3d', 'deletes-per-minute': '60' },
    baselines: [],
    build: scheduled(2000, 120, 212)
  },
  {
    id: '3',
    title: 'budget: 12 GB down to 8 GB (900 caches)',
    inputs: { 'max-total-size': '8GB' },
    baselines: ['sequential', 'parallel'],
    build: budget()
  },
  {
    id: '4',
    title: 'dry run over 20,000 caches',
    inputs: { 'older-than': '3d', 'dry-run': 'true' },
    baselines: ['sequential'],
    build: dryRun(20_000, 404)
  },
  {
    id: '4x',
    title: 'dry run over 100,000 caches',
    inputs: { 'older-than': '3d', 'dry-run': 'true' },
    baselines: [],
    build: dryRun(100_000, 414)
  },
  {
    id: '5',
    title: 'max-deletions: 100 of 1,000 selected',
    inputs: { 'older-than': '3d', 'max-deletions': '100' },
    baselines: [],
    build: capped()
  }
]
