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
import { formatBytes, formatDuration } from './format.js'
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
  /**
   * A named policy that plans by itself (recommended.ts). `rules` still say
   * what it needs (a staleRefs rule asks for stale-ref facts and a whole
   * listing); `decide` checks them, then hands the plan to the preset.
   */
  readonly preset?: PolicyPreset
}

interface PolicyPreset {
  /** e.g. 'recommended' */
  readonly name: string
  plan(caches: readonly Cache[], policy: Policy, now: number, facts: Facts): Plan
}

export interface Facts {
  /** full refs known to be dead */
  readonly staleRefs?: ReadonlySet<string>
  /** the repository's default branch: a full ref (refs/heads/main) or a branch name */
  readonly defaultBranch?: string
  /** the repository's cache size limit, bytes */
  readonly sizeLimit?: number
}

export type DeleteReason =
  | 'matched'
  | 'older-than'
  | 'larger-than'
  | 'smaller-than'
  | 'stale-ref'
  | 'over-budget'
  /** an older version of a key family on the same ref, not restored lately (presets) */
  | 'superseded'
  /** evicted to bring the total under a share of the size limit (presets) */
  | 'over-share'

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
  /** the newest cache of its key family on the default branch (presets) */
  | 'newest-on-default'
  /** not needed to bring the total under a share of the size limit (presets) */
  | 'within-share'

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
// Explanations
//
// A plan over 100,000 caches holds 100,000 decisions, and only the few a
// summary or a log shows are ever read. So a decision keeps how to explain
// itself and builds its `detail` text on first read: planning allocates one
// object per cache instead of a handful of strings.

/** A decision's text, built only when it is read. */
export type Explain = (c: Cache) => string

/** A decision that builds its text on first read (100,000 of them stay cheap). */
export class Judged implements Decision {
  readonly cache: Cache
  readonly delete: boolean
  readonly reason: DeleteReason | KeepReason
  readonly rule?: string
  #why: string | Explain

  constructor(
    cache: Cache,
    del: boolean,
    reason: DeleteReason | KeepReason,
    rule: string | undefined,
    why: string | Explain
  ) {
    this.cache = cache
    this.delete = del
    this.reason = reason
    if (rule !== undefined) this.rule = rule
    this.#why = why
  }

  get detail(): string {
    if (typeof this.#why !== 'string') this.#why = this.#why(this.cache)
    return this.#why
  }

  /** what toEqual and JSON see: the detail is part of a decision's value */
  toJSON(): Decision {
    return {
      cache: this.cache,
      delete: this.delete,
      reason: this.reason,
      ...(this.rule !== undefined ? { rule: this.rule } : {}),
      detail: this.detail
    }
  }
}

// ---------------------------------------------------------------------------
// One rule

/** One threshold of a rule, with its fixed texts built once per rule. */
interface Threshold {
  readonly selected: DeleteReason
  readonly failed: KeepReason
  readonly ok: (c: Cache) => boolean
  readonly yes: Explain
  readonly no: Explain
}

const ago = (ms: number): string => formatDuration(Math.max(0, ms))

function thresholds(rule: Rule, now: number, stale: ReadonlySet<string> | undefined): Threshold[] {
  const out: Threshold[] = []
  if (rule.staleRefs === true) {
    if (stale === undefined) throw new Error('policy: a staleRefs rule needs facts.staleRefs')
    out.push({
      selected: 'stale-ref',
      failed: 'ref-alive',
      ok: c => stale.has(c.ref),
      yes: c => `ref ${c.ref} no longer exists`,
      no: c => `ref ${c.ref} is not known to be gone`
    })
  }
  const olderThan = rule.olderThanMs
  if (olderThan !== undefined) {
    const verb = rule.ageBy === 'created' ? 'created' : 'last accessed'
    const limit = formatDuration(olderThan)
    const age = (c: Cache): number => now - timestamp(c, rule.ageBy)
    out.push({
      selected: 'older-than',
      failed: 'too-recent',
      ok: c => age(c) > olderThan,
      yes: c => `${verb} ${ago(age(c))} ago (older than ${limit})`,
      no: c => `${verb} ${ago(age(c))} ago (not older than ${limit})`
    })
  }
  const larger = rule.largerThan
  if (larger !== undefined) {
    const limit = formatBytes(larger)
    out.push({
      selected: 'larger-than',
      failed: 'too-small',
      ok: c => c.sizeInBytes > larger,
      yes: c => `${formatBytes(c.sizeInBytes)} (larger than ${limit})`,
      no: c => `${formatBytes(c.sizeInBytes)} (not larger than ${limit})`
    })
  }
  const smaller = rule.smallerThan
  if (smaller !== undefined) {
    const limit = formatBytes(smaller)
    out.push({
      selected: 'smaller-than',
      failed: 'too-large',
      ok: c => c.sizeInBytes < smaller,
      yes: c => `${formatBytes(c.sizeInBytes)} (smaller than ${limit})`,
      no: c => `${formatBytes(c.sizeInBytes)} (not smaller than ${limit})`
    })
  }
  return out
}

/**
 * The caches' refs, numbered: refs repeat across thousands of caches, so each
 * distinct ref is hashed once per plan and matched once per pattern.
 */
interface RefIndex {
  /** the ref number of each cache, in input order */
  readonly of: Int32Array
  readonly refs: readonly string[]
}

function indexRefs(caches: readonly Cache[]): RefIndex {
  const ids = new Map<string, number>()
  const refs: string[] = []
  const of = new Int32Array(caches.length)
  for (let i = 0; i < caches.length; i++) {
    const ref = caches[i].ref
    let id = ids.get(ref)
    if (id === undefined) {
      id = refs.length
      ids.set(ref, id)
      refs.push(ref)
    }
    of[i] = id
  }
  return { of, refs }
}

const NO_REFS: RefIndex = { of: new Int32Array(0), refs: [] }

/** A matcher's answer for each cache's ref, asked once per distinct ref. */
function refTest(
  matcher: Matcher | undefined,
  index: RefIndex
): ((i: number) => boolean) | undefined {
  if (matcher === undefined) return undefined
  const answers = new Uint8Array(index.refs.length) // 0 not asked, 1 no, 2 yes
  return i => {
    const id = index.of[i]
    if (answers[id] === 0) answers[id] = matcher.matches(index.refs[id]) ? 2 : 1
    return answers[id] === 2
  }
}

// What one rule says of one cache.
const NOT_CANDIDATE = 0
/** kept by keep-latest */
const KEPT = 1
/** a candidate that meets every threshold (or a rule without thresholds, no budget) */
const SELECTED = 2
/** a candidate that failed a threshold: not selected, but budget material */
const FAILED = 3
/** a candidate of a rule without thresholds under a budget: budget material only */
const MATERIAL = 4

/** One rule's verdicts, in input order, and how to explain them. */
class RuleVerdicts {
  readonly verdict: Uint8Array
  /** keep-latest ranks (1 is the newest; 0 not kept), by cache index */
  keptRank: Uint32Array = new Uint32Array(0)
  readonly selectedReason: DeleteReason
  readonly explainSelected: Explain
  readonly explainFailed: Explain
  private readonly thresholds: readonly Threshold[]

  constructor(
    readonly rule: Rule,
    caches: readonly Cache[],
    budgeted: boolean,
    now: number,
    facts: Facts,
    refIndex: RefIndex
  ) {
    const ts = thresholds(rule, now, facts.staleRefs)
    this.thresholds = ts
    this.selectedReason = ts.length === 0 ? 'matched' : ts[0].selected
    this.explainSelected =
      ts.length === 0
        ? () => 'matches the rule (no age, size or ref condition)'
        : c => ts.map(t => t.yes(c)).join('; ')
    this.explainFailed = c =>
      ts
        .filter(t => !t.ok(c))
        .map(t => t.no(c))
        .join('; ')

    const n = caches.length
    const verdict = new Uint8Array(n)
    const keys = rule.keys
    const refMatches = refTest(rule.refs, refIndex)
    for (let i = 0; i < n; i++) {
      const c = caches[i]
      if ((keys?.matches(c.key) ?? true) && (refMatches?.(i) ?? true)) {
        verdict[i] = SELECTED // provisional: a candidate
      }
    }
    this.keepLatest(caches, verdict, refIndex)
    for (let i = 0; i < n; i++) {
      if (verdict[i] !== SELECTED) continue
      if (ts.length === 0) {
        if (budgeted) verdict[i] = MATERIAL
        continue
      }
      const c = caches[i]
      for (const t of ts) {
        if (!t.ok(c)) {
          verdict[i] = FAILED
          break
        }
      }
    }
    this.verdict = verdict
  }

  /** The keep reason of a cache that failed a threshold: its first failing one. */
  failedReason(c: Cache): KeepReason {
    for (const t of this.thresholds) if (!t.ok(c)) return t.failed
    return 'not-selected' // unreachable: FAILED means some threshold failed
  }

  /**
   * keep-latest: the N newest of each (ref, key family) group of candidates.
   * Groups are numbered densely and bucketed in typed arrays: a repository of
   * 100,000 caches can hold 50,000 groups, too many for a Map and an array each.
   */
  private keepLatest(caches: readonly Cache[], verdict: Uint8Array, refIndex: RefIndex): void {
    const rule = this.rule
    const keep = rule.keepLatest ?? 0
    if (keep === 0) return
    const n = caches.length
    this.keptRank = new Uint32Array(n)
    // number the families of the candidates, then the (ref, family) pairs
    const familyIds = new Map<string, number>()
    const familyOf = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      if (verdict[i] === NOT_CANDIDATE) continue
      const family = keyFamily(caches[i].key)
      let f = familyIds.get(family)
      if (f === undefined) familyIds.set(family, (f = familyIds.size))
      familyOf[i] = f
    }
    const families = familyIds.size
    const pairs = refIndex.refs.length * families
    // a table when the pairs are few enough (the usual case), else a map
    const table = pairs <= 1 << 22 ? new Int32Array(pairs).fill(-1) : undefined
    const map = table ? undefined : new Map<number, number>()
    let groups = 0
    const groupOf = new Int32Array(n).fill(-1)
    for (let i = 0; i < n; i++) {
      if (verdict[i] === NOT_CANDIDATE) continue
      const pair = refIndex.of[i] * families + familyOf[i]
      let g = table ? table[pair] : (map?.get(pair) ?? -1)
      if (g === -1) {
        g = groups++
        if (table) table[pair] = g
        else map?.set(pair, g)
      }
      groupOf[i] = g
    }
    // bucket the candidates by group (a counting sort), then sort each bucket
    const starts = new Int32Array(groups + 1)
    for (let i = 0; i < n; i++) if (groupOf[i] >= 0) starts[groupOf[i] + 1]++
    for (let g = 0; g < groups; g++) starts[g + 1] += starts[g]
    const members = new Int32Array(starts[groups])
    const next = starts.slice(0, groups)
    for (let i = 0; i < n; i++) if (groupOf[i] >= 0) members[next[groupOf[i]]++] = i
    const newest = compareNewest(rule.ageBy)
    const byNewest = (a: number, b: number): number => newest(caches[a], caches[b])
    for (let g = 0; g < groups; g++) {
      const group = members.subarray(starts[g], starts[g + 1])
      if (group.length > 1) group.sort(byNewest)
      const top = Math.min(keep, group.length)
      for (let rank = 1; rank <= top; rank++) {
        const i = group[rank - 1]
        verdict[i] = KEPT
        this.keptRank[i] = rank
      }
    }
  }

  /** Why a cache was kept by keep-latest. */
  explainKept(c: Cache, rank: number): string {
    const by = this.rule.ageBy === 'created' ? 'creation' : 'last access'
    return `newest #${rank} of family '${keyFamily(c.key)}' on ${c.ref} by ${by} (keep latest ${this.rule.keepLatest})`
  }
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

const explainNoKey: Explain = () => 'no rule matches the key'
const explainNoRef: Explain = c => `no rule matching the key matches ref ${c.ref}`
const explainProtectedKey: Explain = () => 'protected: the key matches a protected pattern'
const explainProtectedRef: Explain = c => `protected: ref ${c.ref} matches a protected pattern`

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
  if (policy.preset !== undefined) return policy.preset.plan(caches, policy, now, facts)
  const limit = policy.maxTotalSize
  const budgeted = limit !== undefined
  const rules = policy.rules
  // only plans that match refs or group by them need the refs numbered
  const refIndex =
    rules.some(r => r.refs !== undefined || (r.keepLatest ?? 0) > 0) ||
    policy.protect?.refs !== undefined
      ? indexRefs(caches)
      : NO_REFS
  const verdicts = rules.map(rule => new RuleVerdicts(rule, caches, budgeted, now, facts, refIndex))
  const protectKey = policy.protect?.keys
  const protectRef = refTest(policy.protect?.refs, refIndex)
  let totalBytes = 0
  for (const c of caches) totalBytes += c.sizeInBytes

  const decisions: Decision[] = new Array<Decision>(caches.length)
  /** indexes of the caches a rule selected */
  const selected: number[] = []
  /** indexes of budget material; materialRule[i] is the first rule i is material for */
  const material: number[] = []
  const materialRule = new Int32Array(budgeted ? caches.length : 0)
  let selectedBytes = 0

  for (let i = 0; i < caches.length; i++) {
    const c = caches[i]
    let first = -1
    let selecting = -1
    let materialFor = -1
    for (let r = 0; r < verdicts.length; r++) {
      const v = verdicts[r].verdict[i]
      if (v === NOT_CANDIDATE) continue
      if (first === -1) first = r
      if (v === SELECTED) {
        selecting = r
        break
      }
      if (materialFor === -1 && budgeted && (v === MATERIAL || v === FAILED)) materialFor = r
    }
    if (first === -1) {
      const keyMatched = rules.some(r => r.keys?.matches(c.key) ?? true)
      decisions[i] = keyMatched
        ? new Judged(c, false, 'ref-not-matched', undefined, explainNoRef)
        : new Judged(c, false, 'key-not-matched', undefined, explainNoKey)
      continue
    }
    const protectedWhy = protectKey?.matches(c.key)
      ? explainProtectedKey
      : protectRef?.(i)
        ? explainProtectedRef
        : undefined
    if (protectedWhy !== undefined) {
      decisions[i] = new Judged(c, false, 'protected', rules[first].name, protectedWhy)
      continue
    }
    if (selecting !== -1) {
      const v = verdicts[selecting]
      decisions[i] = new Judged(c, true, v.selectedReason, v.rule.name, v.explainSelected)
      selected.push(i)
      selectedBytes += c.sizeInBytes
      continue
    }
    if (materialFor !== -1) {
      material.push(i)
      materialRule[i] = materialFor
      continue // decided with the budget below
    }
    const v = verdicts[first]
    decisions[i] =
      v.verdict[i] === KEPT
        ? new Judged(c, false, 'kept-latest', v.rule.name, () => v.explainKept(c, v.keptRank[i]))
        : new Judged(c, false, v.failedReason(c), v.rule.name, v.explainFailed)
  }

  // The orders, on cache indexes. Last access comes first from a typed copy:
  // read through the objects, sorting 60,000 caches costs half the plan.
  const sorting = selected.length > 1 || material.length > 1
  const accessed = new Float64Array(sorting ? caches.length : 0)
  if (sorting) for (let i = 0; i < caches.length; i++) accessed[i] = caches[i].lastAccessedAt
  const leastRecentlyUsed = (a: number, b: number): number =>
    accessed[a] - accessed[b] || compareLeastRecentlyUsed(caches[a], caches[b])
  const largestFirst = (a: number, b: number): number =>
    caches[b].sizeInBytes - caches[a].sizeInBytes || leastRecentlyUsed(a, b)

  let plannedBytes = selectedBytes
  const overBudget: number[] = []
  if (limit !== undefined) {
    material.sort(leastRecentlyUsed)
    let m = 0
    for (; m < material.length; m++) {
      const total = totalBytes - plannedBytes
      if (total <= limit) break
      const i = material[m]
      const c = caches[i]
      plannedBytes += c.sizeInBytes
      overBudget.push(i)
      decisions[i] = new Judged(
        c,
        true,
        'over-budget',
        rules[materialRule[i]].name,
        () =>
          `least recently used (last accessed ${ago(now - c.lastAccessedAt)} ago) while the total ${formatBytes(total)} was over the budget of ${formatBytes(limit)}`
      )
    }
    const notNeeded = `not needed: ${formatBytes(totalBytes - plannedBytes)} left is within the budget of ${formatBytes(limit)}`
    const withinAfterFailing = verdicts.map(
      (v): Explain =>
        c =>
          `${notNeeded}; ${v.explainFailed(c)}`
    )
    for (; m < material.length; m++) {
      const i = material[m]
      const rule = materialRule[i]
      const why = verdicts[rule].verdict[i] === FAILED ? withinAfterFailing[rule] : notNeeded
      decisions[i] = new Judged(caches[i], false, 'within-budget', rules[rule].name, why)
    }
  }

  // selected caches largest first, then the budget's in least-recently-used order
  selected.sort(largestFirst)
  const deletions = [...selected, ...overBudget].map(i => decisions[i])
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
