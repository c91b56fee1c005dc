// planWork against a plain reading of its rule, on random listings: a call by
// key goes out only where every cache it could reach on its ref (GitHub
// matches a key as a case-insensitive prefix) is planned and not already in
// another call; shorter keys first; the calls in the plan's order. The code
// finds the reachable caches through a sorted index (100,000 caches in under
// a second instead of minutes); the reference filters the whole listing.
import fc from 'fast-check'
import type { Cache } from '../../src/engine/cache.js'
import type { Decision } from '../../src/engine/policy.js'
import { planWork } from '../../src/run/executor.js'
import type { ListScope } from '../../src/run/listing.js'
import { cache } from '../support/memory-api.js'
import { selected } from '../support/plan.js'

type Work = ReturnType<typeof planWork>[number]

function reference(
  deletions: readonly Decision[],
  listing: { caches: readonly Cache[]; scopes: readonly ListScope[] }
): Work[] {
  const planned = new Set(deletions.map(d => d.cache.id))
  const firstOfGroup = new Map<string, Decision>()
  for (const d of deletions) {
    const id = `${d.cache.ref}\u0000${d.cache.key}`
    if (!firstOfGroup.has(id)) firstOfGroup.set(id, d)
  }
  const claimedBy = new Map<number, Work>()
  const shortestFirst = [...firstOfGroup.values()].sort(
    (a, b) => a.cache.key.length - b.cache.key.length
  )
  for (const { cache: c } of shortestFirst) {
    if (claimedBy.has(c.id)) continue
    const whole = listing.scopes.some(s => (s.ref === undefined || s.ref === c.ref) && !s.keyPrefix)
    if (!whole) continue
    const reachable = listing.caches.filter(
      o => o.ref === c.ref && o.key.toLowerCase().startsWith(c.key.toLowerCase())
    )
    if (reachable.length < 2) continue
    if (!reachable.every(o => planned.has(o.id) && !claimedBy.has(o.id))) continue
    const ids = new Set(reachable.map(o => o.id))
    const work: Work = {
      decisions: deletions.filter(d => ids.has(d.cache.id)),
      byKey: { key: c.key, ref: c.ref }
    }
    for (const d of work.decisions) claimedBy.set(d.cache.id, work)
  }
  const queue: Work[] = []
  for (const d of deletions) {
    const work = claimedBy.get(d.cache.id)
    if (!work) queue.push({ decisions: [d] })
    else if (!queue.includes(work)) queue.push(work)
  }
  return queue
}

// short keys from a small alphabet, in both cases, so that keys often
// prefix one another, differ only in case, or repeat (versions of one key)
const key = fc
  .array(fc.constantFrom('a', 'A', 'b', 'B', '-', '1', 'é', 'É'), { minLength: 1, maxLength: 4 })
  .map(chars => chars.join(''))
const ref = fc.constantFrom('refs/heads/main', 'refs/heads/dev', 'refs/pull/1/merge')
const scopes = fc.constantFrom<ListScope[]>(
  [{}],
  [{ ref: 'refs/heads/main' }],
  [{ ref: 'refs/heads/main' }, { ref: 'refs/heads/dev', keyPrefix: 'a' }],
  [{ keyPrefix: 'A' }]
)

describe('planWork with delete-by-key', () => {
  it('makes the calls a plain reading of the rule makes, in the same order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key, ref, planned: fc.boolean() }), { maxLength: 40 }),
        scopes,
        fc.boolean(),
        (specs, listed, reversed) => {
          const caches = specs.map((s, i) => cache({ id: i + 1, key: s.key, ref: s.ref }))
          const chosen = caches.filter((_, i) => specs[i].planned).map(selected)
          // the plan's order is its own (least recently used first), not the listing's
          const deletions = reversed ? [...chosen].reverse() : chosen
          const listing = { caches, scopes: listed }
          expect(planWork(deletions, listing, true)).toEqual(reference(deletions, listing))
        }
      ),
      { numRuns: 500 }
    )
  })
})
