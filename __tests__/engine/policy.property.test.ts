import * as fc from 'fast-check'
import type { Cache } from '../../src/engine/cache.js'
import { compilePatterns, type Matcher } from '../../src/engine/patterns.js'
import {
  compareLeastRecentlyUsed,
  decide,
  keyFamily,
  type Facts,
  type Decision,
  type Plan,
  type Policy,
  type Rule
} from '../../src/engine/policy.js'

const NOW = Date.UTC(2025, 0, 31, 12)
const H = 3_600_000
const D = 24 * H
const RUNS = { numRuns: 200 }

const REFS = ['refs/heads/main', 'refs/heads/dev', 'refs/pull/1/merge', 'refs/pull/2/merge']
const KEYS = [
  ...['Linux', 'macOS'].flatMap(os =>
    ['node', 'pip'].flatMap(tool => ['a', 'b', 'c'].map(h => `${os}-${tool}-${h}`))
  ),
  'solo'
]
const KEY_PATTERNS = [
  'Linux-*',
  '*-node-*',
  'macOS-pip-?',
  '*',
  '{Linux,macOS}-node-*',
  'solo',
  '!*-a',
  '!Linux-pip-*',
  '*-[ab]'
]
const REF_PATTERNS = ['main', 'dev', 'refs/pull/*', '!main', 'refs/pull/1/merge', '*']

const cacheFields = fc.record({
  id: fc.integer({ min: 1, max: 10_000 }),
  key: fc.constantFrom(...KEYS),
  ref: fc.constantFrom(...REFS),
  size: fc.integer({ min: 0, max: 1000 }),
  // few distinct values, so that ties are common
  accessed: fc.integer({ min: 0, max: 12 }).map(n => n * 12 * H),
  age: fc.integer({ min: 0, max: 6 }).map(n => n * D)
})

const cachesArb = fc.uniqueArray(cacheFields, { selector: c => c.id, maxLength: 25 }).map(list =>
  list.map((c): Cache => ({
    id: c.id,
    key: c.key,
    ref: c.ref,
    version: 'v',
    sizeInBytes: c.size,
    lastAccessedAt: NOW - c.accessed,
    createdAt: NOW - c.accessed - c.age
  }))
)

// compiled once per distinct set of lines: matchers are immutable
const compiled = new Map<string, Matcher>()
const compile = (lines: string[], kind: 'key' | 'ref'): Matcher => {
  const id = `${kind}:${lines.join('\n')}`
  let m = compiled.get(id)
  if (!m) compiled.set(id, (m = compilePatterns(lines, kind, kind) as Matcher))
  return m
}

const matcher = (patterns: string[], kind: 'key' | 'ref'): fc.Arbitrary<Matcher | undefined> =>
  fc.option(
    fc.subarray(patterns, { minLength: 1, maxLength: 3 }).map(lines => compile(lines, kind)),
    { nil: undefined }
  )

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined })

const ruleArb = (withStale: boolean): fc.Arbitrary<Omit<Rule, 'name'>> =>
  fc.record({
    keys: matcher(KEY_PATTERNS, 'key'),
    refs: matcher(REF_PATTERNS, 'ref'),
    olderThanMs: opt(fc.integer({ min: 0, max: 6 }).map(n => n * D)),
    ageBy: fc.constantFrom('last-accessed' as const, 'created' as const),
    largerThan: opt(fc.integer({ min: 0, max: 1000 })),
    smallerThan: opt(fc.integer({ min: 0, max: 1000 })),
    keepLatest: opt(fc.integer({ min: 0, max: 3 })),
    staleRefs: withStale ? opt(fc.boolean()) : fc.constant(undefined)
  })

const named = (rules: Omit<Rule, 'name'>[]): Rule[] =>
  rules.map((r, i) => ({ ...r, name: `rule ${i + 1}` }))

const policyArb = (maxRules = 3): fc.Arbitrary<Policy> =>
  fc.record({
    rules: fc.array(ruleArb(true), { maxLength: maxRules }).map(named),
    protect: opt(
      fc.record({ keys: matcher(KEY_PATTERNS, 'key'), refs: matcher(REF_PATTERNS, 'ref') })
    ),
    maxTotalSize: opt(fc.integer({ min: 0, max: 15_000 }))
  })

const factsArb: fc.Arbitrary<Facts> = fc.subarray(REFS).map(refs => ({ staleRefs: new Set(refs) }))

const isCandidate = (r: Rule, c: Cache): boolean =>
  (r.keys?.matches(c.key) ?? true) && (r.refs?.matches(c.ref) ?? true)

const isProtected = (p: Policy, c: Cache): boolean =>
  (p.protect?.keys?.matches(c.key) ?? false) || (p.protect?.refs?.matches(c.ref) ?? false)

const sum = (cs: readonly Cache[]): number => cs.reduce((n, c) => n + c.sizeInBytes, 0)

describe('decide: properties', () => {
  it('gives every cache exactly one decision, in order, and deletions from the input', () => {
    fc.assert(
      fc.property(cachesArb, policyArb(), factsArb, (caches, policy, facts) => {
        const plan = decide(caches, policy, NOW, facts)
        expect(plan.decisions).toHaveLength(caches.length)
        plan.decisions.forEach((d, i) => expect(d.cache).toBe(caches[i]))
        expect(new Set(plan.deletions)).toEqual(new Set(plan.decisions.filter(d => d.delete)))
        // carried out in order: selected largest first, then the budget's least recently used first
        for (let i = 1; i < plan.deletions.length; i++) {
          const [a, b] = [plan.deletions[i - 1], plan.deletions[i]]
          const [budgetA, budgetB] = [a.reason === 'over-budget', b.reason === 'over-budget']
          expect(budgetA && !budgetB).toBe(false)
          if (budgetA) expect(compareLeastRecentlyUsed(a.cache, b.cache)).toBeLessThan(0)
          else if (!budgetB) {
            expect(a.cache.sizeInBytes).toBeGreaterThanOrEqual(b.cache.sizeInBytes)
            if (a.cache.sizeInBytes === b.cache.sizeInBytes)
              expect(compareLeastRecentlyUsed(a.cache, b.cache)).toBeLessThan(0)
          }
        }
        for (const d of plan.deletions) expect(caches).toContain(d.cache)
        expect(new Set(plan.deletions.map(d => d.cache.id)).size).toBe(plan.deletions.length)
        expect(plan.totalCount).toBe(caches.length)
        expect(plan.totalBytes).toBe(sum(caches))
        expect(plan.plannedBytes).toBe(sum(plan.deletions.map(d => d.cache)))
      }),
      RUNS
    )
  })

  it('never deletes a protected cache', () => {
    fc.assert(
      fc.property(cachesArb, policyArb(), factsArb, (caches, policy, facts) => {
        const plan = decide(caches, policy, NOW, facts)
        for (const d of plan.decisions) {
          if (isProtected(policy, d.cache)) {
            expect(d.delete).toBe(false)
            expect(['protected', 'key-not-matched', 'ref-not-matched']).toContain(d.reason)
          } else {
            expect(d.reason).not.toBe('protected')
          }
        }
      }),
      RUNS
    )
  })

  it('never deletes a cache that no rule matches', () => {
    fc.assert(
      fc.property(cachesArb, policyArb(), factsArb, (caches, policy, facts) => {
        const plan = decide(caches, policy, NOW, facts)
        for (const d of plan.decisions) {
          if (!policy.rules.some(r => isCandidate(r, d.cache))) {
            expect(d.delete).toBe(false)
            const keyed = policy.rules.some(r => r.keys?.matches(d.cache.key) ?? true)
            expect(d.reason).toBe(keyed ? 'ref-not-matched' : 'key-not-matched')
          }
        }
      }),
      RUNS
    )
  })

  it('with one rule, never deletes one of the newest keepLatest of a group', () => {
    const single = fc.record({
      rules: ruleArb(true).map(r => named([r])),
      maxTotalSize: opt(fc.integer({ min: 0, max: 15_000 }))
    })
    fc.assert(
      fc.property(cachesArb, single, factsArb, (caches, policy, facts) => {
        const rule = policy.rules[0]
        const n = rule.keepLatest ?? 0
        const ts = (c: Cache): number => (rule.ageBy === 'created' ? c.createdAt : c.lastAccessedAt)
        const groups = new Map<string, Cache[]>()
        for (const c of caches.filter(c => isCandidate(rule, c))) {
          const g = `${c.ref} ${keyFamily(c.key)}`
          groups.set(g, [...(groups.get(g) ?? []), c])
        }
        const kept = new Set<Cache>()
        for (const g of groups.values()) {
          g.sort((a, b) => ts(b) - ts(a) || b.id - a.id)
          g.slice(0, n).forEach(c => kept.add(c))
        }
        const plan = decide(caches, policy, NOW, facts)
        for (const d of plan.decisions) {
          if (kept.has(d.cache)) {
            expect(d.delete).toBe(false)
            expect(d.reason).toBe('kept-latest')
          } else {
            expect(d.reason).not.toBe('kept-latest')
          }
        }
      }),
      RUNS
    )
  })

  it('is deterministic, also under a shuffled input', () => {
    fc.assert(
      fc.property(
        cachesArb.chain(cs =>
          fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length }))
        ),
        policyArb(),
        factsArb,
        ([caches, shuffled], policy, facts) => {
          const a = decide(caches, policy, NOW, facts)
          // through JSON, so the lazily written details are compared too
          expect(JSON.stringify(decide(caches, policy, NOW, facts))).toBe(JSON.stringify(a))
          const b = decide(shuffled, policy, NOW, facts)
          expect(b.deletions.map(d => d.cache.id)).toEqual(a.deletions.map(d => d.cache.id))
          const plain = (d: Decision | undefined): object | undefined =>
            d && { ...d, detail: d.detail }
          const byId = new Map(a.decisions.map(d => [d.cache.id, d]))
          for (const d of b.decisions) expect(plain(d)).toEqual(plain(byId.get(d.cache.id)))
          expect(b.budget).toEqual(a.budget)
        }
      ),
      RUNS
    )
  })

  it('justifies every rule deletion by the rule that it names', () => {
    fc.assert(
      fc.property(cachesArb, policyArb(), factsArb, (caches, policy, facts) => {
        const plan = decide(caches, policy, NOW, facts)
        for (const d of plan.deletions) {
          const rule = policy.rules.find(r => r.name === d.rule) as Rule
          expect(rule).toBeDefined()
          expect(isCandidate(rule, d.cache)).toBe(true)
          if (d.reason === 'over-budget') continue
          const c = d.cache
          const ts = rule.ageBy === 'created' ? c.createdAt : c.lastAccessedAt
          if (rule.olderThanMs !== undefined) expect(NOW - ts).toBeGreaterThan(rule.olderThanMs)
          if (rule.largerThan !== undefined) expect(c.sizeInBytes).toBeGreaterThan(rule.largerThan)
          if (rule.smallerThan !== undefined) expect(c.sizeInBytes).toBeLessThan(rule.smallerThan)
          if (rule.staleRefs) expect(facts.staleRefs?.has(c.ref)).toBe(true)
        }
      }),
      RUNS
    )
  })

  it('attributes a rule deletion to the first rule that selects it', () => {
    const holds = (r: Rule, c: Cache, facts: Facts): boolean => {
      const ts = r.ageBy === 'created' ? c.createdAt : c.lastAccessedAt
      return (
        (r.olderThanMs === undefined || NOW - ts > r.olderThanMs) &&
        (r.largerThan === undefined || c.sizeInBytes > r.largerThan) &&
        (r.smallerThan === undefined || c.sizeInBytes < r.smallerThan) &&
        (!r.staleRefs || (facts.staleRefs?.has(c.ref) ?? false))
      )
    }
    const hasThreshold = (r: Rule): boolean =>
      r.olderThanMs !== undefined ||
      r.largerThan !== undefined ||
      r.smallerThan !== undefined ||
      r.staleRefs === true
    fc.assert(
      fc.property(cachesArb, policyArb(), factsArb, (caches, policy, facts) => {
        const plan = decide(caches, policy, NOW, facts)
        for (const d of plan.deletions) {
          if (d.reason === 'over-budget') continue
          const at = policy.rules.findIndex(r => r.name === d.rule)
          for (const r of policy.rules.slice(0, at)) {
            // an earlier rule did not select it: not a candidate, kept, or a threshold failed
            if (!isCandidate(r, d.cache) || (r.keepLatest ?? 0) > 0) continue
            if (hasThreshold(r)) expect(holds(r, d.cache, facts)).toBe(false)
            else expect(policy.maxTotalSize).toBeDefined()
          }
        }
      }),
      RUNS
    )
  })

  it('fits the budget whenever enough material exists, and deletes no more than needed', () => {
    const budgeted = policyArb().map(p => ({ ...p, maxTotalSize: p.maxTotalSize ?? 5000 }))
    fc.assert(
      fc.property(cachesArb, budgeted, factsArb, (caches, policy, facts) => {
        const plan = decide(caches, policy, NOW, facts)
        const limit = policy.maxTotalSize as number
        const budget = plan.budget
        expect(budget).toBeDefined()
        if (!budget) return
        expect(budget.limit).toBe(limit)
        expect(budget.before).toBe(plan.totalBytes)
        expect(budget.after).toBe(plan.totalBytes - plan.plannedBytes)
        expect(budget.fits).toBe(budget.after <= limit)
        const material = plan.decisions.filter(
          d => d.reason === 'over-budget' || d.reason === 'within-budget'
        )
        const kept = material.filter(d => !d.delete)
        // enough material: everything deletable would bring the total under the limit
        const floor = budget.after - sum(kept.map(d => d.cache))
        if (floor <= limit) expect(budget.fits).toBe(true)
        if (!budget.fits) expect(kept).toEqual([])
        // minimal: without the last budget deletion, the total would not fit
        const overBudget = plan.deletions.filter(d => d.reason === 'over-budget')
        if (overBudget.length > 0) {
          const last = overBudget[overBudget.length - 1]
          expect(budget.after + last.cache.sizeInBytes).toBeGreaterThan(limit)
        }
      }),
      RUNS
    )
  })

  it('deletes for the budget least recently used first', () => {
    const budgeted = policyArb().map(p => ({
      ...p,
      maxTotalSize: p.maxTotalSize ?? 3000
    }))
    fc.assert(
      fc.property(cachesArb, budgeted, factsArb, (caches, policy, facts) => {
        const plan = decide(caches, policy, NOW, facts)
        const deleted = plan.decisions.filter(d => d.reason === 'over-budget').map(d => d.cache)
        const within = plan.decisions.filter(d => d.reason === 'within-budget').map(d => d.cache)
        for (const a of deleted) {
          for (const b of within) expect(compareLeastRecentlyUsed(a, b)).toBeLessThan(0)
        }
        // and budget material is never kept-latest or protected
        for (const d of plan.decisions) {
          if (d.reason === 'over-budget' || d.reason === 'within-budget') {
            expect(isProtected(policy, d.cache)).toBe(false)
          }
        }
      }),
      RUNS
    )
  })

  it('selects nothing by itself without thresholds under a budget', () => {
    const plain = fc.record({
      rules: fc
        .array(
          ruleArb(false).map(r => ({
            ...r,
            olderThanMs: undefined,
            largerThan: undefined,
            smallerThan: undefined
          })),
          { minLength: 1, maxLength: 3 }
        )
        .map(named),
      maxTotalSize: fc.integer({ min: 0, max: 15_000 })
    })
    fc.assert(
      fc.property(cachesArb, plain, (caches, policy) => {
        const plan: Plan = decide(caches, policy, NOW)
        for (const d of plan.deletions) expect(d.reason).toBe('over-budget')
        if (plan.totalBytes <= policy.maxTotalSize) expect(plan.deletions).toEqual([])
      }),
      RUNS
    )
  })
})
