import type { Cache } from '../../src/engine/cache.js'
import { compilePatterns, type Matcher } from '../../src/engine/patterns.js'
import {
  compareLeastRecentlyUsed,
  decide,
  keyFamily,
  usesStaleRefs,
  type Decision,
  type Plan,
  type Policy,
  type Rule
} from '../../src/engine/policy.js'

const NOW = Date.UTC(2025, 0, 31, 12)
const M = 60_000
const H = 60 * M
const D = 24 * H
const MAIN = 'refs/heads/main'
const DEV = 'refs/heads/dev'
const PR1 = 'refs/pull/1/merge'
const PR2 = 'refs/pull/2/merge'

interface CacheSpec {
  readonly ref?: string
  readonly size?: number
  /** ms since the last access */
  readonly accessed?: number
  /** ms since creation (default: same as accessed) */
  readonly created?: number
}

const cache = (id: number, key: string, s: CacheSpec = {}): Cache => ({
  id,
  key,
  ref: s.ref ?? MAIN,
  version: 'v1',
  sizeInBytes: s.size ?? 100,
  lastAccessedAt: NOW - (s.accessed ?? 0),
  createdAt: NOW - (s.created ?? s.accessed ?? 0)
})

const keys = (...lines: string[]): Matcher => compilePatterns(lines, 'key', 'keys') as Matcher
const refs = (...lines: string[]): Matcher => compilePatterns(lines, 'ref', 'refs') as Matcher
const rule = (r: Partial<Rule> = {}): Rule => ({ name: 'r', ageBy: 'last-accessed', ...r })
const one = (r: Partial<Rule>, extra: Partial<Policy> = {}): Policy => ({
  rules: [rule(r)],
  ...extra
})

const byId = (plan: Plan, id: number): Decision => {
  const d = plan.decisions.find(x => x.cache.id === id)
  if (!d) throw new Error(`no decision for ${id}`)
  return d
}
const reasons = (plan: Plan): Record<number, string> =>
  Object.fromEntries(plan.decisions.map(d => [d.cache.id, d.reason]))
const deletedIds = (plan: Plan): number[] => plan.deletions.map(d => d.cache.id)

/** A deep-frozen copy, so that any mutation throws. */
const frozen = <T>(x: T): T => {
  if (x && typeof x === 'object') {
    for (const v of Object.values(x)) frozen(v)
    Object.freeze(x)
  }
  return x
}

describe('keyFamily', () => {
  it.each([
    ['Linux-node-3f2a', 'Linux-node-'],
    ['Linux-node-', 'Linux-node-'],
    ['a-b', 'a-'],
    ['plain', 'plain'],
    ['', ''],
    ['-x', '-'],
    ['a/b-c/d', 'a/b-']
  ])('%j is in family %j', (key, family) => {
    expect(keyFamily(key)).toBe(family)
  })
})

describe('candidates', () => {
  const caches = [
    cache(1, 'Linux-node-a', { ref: MAIN }),
    cache(2, 'Linux-node-b', { ref: PR1 }),
    cache(3, 'macOS-node-a', { ref: MAIN })
  ]

  it.each([
    [{}, { 1: 'matched', 2: 'matched', 3: 'matched' }],
    [{ keys: keys('Linux-*') }, { 1: 'matched', 2: 'matched', 3: 'key-not-matched' }],
    [{ refs: refs('main') }, { 1: 'matched', 2: 'ref-not-matched', 3: 'matched' }],
    [
      { keys: keys('Linux-*'), refs: refs('refs/pull/*/merge') },
      { 1: 'ref-not-matched', 2: 'matched', 3: 'key-not-matched' }
    ],
    [{ keys: keys('!Linux-*') }, { 1: 'key-not-matched', 2: 'key-not-matched', 3: 'matched' }]
  ])('rule %# selects candidates without thresholds', (r, expected) => {
    const plan = decide(caches, one(r), NOW)
    expect(reasons(plan)).toEqual(expected)
    for (const d of plan.decisions) expect(d.delete).toBe(d.reason === 'matched')
  })

  it('says ref-not-matched when some rule matches the key, even if another rule matched the ref', () => {
    const plan = decide(
      [cache(1, 'Linux-a', { ref: DEV })],
      {
        rules: [rule({ keys: keys('Linux-*'), refs: refs('main') }), rule({ keys: keys('mac-*') })]
      },
      NOW
    )
    expect(byId(plan, 1)).toMatchObject({ reason: 'ref-not-matched', delete: false })
    expect(byId(plan, 1).rule).toBeUndefined()
    expect(byId(plan, 1).detail).toContain(DEV)
  })
})

describe('thresholds', () => {
  it.each([
    // older-than: strictly older
    [{ olderThanMs: 7 * D }, { accessed: 7 * D }, false, 'too-recent'],
    [{ olderThanMs: 7 * D }, { accessed: 7 * D + 1 }, true, 'older-than'],
    [{ olderThanMs: 7 * D }, { accessed: 7 * D - 1 }, false, 'too-recent'],
    [{ olderThanMs: 7 * D }, { accessed: -D }, false, 'too-recent'], // clock skew: in the future
    // age-by
    [
      { olderThanMs: 7 * D, ageBy: 'created' as const },
      { accessed: D, created: 8 * D },
      true,
      'older-than'
    ],
    [
      { olderThanMs: 7 * D, ageBy: 'created' as const },
      { accessed: 8 * D, created: 7 * D },
      false,
      'too-recent'
    ],
    [{ olderThanMs: 7 * D }, { accessed: D, created: 8 * D }, false, 'too-recent'],
    [{ olderThanMs: 7 * D }, { accessed: 8 * D, created: 9 * D }, true, 'older-than'],
    // larger-than: strictly larger
    [{ largerThan: 1000 }, { size: 1000 }, false, 'too-small'],
    [{ largerThan: 1000 }, { size: 1001 }, true, 'larger-than'],
    [{ largerThan: 0 }, { size: 0 }, false, 'too-small'],
    [{ largerThan: 0 }, { size: 1 }, true, 'larger-than'],
    // smaller-than: strictly smaller
    [{ smallerThan: 1000 }, { size: 1000 }, false, 'too-large'],
    [{ smallerThan: 1000 }, { size: 999 }, true, 'smaller-than'],
    [{ smallerThan: 1 }, { size: 0 }, true, 'smaller-than'],
    // all set thresholds must hold; the reason is the first set one that held or failed
    [{ olderThanMs: D, largerThan: 10 }, { accessed: 2 * D, size: 11 }, true, 'older-than'],
    [{ olderThanMs: D, largerThan: 10 }, { accessed: 2 * D, size: 10 }, false, 'too-small'],
    [{ olderThanMs: D, largerThan: 10 }, { accessed: D, size: 11 }, false, 'too-recent'],
    [{ olderThanMs: D, largerThan: 10 }, { accessed: D, size: 10 }, false, 'too-recent'],
    [{ largerThan: 10, smallerThan: 20 }, { size: 15 }, true, 'larger-than'],
    [{ largerThan: 10, smallerThan: 20 }, { size: 20 }, false, 'too-large'],
    [{ largerThan: 10, smallerThan: 20 }, { size: 5 }, false, 'too-small']
  ])('rule %j on %j: delete=%s (%s)', (r, spec, deleted, reason) => {
    const plan = decide([cache(1, 'k-1', spec)], one(r), NOW)
    expect(plan.decisions[0]).toMatchObject({ delete: deleted, reason, rule: 'r' })
  })

  it('explains every criterion that held', () => {
    const plan = decide(
      [cache(1, 'k-1', { accessed: 9 * D + 2 * H, size: 3 * 1024 ** 3 })],
      one({ olderThanMs: 7 * D, largerThan: 1024 ** 3 }),
      NOW
    )
    expect(plan.decisions[0].detail).toBe(
      'last accessed 9d 2h ago (older than 7d); 3 GiB (larger than 1 GiB)'
    )
  })

  it('explains by creation time with age-by created', () => {
    const plan = decide(
      [cache(1, 'k-1', { accessed: H, created: 36 * H + 30 * M })],
      one({ olderThanMs: 36 * H, ageBy: 'created' }),
      NOW
    )
    expect(plan.decisions[0]).toMatchObject({
      reason: 'older-than',
      detail: 'created 36h 30m ago (older than 36h)'
    })
  })

  it('explains a failed threshold', () => {
    const plan = decide([cache(1, 'k-1', { accessed: 2 * D })], one({ olderThanMs: 7 * D }), NOW)
    expect(plan.decisions[0].detail).toBe('last accessed 2d ago (not older than 7d)')
  })
})

describe('stale refs', () => {
  const caches = [
    cache(1, 'k-1', { ref: PR1, accessed: 3 * D }),
    cache(2, 'k-2', { ref: PR2, accessed: 3 * D }),
    cache(3, 'k-3', { ref: PR1, accessed: H })
  ]
  const staleRefs = new Set([PR1])

  it('selects caches of dead refs', () => {
    const plan = decide(caches, one({ staleRefs: true }), NOW, { staleRefs })
    expect(reasons(plan)).toEqual({ 1: 'stale-ref', 2: 'ref-alive', 3: 'stale-ref' })
    expect(byId(plan, 1).detail).toBe(`ref ${PR1} no longer exists`)
  })

  it('combines with other thresholds, stale-ref first', () => {
    const plan = decide(caches, one({ staleRefs: true, olderThanMs: D }), NOW, { staleRefs })
    expect(reasons(plan)).toEqual({ 1: 'stale-ref', 2: 'ref-alive', 3: 'too-recent' })
    expect(byId(plan, 1).detail).toBe(
      `ref ${PR1} no longer exists; last accessed 3d ago (older than 24h)`
    )
  })

  it('is a programming error without facts', () => {
    expect(() => decide(caches, one({ staleRefs: true }), NOW)).toThrow(/staleRefs/)
    expect(() => decide(caches, one({ staleRefs: true }), NOW, {})).toThrow(Error)
  })

  it('staleRefs: false is unset', () => {
    expect(usesStaleRefs(one({ staleRefs: false }))).toBe(false)
    expect(usesStaleRefs({ rules: [rule(), rule({ staleRefs: true })] })).toBe(true)
    expect(usesStaleRefs({ rules: [] })).toBe(false)
    expect(reasons(decide(caches, one({ staleRefs: false }), NOW))).toEqual({
      1: 'matched',
      2: 'matched',
      3: 'matched'
    })
  })
})

describe('keep latest', () => {
  // three families on two refs; ages in days since last access
  const caches = [
    cache(1, 'Linux-node-a', { accessed: 1 * D }),
    cache(2, 'Linux-node-b', { accessed: 2 * D }),
    cache(3, 'Linux-node-c', { accessed: 3 * D }),
    cache(4, 'Linux-node-d', { accessed: 4 * D, ref: DEV }),
    cache(5, 'Linux-node-e', { accessed: 5 * D, ref: DEV }),
    cache(6, 'Linux-pip-a', { accessed: 6 * D }),
    cache(7, 'Linux-pip-b', { accessed: 7 * D }),
    cache(8, 'solo', { accessed: 8 * D }),
    cache(9, 'solo', { accessed: 9 * D })
  ]

  it.each([
    [0, [1, 2, 3, 4, 5, 6, 7, 8, 9]],
    [1, [2, 3, 5, 7, 9]],
    [2, [3]],
    [3, []]
  ])('keep-latest %d deletes %j', (n, deleted) => {
    const plan = decide(caches, one({ keepLatest: n }), NOW)
    expect(deletedIds(plan).sort((a, b) => a - b)).toEqual(deleted)
    for (const d of plan.decisions) {
      expect(d.reason).toBe(d.delete ? 'matched' : 'kept-latest')
    }
  })

  it('keeps the newest even when old enough to delete', () => {
    const plan = decide(caches, one({ keepLatest: 1, olderThanMs: 2 * D }), NOW)
    expect(reasons(plan)).toEqual({
      1: 'kept-latest',
      2: 'too-recent',
      3: 'older-than',
      4: 'kept-latest',
      5: 'older-than',
      6: 'kept-latest',
      7: 'older-than',
      8: 'kept-latest',
      9: 'older-than'
    })
    expect(byId(plan, 4).detail).toBe(
      `newest #1 of family 'Linux-node-' on ${DEV} by last access (keep latest 1)`
    )
  })

  it('counts only the rule candidates', () => {
    const plan = decide(caches, one({ keepLatest: 1, keys: keys('*-c', '*-b') }), NOW)
    // 2 and 3 are one group on main: 2 is newer; 7 is alone in its group
    expect(reasons(plan)).toMatchObject({ 2: 'kept-latest', 3: 'matched', 7: 'kept-latest' })
  })

  it('orders by the rule age-by, and breaks ties by the higher id', () => {
    const cs = [
      cache(1, 'k-a', { accessed: 1 * D, created: 9 * D }),
      cache(2, 'k-b', { accessed: 5 * D, created: 2 * D }),
      cache(3, 'k-c', { accessed: 5 * D, created: 2 * D })
    ]
    expect(reasons(decide(cs, one({ keepLatest: 1 }), NOW))).toEqual({
      1: 'kept-latest',
      2: 'matched',
      3: 'matched'
    })
    expect(reasons(decide(cs, one({ keepLatest: 1, ageBy: 'created' }), NOW))).toEqual({
      1: 'matched',
      2: 'matched',
      3: 'kept-latest'
    })
  })

  it('is per rule: what one rule keeps, another may select', () => {
    const plan = decide(
      caches,
      {
        rules: [
          rule({ name: 'A', keepLatest: 5, keys: keys('Linux-node-*') }),
          rule({ name: 'B', keys: keys('Linux-node-a') })
        ]
      },
      NOW
    )
    expect(byId(plan, 1)).toMatchObject({ delete: true, reason: 'matched', rule: 'B' })
    expect(byId(plan, 2)).toMatchObject({ delete: false, reason: 'kept-latest', rule: 'A' })
  })

  it('lets protected caches occupy the newest places', () => {
    const plan = decide(
      caches,
      one({ keepLatest: 1 }, { protect: { keys: keys('Linux-node-a') } }),
      NOW
    )
    expect(byId(plan, 1).reason).toBe('protected')
    expect(byId(plan, 2).reason).toBe('matched')
  })
})

describe('protect', () => {
  const caches = [
    cache(1, 'Linux-node-a', { accessed: 30 * D, size: 900 }),
    cache(2, 'Linux-node-b', { accessed: 30 * D, size: 900, ref: DEV }),
    cache(3, 'Linux-node-c', { accessed: 30 * D, size: 900, ref: PR1 })
  ]

  it.each([
    [{ keys: keys('*-a') }, { 1: 'protected', 2: 'older-than', 3: 'older-than' }],
    [{ refs: refs('main', 'dev') }, { 1: 'protected', 2: 'protected', 3: 'older-than' }],
    [
      { keys: keys('*-c'), refs: refs('dev') },
      { 1: 'older-than', 2: 'protected', 3: 'protected' }
    ]
  ])('protect %# overrides selection', (protect, expected) => {
    const plan = decide(caches, one({ olderThanMs: D }, { protect }), NOW, {})
    expect(reasons(plan)).toEqual(expected)
    for (const d of plan.decisions) expect(d.delete).toBe(d.reason !== 'protected')
  })

  it('overrides the budget too, even when the budget then cannot fit', () => {
    const plan = decide(caches, one({}, { maxTotalSize: 0, protect: { refs: refs('main') } }), NOW)
    expect(reasons(plan)).toEqual({ 1: 'protected', 2: 'over-budget', 3: 'over-budget' })
    expect(plan.budget).toEqual({ limit: 0, before: 2700, after: 900, fits: false })
  })

  it('names the rule and what matched', () => {
    const plan = decide(caches, one({}, { protect: { refs: refs('main') } }), NOW)
    expect(byId(plan, 1)).toMatchObject({
      rule: 'r',
      detail: `protected: ref ${MAIN} matches a protected pattern`
    })
  })

  it('does not turn non-candidates into protected ones', () => {
    const plan = decide(caches, one({ keys: keys('*-b') }, { protect: { keys: keys('*') } }), NOW)
    expect(reasons(plan)).toEqual({ 1: 'key-not-matched', 2: 'protected', 3: 'key-not-matched' })
  })
})

describe('budget', () => {
  // sizes 100 each unless said; LRU order: 5, 4, 3, 2, 1
  const caches = [
    cache(1, 'k-1', { accessed: 1 * D }),
    cache(2, 'k-2', { accessed: 2 * D }),
    cache(3, 'k-3', { accessed: 3 * D }),
    cache(4, 'k-4', { accessed: 4 * D }),
    cache(5, 'k-5', { accessed: 5 * D })
  ]

  it.each([
    [500, [], true, 500],
    [499, [5], true, 400],
    [400, [5], true, 400],
    [399, [5, 4], true, 300],
    [150, [5, 4, 3, 2], true, 100],
    [100, [5, 4, 3, 2], true, 100],
    [99, [5, 4, 3, 2, 1], true, 0],
    [0, [5, 4, 3, 2, 1], true, 0]
  ])(
    'limit %d deletes %j least recently used first and stops once it fits',
    (limit, ids, fits, after) => {
      const plan = decide(caches, one({}, { maxTotalSize: limit }), NOW)
      expect(deletedIds(plan)).toEqual(ids)
      expect(plan.budget).toEqual({ limit, before: 500, after, fits })
      expect(plan.plannedBytes).toBe(500 - after)
      for (const d of plan.decisions) {
        expect(d.reason).toBe(d.delete ? 'over-budget' : 'within-budget')
      }
    }
  )

  it('uses last access for its order, whatever the rule age-by, and breaks ties by id', () => {
    const cs = [
      cache(3, 'k-3', { accessed: 2 * D, created: 1 * D }),
      cache(1, 'k-1', { accessed: 2 * D, created: 9 * D }),
      cache(2, 'k-2', { accessed: 1 * D, created: 30 * D })
    ]
    const plan = decide(cs, one({ ageBy: 'created' }, { maxTotalSize: 200 }), NOW)
    expect(deletedIds(plan)).toEqual([1])
    const plan2 = decide(cs, one({ ageBy: 'created' }, { maxTotalSize: 100 }), NOW)
    expect(deletedIds(plan2)).toEqual([1, 3])
  })

  it('counts every cache in the total, but only deletes candidates', () => {
    const cs = [...caches, cache(6, 'other', { accessed: 50 * D, size: 1000 })]
    const plan = decide(cs, one({ keys: keys('k-*') }, { maxTotalSize: 1200 }), NOW)
    expect(deletedIds(plan)).toEqual([5, 4, 3])
    expect(byId(plan, 6).reason).toBe('key-not-matched')
    expect(plan.budget).toEqual({ limit: 1200, before: 1500, after: 1200, fits: true })
  })

  it('cannot fit when too little is deletable', () => {
    const cs = [...caches, cache(6, 'other', { size: 1000 })]
    const plan = decide(cs, one({ keys: keys('k-*') }, { maxTotalSize: 900 }), NOW)
    expect(deletedIds(plan)).toEqual([5, 4, 3, 2, 1])
    expect(plan.budget).toEqual({ limit: 900, before: 1500, after: 1000, fits: false })
  })

  it('leaves out kept-latest and protected caches', () => {
    const cs = [
      cache(1, 'k-a', { accessed: 1 * D }),
      cache(2, 'k-b', { accessed: 2 * D }),
      cache(3, 'k-c', { accessed: 3 * D }),
      cache(4, 'p-a', { accessed: 9 * D }),
      cache(5, 'p-b', { accessed: 8 * D })
    ]
    const plan = decide(
      cs,
      one({ keepLatest: 1 }, { maxTotalSize: 0, protect: { keys: keys('p-a') } }),
      NOW
    )
    expect(reasons(plan)).toEqual({
      1: 'kept-latest',
      2: 'over-budget',
      3: 'over-budget',
      4: 'protected',
      5: 'kept-latest'
    })
    expect(deletedIds(plan)).toEqual([3, 2])
    expect(plan.budget?.fits).toBe(false)
  })

  it('counts what rules select first, then adds budget material', () => {
    const cs = [...caches, cache(6, 'big-1', { accessed: 0, size: 1000 })]
    const plan = decide(
      cs,
      {
        rules: [rule({ name: 'big', largerThan: 500 }), rule({ name: 'all' })],
        maxTotalSize: 350
      },
      NOW
    )
    expect(byId(plan, 6)).toMatchObject({ reason: 'larger-than', rule: 'big' })
    // the rule's selection first, then the budget's least recently used first
    expect(deletedIds(plan)).toEqual([6, 5, 4])
    expect(byId(plan, 5)).toMatchObject({ reason: 'over-budget', rule: 'big' })
    expect(plan.budget).toEqual({ limit: 350, before: 1500, after: 300, fits: true })
  })

  it('offers candidates that failed a threshold to the budget', () => {
    const plan = decide(caches, one({ olderThanMs: 4 * D }, { maxTotalSize: 250 }), NOW)
    expect(reasons(plan)).toEqual({
      1: 'within-budget',
      2: 'within-budget',
      3: 'over-budget',
      4: 'over-budget',
      5: 'older-than'
    })
    expect(byId(plan, 1).detail).toBe(
      'not needed: 200 B left is within the budget of 250 B; last accessed 24h ago (not older than 4d)'
    )
    expect(byId(plan, 3).detail).toBe(
      'least recently used (last accessed 3d ago) while the total 300 B was over the budget of 250 B'
    )
  })

  it('without thresholds a rule selects nothing by itself', () => {
    const plan = decide(caches, one({}, { maxTotalSize: 10_000 }), NOW)
    expect(plan.deletions).toEqual([])
    expect(new Set(Object.values(reasons(plan)))).toEqual(new Set(['within-budget']))
    expect(plan.budget).toEqual({ limit: 10_000, before: 500, after: 500, fits: true })
  })

  it('attributes budget deletions to the first rule the cache is material for', () => {
    const plan = decide(
      caches,
      {
        rules: [rule({ name: 'A', keys: keys('k-1', 'k-2') }), rule({ name: 'B' })],
        maxTotalSize: 0
      },
      NOW
    )
    expect(plan.deletions.map(d => [d.cache.id, d.rule])).toEqual([
      [5, 'B'],
      [4, 'B'],
      [3, 'B'],
      [2, 'A'],
      [1, 'A']
    ])
  })

  it('has no budget without maxTotalSize', () => {
    expect(decide(caches, one({}), NOW).budget).toBeUndefined()
  })
})

describe('several rules', () => {
  const caches = [
    cache(1, 'Linux-node-a', { accessed: 10 * D, size: 10 }),
    cache(2, 'Linux-node-b', { accessed: 1 * D, size: 5000 }),
    cache(3, 'Linux-node-c', { accessed: 10 * D, size: 5000, ref: PR1 }),
    cache(4, 'macOS-x', { accessed: 1 * D, size: 10 })
  ]
  const policy: Policy = {
    rules: [
      rule({ name: 'old', keys: keys('Linux-*'), olderThanMs: 7 * D }),
      rule({ name: 'big', largerThan: 1000 }),
      rule({ name: 'prs', refs: refs('refs/pull/*') })
    ]
  }

  it('attributes each deletion to the first rule that selected it', () => {
    const plan = decide(caches, policy, NOW)
    expect(plan.decisions.map(d => [d.cache.id, d.delete, d.reason, d.rule])).toEqual([
      [1, true, 'older-than', 'old'],
      [2, true, 'larger-than', 'big'],
      [3, true, 'older-than', 'old'],
      [4, false, 'too-small', 'big']
    ])
  })

  it('keeps with the reason of the first rule a cache is a candidate of', () => {
    const plan = decide(
      caches,
      {
        rules: [
          rule({ name: 'keep', keys: keys('Linux-*'), keepLatest: 9 }),
          rule({ name: 'tiny', smallerThan: 5 })
        ]
      },
      NOW
    )
    expect(byId(plan, 1)).toMatchObject({ reason: 'kept-latest', rule: 'keep' })
    expect(byId(plan, 4)).toMatchObject({ reason: 'too-large', rule: 'tiny' })
  })
})

describe('the plan', () => {
  const caches = [
    cache(30, 'c-1', { accessed: 2 * D, size: 7 }),
    cache(10, 'a-1', { accessed: 9 * D, size: 11 }),
    cache(20, 'b-1', { accessed: 9 * D, size: 13 }),
    cache(40, 'keep', { accessed: 20 * D, size: 17 })
  ]
  const policy = one({ keys: keys('*-1') })

  it('has one decision per cache in input order, deletions largest first', () => {
    const plan = decide(caches, policy, NOW)
    expect(plan.decisions.map(d => d.cache)).toEqual(caches)
    expect(deletedIds(plan)).toEqual([20, 10, 30])
    expect(plan.totalCount).toBe(4)
    expect(plan.totalBytes).toBe(48)
    expect(plan.plannedBytes).toBe(31)
    expect(plan.deletions.every(d => plan.decisions.includes(d))).toBe(true)
  })

  it('orders deletions of equal size least recently used first', () => {
    const same = [
      cache(1, 'a-1', { accessed: 1 * D, size: 5 }),
      cache(2, 'b-1', { accessed: 3 * D, size: 5 }),
      cache(3, 'c-1', { accessed: 2 * D, size: 9 })
    ]
    expect(deletedIds(decide(same, policy, NOW))).toEqual([3, 2, 1])
  })

  it('does not mutate its input and is deterministic', () => {
    const input = frozen(caches.map(c => ({ ...c })))
    const p = frozen({ ...policy, maxTotalSize: 20 })
    const a = decide(input, p, NOW)
    const b = decide(input, p, NOW)
    expect(a).toEqual(b)
    const reversed = decide([...input].reverse(), p, NOW)
    expect(deletedIds(reversed)).toEqual(deletedIds(a))
  })

  it('handles no caches and no rules', () => {
    expect(decide([], policy, NOW)).toEqual({
      decisions: [],
      deletions: [],
      totalCount: 0,
      totalBytes: 0,
      plannedBytes: 0
    })
    const plan = decide(caches, { rules: [] }, NOW)
    expect(plan.deletions).toEqual([])
    expect(new Set(Object.values(reasons(plan)))).toEqual(new Set(['key-not-matched']))
  })

  it.each([
    [one({ keepLatest: -1 })],
    [one({ keepLatest: 1.5 })],
    [one({ olderThanMs: Number.NaN })],
    [one({ largerThan: -1 })],
    [one({ smallerThan: Number.POSITIVE_INFINITY })],
    [one({}, { maxTotalSize: Number.NaN })]
  ])('refuses a malformed policy %#', p => {
    expect(() => decide(caches, p, NOW)).toThrow(/policy/)
  })

  it('refuses a malformed clock', () => {
    expect(() => decide(caches, policy, Number.NaN)).toThrow(/now/)
  })

  it('orders least recently used by last access, then id', () => {
    const sorted = [
      cache(2, 'x', { accessed: D }),
      cache(1, 'x', { accessed: D }),
      cache(3, 'x', { accessed: 2 * D })
    ].sort(compareLeastRecentlyUsed)
    expect(sorted.map(c => c.id)).toEqual([3, 1, 2])
  })
})
