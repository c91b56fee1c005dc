// The policy engine: (caches, policy, now, facts) -> plan. Pure and
// deterministic: no clock, no I/O, inputs never mutated, and every tie is
// broken by a documented total order, so the same caches (in any order) give
// the same deletions.
//
// How one cache is judged:
// 1. Per rule, it is a *candidate* when the rule's `keys` and `refs` match it
//    (an absent matcher matches everything). `keepLatest: N` then keeps the N
//    newest candidates (by the rule's `ageBy`; tie: higher id is newer) of
//    each group sharing a ref and a key family ('kept-latest'). Globally
//    protected caches still count in these groups: they are candidates too.
// 2. A candidate that is not kept is *selected* when it meets every threshold
//    set on the rule (stale ref, older than, larger than, smaller than). With
//    no threshold, it is selected ('matched') unless `maxTotalSize` is set, in
//    which case the rule only offers its candidates to the budget.
// 3. The final decision, in this order of precedence:
//    a. a candidate of no rule: 'key-not-matched' when no rule's `keys` match
//       the key, else 'ref-not-matched';
//    b. covered by `protect` (its keys match the key or its refs match the
//       ref): kept, 'protected' (never deleted, never budget material);
//    c. selected by some rule: deleted, attributed to the first such rule;
//    d. budget material (a candidate of some rule that did not keep it as
//       'kept-latest'): deleted 'over-budget' least recently used first while
//       the total is over `maxTotalSize`, else kept 'within-budget';
//       attributed to the first rule it is material for;
//    e. otherwise the keep reason of the first rule it is a candidate of
//       ('kept-latest', 'too-recent', 'too-small', 'too-large', 'ref-alive').
//    'not-selected' is reserved: the current rules never produce it.
// The deletions come in the order they should be carried out, which matters
// when a cap or the rate limit stops the run part-way: caches selected by a
// rule first, largest first (the most bytes freed per request), then the
// budget's, least recently used first (that order is what a budget means).
// Orders: "least recently used first" is lastAccessedAt ascending, then id
// ascending; "newest first" is the rule's timestamp descending, then id
// descending. Caches equal in both are further ordered by createdAt,
// lastAccessedAt, size, key, ref and version, so no order depends on the input.

import type { Cache } from './cache.js'
import { formatBytes, formatDuration } from './parse.js'
import type { Matcher } from './patterns.js'

export type AgeBy = 'last-accessed' | 'created'

export interface Rule {
  /** shown in summaries, e.g. 'inputs' or 'rule 2 (old PR caches)' */
  readonly name: string
  /** undefined: every key */
  readonly keys?: Matcher
  /** undefined: every ref */
  readonly refs?: Matcher
  readonly olderThanMs?: number
  readonly ageBy: AgeBy
  /** bytes, strictly greater */
  readonly largerThan?: number
  /** bytes, strictly less */
  readonly smallerThan?: number
  readonly keepLatest?: number
  readonly staleRefs?: boolean
}

export interface Policy {
  readonly rules: readonly Rule[]
  /** never deleted */
  readonly protect?: { readonly keys?: Matcher; readonly refs?: Matcher }
  /** bytes */
  readonly maxTotalSize?: number
}

export interface Facts {
  /** full refs known to be dead */
  readonly staleRefs?: ReadonlySet<string>
}

export type DeleteReason =
  'matched' | 'older-than' | 'larger-than' | 'smaller-than' | 'stale-ref' | 'over-budget'

export type KeepReason =
  | 'key-not-matched'
  | 'ref-not-matched'
  | 'protected'
  | 'kept-latest'
  | 'too-recent'
  | 'too-small'
  | 'too-large'
  | 'ref-alive'
  | 'within-budget'
  | 'not-selected'

export interface Decision {
  readonly cache: Cache
  readonly delete: boolean
  readonly reason: DeleteReason | KeepReason
  /** the rule that selected it (or whose candidate it was) */
  readonly rule?: string
  /** human text, e.g. 'last accessed 9d 2h ago (older than 7d)' */
  readonly detail: string
}

export interface Plan {
  /** one per input cache, in input order */
  readonly decisions: readonly Decision[]
  /** the delete===true ones, least recently used first (lastAccessedAt asc, then id asc) */
  readonly deletions: readonly Decision[]
  /** of all caches given */
  readonly totalCount: number
  readonly totalBytes: number
  readonly plannedBytes: number
  readonly budget?: {
    readonly limit: number
    readonly before: number
    readonly after: number
    readonly fits: boolean
  }
}

/** true when some rule needs `facts.staleRefs` */
export function usesStaleRefs(policy: Policy): boolean {
  return policy.rules.some(r => r.staleRefs === true)
}

// ---------------------------------------------------------------------------
// Orders

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Selected caches largest first, then the budget's in least-recently-used order. */
function deletionOrder(a: Decision, b: Decision): number {
  const budgetA = a.reason === 'over-budget'
  const budgetB = b.reason === 'over-budget'
  if (budgetA !== budgetB) return budgetA ? 1 : -1
  if (!budgetA && a.cache.sizeInBytes !== b.cache.sizeInBytes) {
    return b.cache.sizeInBytes - a.cache.sizeInBytes
  }
  return compareLeastRecentlyUsed(a.cache, b.cache)
}

/** The last tie-breakers: any two caches that differ somewhere get an order. */
const byEverything = (a: Cache, b: Cache): number =>
  a.createdAt - b.createdAt ||
  a.lastAccessedAt - b.lastAccessedAt ||
  a.sizeInBytes - b.sizeInBytes ||
  byText(a.key, b.key) ||
  byText(a.ref, b.ref) ||
  byText(a.version, b.version)

/** Least recently used first: lastAccessedAt ascending, then id ascending. */
export const compareLeastRecentlyUsed = (a: Cache, b: Cache): number =>
  a.lastAccessedAt - b.lastAccessedAt || a.id - b.id || byEverything(a, b)

const timestamp = (c: Cache, ageBy: AgeBy): number =>
  ageBy === 'created' ? c.createdAt : c.lastAccessedAt

/** Newest first by the rule's timestamp; tie: the higher id is newer. */
const compareNewest =
  (ageBy: AgeBy) =>
  (a: Cache, b: Cache): number =>
    timestamp(b, ageBy) - timestamp(a, ageBy) || b.id - a.id || byEverything(a, b)

/**
 * A key's family: the key without its last `-`-separated segment, keeping the
 * dash (`Linux-node-3f2a` -> `Linux-node-`); a key without `-` is its own family.
 */
export function keyFamily(key: string): string {
  const dash = key.lastIndexOf('-')
  return dash === -1 ? key : key.slice(0, dash + 1)
}

// ---------------------------------------------------------------------------
// One rule

type Outcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'kept'; readonly detail: string }
  | { readonly kind: 'selected'; readonly reason: DeleteReason; readonly detail: string }
  /** a candidate that failed a threshold: not selected, but budget material */
  | { readonly kind: 'failed'; readonly reason: KeepReason; readonly detail: string }
  /** a candidate of a rule without thresholds under a budget */
  | { readonly kind: 'material' }

const NONE: Outcome = { kind: 'none' }
const MATERIAL: Outcome = { kind: 'material' }

interface Check {
  readonly ok: boolean
  readonly selected: DeleteReason
  readonly failed: KeepReason
  readonly yes: string
  readonly no: string
}

const ago = (ms: number): string => formatDuration(Math.max(0, ms))

function checks(
  rule: Rule,
  c: Cache,
  now: number,
  stale: ReadonlySet<string> | undefined
): Check[] {
  const out: Check[] = []
  if (rule.staleRefs === true) {
    if (stale === undefined) throw new Error('policy: a staleRefs rule needs facts.staleRefs')
    out.push({
      ok: stale.has(c.ref),
      selected: 'stale-ref',
      failed: 'ref-alive',
      yes: `ref ${c.ref} no longer exists`,
      no: `ref ${c.ref} is not known to be gone`
    })
  }
  if (rule.olderThanMs !== undefined) {
    const verb = rule.ageBy === 'created' ? 'created' : 'last accessed'
    const age = now - timestamp(c, rule.ageBy)
    const limit = formatDuration(rule.olderThanMs)
    out.push({
      ok: age > rule.olderThanMs,
      selected: 'older-than',
      failed: 'too-recent',
      yes: `${verb} ${ago(age)} ago (older than ${limit})`,
      no: `${verb} ${ago(age)} ago (not older than ${limit})`
    })
  }
  if (rule.largerThan !== undefined) {
    const size = formatBytes(c.sizeInBytes)
    const limit = formatBytes(rule.largerThan)
    out.push({
      ok: c.sizeInBytes > rule.largerThan,
      selected: 'larger-than',
      failed: 'too-small',
      yes: `${size} (larger than ${limit})`,
      no: `${size} (not larger than ${limit})`
    })
  }
  if (rule.smallerThan !== undefined) {
    const size = formatBytes(c.sizeInBytes)
    const limit = formatBytes(rule.smallerThan)
    out.push({
      ok: c.sizeInBytes < rule.smallerThan,
      selected: 'smaller-than',
      failed: 'too-large',
      yes: `${size} (smaller than ${limit})`,
      no: `${size} (not smaller than ${limit})`
    })
  }
  return out
}

function judgeRule(
  rule: Rule,
  caches: readonly Cache[],
  budgeted: boolean,
  now: number,
  facts: Facts
): Outcome[] {
  const candidate = caches.map(
    c => (rule.keys?.matches(c.key) ?? true) && (rule.refs?.matches(c.ref) ?? true)
  )

  // keep-latest: the N newest of each (ref, key family) group of candidates
  const kept = new Map<number, string>()
  const keep = rule.keepLatest ?? 0
  if (keep > 0) {
    const groups = new Map<string, number[]>()
    caches.forEach((c, i) => {
      if (!candidate[i]) return
      const group = JSON.stringify([c.ref, keyFamily(c.key)])
      const members = groups.get(group)
      if (members) members.push(i)
      else groups.set(group, [i])
    })
    const newest = compareNewest(rule.ageBy)
    const by = rule.ageBy === 'created' ? 'creation' : 'last access'
    for (const members of groups.values()) {
      members.sort((a, b) => newest(caches[a], caches[b]))
      members.slice(0, keep).forEach((i, rank) => {
        const c = caches[i]
        kept.set(
          i,
          `newest #${rank + 1} of family '${keyFamily(c.key)}' on ${c.ref} by ${by} (keep latest ${keep})`
        )
      })
    }
  }

  return caches.map((c, i): Outcome => {
    if (!candidate[i]) return NONE
    const keptDetail = kept.get(i)
    if (keptDetail !== undefined) return { kind: 'kept', detail: keptDetail }
    const cs = checks(rule, c, now, facts.staleRefs)
    if (cs.length === 0) {
      return budgeted
        ? MATERIAL
        : {
            kind: 'selected',
            reason: 'matched',
            detail: 'matches the rule (no age, size or ref condition)'
          }
    }
    const failing = cs.filter(x => !x.ok)
    if (failing.length === 0) {
      return { kind: 'selected', reason: cs[0].selected, detail: cs.map(x => x.yes).join('; ') }
    }
    return { kind: 'failed', reason: failing[0].failed, detail: failing.map(x => x.no).join('; ') }
  })
}

function assertPolicy(policy: Policy, now: number): void {
  const bytesOrMs = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new Error(`policy: ${name} must be a finite number >= 0, got ${v}`)
    }
  }
  if (!Number.isFinite(now)) throw new Error(`policy: now must be a finite time, got ${now}`)
  bytesOrMs('maxTotalSize', policy.maxTotalSize)
  for (const r of policy.rules) {
    bytesOrMs(`${r.name}: olderThanMs`, r.olderThanMs)
    bytesOrMs(`${r.name}: largerThan`, r.largerThan)
    bytesOrMs(`${r.name}: smallerThan`, r.smallerThan)
    if (r.keepLatest !== undefined && !(Number.isSafeInteger(r.keepLatest) && r.keepLatest >= 0)) {
      throw new Error(
        `policy: ${r.name}: keepLatest must be a whole number >= 0, got ${r.keepLatest}`
      )
    }
  }
}

// ---------------------------------------------------------------------------
// The plan

export function decide(
  caches: readonly Cache[],
  policy: Policy,
  now: number,
  facts: Facts = {}
): Plan {
  assertPolicy(policy, now)
  if (usesStaleRefs(policy) && facts.staleRefs === undefined) {
    throw new Error('policy: a rule uses staleRefs, but facts.staleRefs was not given')
  }
  const limit = policy.maxTotalSize
  const budgeted = limit !== undefined
  const rules = policy.rules
  const outcomes = rules.map(rule => judgeRule(rule, caches, budgeted, now, facts))
  const totalBytes = caches.reduce((n, c) => n + c.sizeInBytes, 0)

  const decisions: Decision[] = new Array<Decision>(caches.length)
  /** indexes of budget material, with the first rule each is material for */
  const material: Array<{ readonly i: number; readonly rule: number }> = []
  let selectedBytes = 0

  caches.forEach((c, i) => {
    const of = outcomes.map(o => o[i])
    const first = of.findIndex(o => o.kind !== 'none')
    if (first === -1) {
      const keyMatched = rules.some(r => r.keys?.matches(c.key) ?? true)
      decisions[i] = keyMatched
        ? {
            cache: c,
            delete: false,
            reason: 'ref-not-matched',
            detail: `no rule matching the key matches ref ${c.ref}`
          }
        : { cache: c, delete: false, reason: 'key-not-matched', detail: 'no rule matches the key' }
      return
    }
    const protectedBy = policy.protect?.keys?.matches(c.key)
      ? 'the key'
      : policy.protect?.refs?.matches(c.ref)
        ? `ref ${c.ref}`
        : undefined
    if (protectedBy !== undefined) {
      decisions[i] = {
        cache: c,
        delete: false,
        reason: 'protected',
        rule: rules[first].name,
        detail: `protected: ${protectedBy} matches a protected pattern`
      }
      return
    }
    const selecting = of.findIndex(o => o.kind === 'selected')
    if (selecting !== -1) {
      const o = of[selecting] as Extract<Outcome, { kind: 'selected' }>
      decisions[i] = {
        cache: c,
        delete: true,
        reason: o.reason,
        rule: rules[selecting].name,
        detail: o.detail
      }
      selectedBytes += c.sizeInBytes
      return
    }
    const materialFor = budgeted
      ? of.findIndex(o => o.kind === 'material' || o.kind === 'failed')
      : -1
    if (materialFor !== -1) {
      material.push({ i, rule: materialFor })
      return // decided with the budget below
    }
    const o = of[first] as Extract<Outcome, { kind: 'kept' | 'failed' }>
    decisions[i] = {
      cache: c,
      delete: false,
      reason: o.kind === 'kept' ? 'kept-latest' : o.reason,
      rule: rules[first].name,
      detail: o.detail
    }
  })

  let plannedBytes = selectedBytes
  if (limit !== undefined) {
    material.sort((a, b) => compareLeastRecentlyUsed(caches[a.i], caches[b.i]))
    const needed = new Set<number>()
    for (const m of material) {
      const total = totalBytes - plannedBytes
      if (total <= limit) break
      const c = caches[m.i]
      needed.add(m.i)
      plannedBytes += c.sizeInBytes
      decisions[m.i] = {
        cache: c,
        delete: true,
        reason: 'over-budget',
        rule: rules[m.rule].name,
        detail: `least recently used (last accessed ${ago(now - c.lastAccessedAt)} ago) while the total ${formatBytes(total)} was over the budget of ${formatBytes(limit)}`
      }
    }
    const after = totalBytes - plannedBytes
    for (const m of material) {
      if (needed.has(m.i)) continue
      const failed = outcomes[m.rule][m.i]
      decisions[m.i] = {
        cache: caches[m.i],
        delete: false,
        reason: 'within-budget',
        rule: rules[m.rule].name,
        detail:
          `not needed: ${formatBytes(after)} left is within the budget of ${formatBytes(limit)}` +
          (failed.kind === 'failed' ? `; ${failed.detail}` : '')
      }
    }
  }

  const deletions = decisions.filter(d => d.delete).sort(deletionOrder)
  const after = totalBytes - plannedBytes
  return {
    decisions,
    deletions,
    totalCount: caches.length,
    totalBytes,
    plannedBytes,
    ...(limit !== undefined
      ? { budget: { limit, before: totalBytes, after, fits: after <= limit } }
      : {})
  }
}
