import type { Cache } from '../../src/engine/cache.js'
import { compilePatterns, type Matcher } from '../../src/engine/patterns.js'
import { decide, usesStaleRefs, type Facts, type Plan } from '../../src/engine/policy.js'
import {
  RECOMMENDED,
  RECOMMENDED_OPTIONS,
  planRecommended,
  recommendedPolicy
} from '../../src/engine/recommended.js'

const NOW = Date.UTC(2025, 0, 31, 12)
const H = 3_600_000
const D = 24 * H
const MAIN = 'refs/heads/main'
const DEV = 'refs/heads/dev'
const PR1 = 'refs/pull/1/merge'
const PR2 = 'refs/pull/2/merge'
const MB = 1_000_000

interface Spec {
  readonly ref?: string
  readonly size?: number
  /** ms since the last access */
  readonly accessed?: number
  /** ms since creation (default: same as accessed) */
  readonly created?: number
}

const cache = (id: number, key: string, s: Spec = {}): Cache => ({
  id,
  key,
  ref: s.ref ?? MAIN,
  version: 'v1',
  sizeInBytes: s.size ?? 100 * MB,
  lastAccessedAt: NOW - (s.accessed ?? 0),
  createdAt: NOW - (s.created ?? s.accessed ?? 0)
})

const facts = (f: Partial<Facts> = {}): Facts => ({
  staleRefs: new Set<string>(),
  defaultBranch: 'main',
  ...f
})

const reasons = (plan: Plan): Record<number, string> =>
  Object.fromEntries(plan.decisions.map(d => [d.cache.id, d.reason]))
const deletedIds = (plan: Plan): number[] => plan.deletions.map(d => d.cache.id)

describe('recommendedPolicy', () => {
  it('is a policy with one stale-refs rule, so the executor lists everything and looks refs up', () => {
    const policy = recommendedPolicy()
    expect(policy.preset?.name).toBe(RECOMMENDED)
    expect(policy.rules).toHaveLength(1)
    expect(policy.rules[0]).toMatchObject({ name: 'recommended: dead refs', staleRefs: true })
    expect(policy.rules[0].refs).toBeUndefined()
    expect(policy.maxTotalSize).toBeUndefined()
    expect(usesStaleRefs(policy)).toBe(true)
  })

  it('is planned through decide(), which asks for the stale-ref facts first', () => {
    const policy = recommendedPolicy()
    expect(() => decide([], policy, NOW, { defaultBranch: 'main' })).toThrow(/staleRefs/)
    expect(() => decide([], policy, NOW, { staleRefs: new Set() })).toThrow(/defaultBranch/)
    expect(decide([cache(1, 'node-a')], policy, NOW, facts()).decisions).toHaveLength(1)
  })

  it('rejects parameters out of range', () => {
    expect(() => recommendedPolicy({}, { share: 0, supersededIdleMs: 0 })).toThrow(/share/)
    expect(() => recommendedPolicy({}, { share: 1.2, supersededIdleMs: 0 })).toThrow(/share/)
    expect(() => recommendedPolicy({}, { share: 0.5, supersededIdleMs: -1 })).toThrow(/Idle/)
    expect(() => decide([], recommendedPolicy(), NOW, facts({ sizeLimit: Number.NaN }))).toThrow(
      /sizeLimit/
    )
  })
})

describe('policy recommended: its parameters', () => {
  it('are the ones the simulator chose', () => {
    expect(RECOMMENDED_OPTIONS).toEqual({ share: 0.7, supersededIdleMs: 0 })
    expect(Object.isFrozen(RECOMMENDED_OPTIONS)).toBe(true)
  })

  it('apply by default: a superseded version goes at once, the total to 70% of the limit', () => {
    const p = decide(
      [
        cache(1, 'node-new', { created: H }),
        cache(2, 'node-old', { created: 2 * H, accessed: 2 * H }),
        cache(3, 'pip-a', { ref: PR1, size: 600 * MB, accessed: H }),
        cache(4, 'pip-a', { ref: PR2, size: 300 * MB })
      ],
      recommendedPolicy(),
      NOW,
      facts({ sizeLimit: 1_000 * MB })
    )
    expect(reasons(p)).toEqual({
      1: 'newest-on-default',
      2: 'superseded',
      3: 'over-share',
      4: 'within-share'
    })
    expect(p.budget?.limit).toBe(700 * MB)
  })
})

describe('policy recommended: decisions', () => {
  // these spell the parameters out, so that they hold whatever the defaults become
  const OPTIONS = { share: 0.8, supersededIdleMs: 24 * H }
  const plan = (caches: Cache[], f: Partial<Facts> = {}): Plan =>
    decide(caches, recommendedPolicy({}, OPTIONS), NOW, facts(f))

  it('deletes the caches of closed pull requests and deleted branches and tags', () => {
    const p = plan(
      [
        cache(1, 'node-a', { ref: PR1, accessed: H }),
        cache(2, 'node-a', { ref: PR2, accessed: H }),
        cache(3, 'node-a', { ref: DEV }),
        cache(4, 'node-a', { ref: 'refs/tags/v1' }),
        cache(5, 'node-a')
      ],
      { staleRefs: new Set([PR1, DEV, 'refs/tags/v1']) }
    )
    expect(reasons(p)).toEqual({
      1: 'stale-ref',
      2: 'within-share',
      3: 'stale-ref',
      4: 'stale-ref',
      5: 'newest-on-default'
    })
    expect(p.decisions[0].rule).toBe('recommended: dead refs')
    expect(p.decisions[0].detail).toBe(`ref ${PR1} no longer exists`)
  })

  it('keeps the newest cache of every family on the default branch, whatever else is true', () => {
    const p = plan(
      [
        cache(1, 'node-a', { accessed: 30 * D, size: 9_000 * MB }),
        cache(2, 'pip-a', { accessed: 2 * D, created: 3 * D }),
        cache(3, 'pip-b', { accessed: 20 * D }),
        cache(4, 'node-b', { ref: 'refs/heads/trunk' })
      ],
      // even a stale-ref fact about the default branch (a wrong answer) does not delete it
      { staleRefs: new Set([MAIN]), sizeLimit: 1_000 * MB }
    )
    expect(reasons(p)).toMatchObject({ 1: 'newest-on-default', 2: 'newest-on-default' })
    // pip-b is older than pip-a: superseded, and not restored for 20 days
    expect(reasons(p)[3]).toBe('stale-ref')
    expect(reasons(p)[4]).toBe('over-share')
  })

  it('takes the default branch as a bare name or a full ref', () => {
    const caches = [cache(1, 'node-a', { accessed: 9 * D })]
    for (const defaultBranch of ['main', 'refs/heads/main', ' main ']) {
      expect(reasons(plan(caches, { defaultBranch, sizeLimit: 0 }))[1]).toBe('newest-on-default')
    }
  })

  it('drops superseded versions once they have not been restored for the idle time', () => {
    const p = plan([
      cache(1, 'node-new', { created: 2 * D, accessed: H }),
      cache(2, 'node-old', { created: 9 * D, accessed: 3 * D }), // last used before node-new came
      cache(3, 'pip-new', { created: 20 * H }),
      cache(4, 'pip-old', { created: 2 * D, accessed: 21 * H }), // superseded 20h ago: in its grace
      cache(5, 'go-new', { created: 2 * D }),
      cache(6, 'go-old', { created: 9 * D, accessed: 25 * H }), // restored since go-new came: in use
      cache(7, 'node-new', { ref: PR1, created: H }),
      cache(8, 'node-old', { ref: PR1, created: 3 * D, accessed: 3 * D })
    ])
    expect(reasons(p)).toEqual({
      1: 'newest-on-default',
      2: 'superseded',
      3: 'newest-on-default',
      4: 'within-share',
      5: 'newest-on-default',
      6: 'within-share',
      7: 'within-share',
      8: 'superseded'
    })
    expect(p.decisions[1].detail).toBe(
      'superseded by node-new (created 2d ago) on refs/heads/main; not restored for 3d (more than 24h)'
    )
    expect(p.decisions[3].detail).toMatch(
      /^superseded by pip-new \(created 20h ago\) on refs\/heads\/main, but restored 21h ago; the size limit is not known/
    )
    expect(p.decisions[5].detail).toBe('the size limit is not known, so no share is kept')
  })

  it('treats different cache versions and refs as separate lineages', () => {
    const other: Cache = {
      ...cache(2, 'node-old', { created: 9 * D, accessed: 9 * D }),
      version: 'v2'
    }
    const p = plan([
      cache(1, 'node-new', { created: D }),
      other,
      cache(3, 'node-old', { ref: DEV, created: 9 * D, accessed: 9 * D })
    ])
    expect(reasons(p)).toEqual({
      1: 'newest-on-default',
      2: 'newest-on-default',
      3: 'within-share'
    })
  })

  it('keeps the total under the share of the size limit, least valuable first', () => {
    // limit 1000 MB, share 0.8 -> 800 MB; 100 MB each
    const caches = [
      cache(1, 'node-a'), // newest on main: never evicted
      cache(2, 'pip-a', { ref: DEV, accessed: 9 * D }), // other ref, least recently used of all
      cache(3, 'pip-a', { ref: PR1, accessed: 5 * D }),
      cache(4, 'pip-b', { ref: PR2, accessed: 3 * D }),
      cache(5, 'node-x', { ref: PR1, accessed: 2 * H, created: 2 * D }), // superseded, in grace
      cache(6, 'node-y', { ref: PR1, accessed: 3 * H, created: H }),
      cache(7, 'go-a', { ref: DEV, accessed: D }),
      cache(8, 'rs-a', { ref: DEV, accessed: 2 * D }),
      cache(9, 'rs-b', { ref: 'refs/tags/v1', accessed: 4 * D }),
      cache(10, 'rs-c', { ref: 'refs/heads/release', accessed: 5 * D }),
      cache(11, 'rs-d', { ref: 'refs/heads/release/2', accessed: 6 * D })
    ]
    const p = plan(caches, { sizeLimit: 1_000 * MB })
    // 1100 MB -> 800 MB: three go, superseded first, then pull requests by LRU
    expect(deletedIds(p)).toEqual([5, 3, 4])
    expect(p.deletions.every(d => d.reason === 'over-share')).toBe(true)
    expect(p.budget).toEqual({
      limit: 800 * MB,
      before: 1_100 * MB,
      after: 800 * MB,
      fits: true
    })
    expect(p.deletions[1].detail).toMatch(
      /^evicted as pull-request, least recently used first \(last accessed 5d ago\), while the total .+ was over 80% of the size limit/
    )
    expect(reasons(p)[2]).toBe('within-share')
    const tighter = plan(caches, { sizeLimit: 500 * MB })
    // 400 MB: the superseded one, both pull requests, then the LRU rest: 2, 11, 10
    expect(deletedIds(tighter)).toEqual([5, 3, 4, 6, 2, 11, 10])
  })

  it('cannot go under the share when only the default branch newest ones remain, and says so', () => {
    const p = plan([cache(1, 'node-a', { size: 900 * MB }), cache(2, 'pip-a', { ref: DEV })], {
      sizeLimit: 500 * MB
    })
    expect(deletedIds(p)).toEqual([2])
    expect(p.budget?.fits).toBe(false)
  })

  it('orders deletions: dead refs and superseded largest first, then evictions', () => {
    const p = plan(
      [
        cache(1, 'node-a'),
        cache(2, 'node-old', { created: 5 * D, accessed: 5 * D, size: 50 * MB }),
        cache(3, 'pip-a', { ref: PR1, size: 300 * MB }),
        cache(4, 'pip-a', { ref: PR2, size: 700 * MB, accessed: H })
      ],
      { staleRefs: new Set([PR1]), sizeLimit: 500 * MB }
    )
    expect(deletedIds(p)).toEqual([3, 2, 4])
    expect(p.deletions.map(d => d.reason)).toEqual(['stale-ref', 'superseded', 'over-share'])
  })

  it('never deletes what protect covers', () => {
    const protect = {
      keys: compilePatterns(['keep-*'], 'key', 'keys') as Matcher,
      refs: compilePatterns(['dev'], 'ref', 'refs') as Matcher
    }
    const p = decide(
      [
        cache(1, 'keep-a', { ref: PR1 }),
        cache(2, 'pip-a', { ref: DEV }),
        cache(3, 'pip-a', { ref: PR2 })
      ],
      recommendedPolicy({ protect }),
      NOW,
      facts({ staleRefs: new Set([PR1, DEV, PR2]), sizeLimit: 0 })
    )
    expect(reasons(p)).toEqual({ 1: 'protected', 2: 'protected', 3: 'stale-ref' })
  })

  it('is the same plan whatever the order of the caches', () => {
    const caches = [
      cache(1, 'node-a', { accessed: H }),
      cache(2, 'node-b', { accessed: H }),
      cache(3, 'node-c', { ref: PR1, accessed: H }),
      cache(4, 'node-c', { ref: PR2, accessed: H })
    ]
    const f = facts({ sizeLimit: 250 * MB })
    const a = planRecommended(caches, recommendedPolicy(), NOW, f, OPTIONS)
    const b = planRecommended([...caches].reverse(), recommendedPolicy(), NOW, f, OPTIONS)
    expect(deletedIds(a)).toEqual(deletedIds(b))
    expect(JSON.stringify(a.deletions)).toBe(JSON.stringify(b.deletions))
  })
})
