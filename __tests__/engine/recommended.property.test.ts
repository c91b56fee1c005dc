import * as fc from 'fast-check'
import type { Cache } from '../../src/engine/cache.js'
import { compilePatterns, type Matcher } from '../../src/engine/patterns.js'
import { compareLeastRecentlyUsed, decide, type Facts, type Plan } from '../../src/engine/policy.js'
import {
  EVICTION_TIERS,
  RECOMMENDED_OPTIONS,
  recommendedPolicy,
  type RecommendedOptions
} from '../../src/engine/recommended.js'
import { compareNewestCreated, lineageOf } from '../../src/engine/versions.js'

const NOW = Date.UTC(2025, 0, 31, 12)
const H = 3_600_000
const RUNS = { numRuns: 300 }

const MAIN = 'refs/heads/main'
const REFS = [MAIN, 'refs/heads/dev', 'refs/pull/1/merge', 'refs/pull/2/merge', 'refs/tags/v1']
const KEYS = ['Linux-node-a', 'Linux-node-b', 'Linux-node-c', 'pip-a', 'pip-b', 'solo']

const cachesArb: fc.Arbitrary<Cache[]> = fc
  .uniqueArray(
    fc.record({
      id: fc.integer({ min: 1, max: 10_000 }),
      key: fc.constantFrom(...KEYS),
      ref: fc.constantFrom(...REFS),
      version: fc.constantFrom('v1', 'v1', 'v2'),
      size: fc.integer({ min: 0, max: 1000 }),
      // few distinct values, so that ties are common
      accessed: fc.integer({ min: 0, max: 10 }).map(n => n * 6 * H),
      age: fc.integer({ min: 0, max: 6 }).map(n => n * 12 * H)
    }),
    { selector: c => c.id, maxLength: 30 }
  )
  .map(list =>
    list.map((c): Cache => ({
      id: c.id,
      key: c.key,
      ref: c.ref,
      version: c.version,
      sizeInBytes: c.size,
      lastAccessedAt: NOW - c.accessed,
      createdAt: NOW - c.accessed - c.age
    }))
  )

const factsArb: fc.Arbitrary<Facts> = fc.record({
  staleRefs: fc.subarray(REFS.slice(1)).map(refs => new Set(refs)),
  defaultBranch: fc.constantFrom('main', MAIN),
  sizeLimit: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined })
})

const optionsArb: fc.Arbitrary<RecommendedOptions> = fc.record({
  share: fc.constantFrom(0.5, 0.8, 1),
  supersededIdleMs: fc.constantFrom(0, 12 * H, 24 * H, 48 * H)
})

const protectArb = fc.option(
  fc.record({
    keys: fc.constantFrom(undefined, compilePatterns(['pip-*'], 'key', 'keys') as Matcher),
    refs: fc.constantFrom(undefined, compilePatterns(['dev'], 'ref', 'refs') as Matcher)
  }),
  { nil: undefined }
)

const isProtected = (protect: { keys?: Matcher; refs?: Matcher } | undefined, c: Cache): boolean =>
  (protect?.keys?.matches(c.key) ?? false) || (protect?.refs?.matches(c.ref) ?? false)

/** The newest cache of each lineage. */
const newestOfLineage = (caches: readonly Cache[]): Set<Cache> => {
  const best = new Map<string, Cache>()
  for (const c of caches) {
    const b = best.get(lineageOf(c))
    if (!b || compareNewestCreated(c, b) < 0) best.set(lineageOf(c), c)
  }
  return new Set(best.values())
}

/** Superseded: a version of its lineage was created after it was last restored. */
const supersededSet = (caches: readonly Cache[]): Set<Cache> =>
  new Set(
    caches.filter(c =>
      caches.some(
        y =>
          y !== c &&
          lineageOf(y) === lineageOf(c) &&
          (y.createdAt > c.lastAccessedAt || (y.createdAt === c.lastAccessedAt && y.id > c.id))
      )
    )
  )

const sum = (cs: readonly Cache[]): number => cs.reduce((n, c) => n + c.sizeInBytes, 0)

const run = (
  caches: Cache[],
  facts: Facts,
  options: RecommendedOptions = RECOMMENDED_OPTIONS,
  protect?: { keys?: Matcher; refs?: Matcher }
): Plan => decide(caches, recommendedPolicy(protect ? { protect } : {}, options), NOW, facts)

describe('policy recommended: invariants', () => {
  it('never deletes the newest cache of a key family on the default branch', () => {
    fc.assert(
      fc.property(cachesArb, factsArb, optionsArb, (caches, facts, options) => {
        const newest = newestOfLineage(caches)
        const plan = run(caches, facts, options)
        for (const d of plan.decisions) {
          if (d.cache.ref === MAIN && newest.has(d.cache)) {
            expect(d.delete).toBe(false)
            expect(d.reason).toBe('newest-on-default')
          }
        }
      }),
      RUNS
    )
  })

  it('deletes every cache of a dead ref that nothing protects', () => {
    fc.assert(
      fc.property(
        cachesArb,
        factsArb,
        optionsArb,
        protectArb,
        (caches, facts, options, protect) => {
          const plan = run(caches, facts, options, protect)
          for (const d of plan.decisions) {
            if (facts.staleRefs?.has(d.cache.ref) && !isProtected(protect, d.cache)) {
              expect(d).toMatchObject({ delete: true, reason: 'stale-ref' })
            }
          }
        }
      ),
      RUNS
    )
  })

  it('never deletes a protected cache', () => {
    fc.assert(
      fc.property(
        cachesArb,
        factsArb,
        optionsArb,
        protectArb,
        (caches, facts, options, protect) => {
          const plan = run(caches, facts, options, protect)
          for (const d of plan.decisions) {
            if (isProtected(protect, d.cache))
              expect(d).toMatchObject({ delete: false, reason: 'protected' })
          }
        }
      ),
      RUNS
    )
  })

  it('deletes a live ref’s cache as superseded only when a newer version came after its last use and it sat idle', () => {
    fc.assert(
      fc.property(cachesArb, factsArb, optionsArb, (caches, facts, options) => {
        const superseded = supersededSet(caches)
        const plan = run(caches, facts, options)
        for (const d of plan.decisions) {
          if (d.reason !== 'superseded') continue
          expect(superseded.has(d.cache)).toBe(true)
          expect(NOW - d.cache.lastAccessedAt).toBeGreaterThan(options.supersededIdleMs)
          expect(facts.staleRefs?.has(d.cache.ref)).toBe(false)
        }
        // and every such cache is deleted, one way or another
        for (const d of plan.decisions) {
          const c = d.cache
          if (superseded.has(c) && NOW - c.lastAccessedAt > options.supersededIdleMs) {
            expect(d.delete).toBe(true)
          }
        }
      }),
      RUNS
    )
  })

  it('ends under the share of the limit, or has evicted everything it may', () => {
    fc.assert(
      fc.property(cachesArb, factsArb, optionsArb, (caches, facts, options) => {
        const plan = run(caches, facts, options)
        const kept = plan.decisions.filter(d => !d.delete)
        const after = sum(kept.map(d => d.cache))
        expect(after).toBe(plan.totalBytes - plan.plannedBytes)
        if (facts.sizeLimit === undefined) {
          expect(plan.budget).toBeUndefined()
          expect(plan.decisions.some(d => d.reason === 'over-share')).toBe(false)
          return
        }
        const limit = Math.floor(options.share * facts.sizeLimit)
        expect(plan.budget).toEqual({ limit, before: plan.totalBytes, after, fits: after <= limit })
        if (after > limit) {
          for (const d of kept) expect(['newest-on-default', 'protected']).toContain(d.reason)
        }
      }),
      RUNS
    )
  })

  it('evicts the least valuable first: by tier, then least recently used', () => {
    fc.assert(
      fc.property(cachesArb, factsArb, optionsArb, (caches, facts, options) => {
        const superseded = supersededSet(caches)
        const tier = (c: Cache): number =>
          superseded.has(c) ? 0 : c.ref.startsWith('refs/pull/') ? 1 : 2
        const plan = run(caches, facts, options)
        const evicted = plan.deletions.filter(d => d.reason === 'over-share').map(d => d.cache)
        const spared = plan.decisions.filter(d => d.reason === 'within-share').map(d => d.cache)
        const before = (a: Cache, b: Cache): boolean =>
          tier(a) < tier(b) || (tier(a) === tier(b) && compareLeastRecentlyUsed(a, b) < 0)
        for (let i = 1; i < evicted.length; i++) {
          expect(before(evicted[i - 1], evicted[i])).toBe(true)
        }
        for (const e of evicted) for (const s of spared) expect(before(e, s)).toBe(true)
        for (const d of plan.deletions.filter(d => d.reason === 'over-share')) {
          expect(d.detail).toContain(`evicted as ${EVICTION_TIERS[tier(d.cache)]}`)
        }
      }),
      RUNS
    )
  })

  it('is deterministic: the same caches in any order give the same plan', () => {
    fc.assert(
      fc.property(
        cachesArb.chain(cs =>
          fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length }))
        ),
        factsArb,
        optionsArb,
        ([caches, shuffled], facts, options) => {
          const a = run(caches, facts, options)
          const b = run(shuffled, facts, options)
          expect(JSON.stringify(b.deletions)).toBe(JSON.stringify(a.deletions))
          const byId = (p: Plan): Record<number, string> =>
            Object.fromEntries(p.decisions.map(d => [d.cache.id, `${d.reason} ${d.detail}`]))
          expect(byId(b)).toEqual(byId(a))
          expect(run(caches, facts, options).deletions.map(d => d.cache.id)).toEqual(
            a.deletions.map(d => d.cache.id)
          )
        }
      ),
      RUNS
    )
  })

  it('gives every cache one decision with a known reason, in input order, and never mutates', () => {
    const known = [
      'protected',
      'newest-on-default',
      'stale-ref',
      'superseded',
      'over-share',
      'within-share'
    ]
    fc.assert(
      fc.property(cachesArb, factsArb, optionsArb, (caches, facts, options) => {
        const copy = JSON.stringify(caches)
        const plan = run(
          caches.map(c => Object.freeze({ ...c })),
          facts,
          options
        )
        expect(JSON.stringify(caches)).toBe(copy)
        expect(plan.decisions.map(d => d.cache.id)).toEqual(caches.map(c => c.id))
        for (const d of plan.decisions) {
          expect(known).toContain(d.reason)
          expect(d.delete).toBe(['stale-ref', 'superseded', 'over-share'].includes(d.reason))
          expect(d.detail.length).toBeGreaterThan(0)
        }
        expect(new Set(plan.deletions)).toEqual(new Set(plan.decisions.filter(d => d.delete)))
        expect(plan.plannedBytes).toBe(sum(plan.deletions.map(d => d.cache)))
      }),
      RUNS
    )
  })
})
