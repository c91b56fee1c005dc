// `policy: recommended`: one policy a user can run on a schedule (and on
// `pull_request` closed and `delete`) without inventing thresholds. Pure, like
// decide(): no clock, no I/O, inputs never mutated, every tie broken by a total
// order. Its parameters were chosen with the simulator (docs/effectiveness.md).
//
// How each cache is judged, in this order of precedence:
// 1. covered by `protect`: kept, 'protected';
// 2. the newest version of its key family on the default branch (by
//    creation; versions.ts): kept,
//    'newest-on-default' (never deleted, whatever else is true of it);
// 3. its ref no longer exists (facts.staleRefs): deleted, 'stale-ref';
// 4. superseded (a newer version of its family was created on its ref after
//    it was last restored, see versions.ts) and not restored for
//    `supersededIdleMs`: deleted, 'superseded'. A prefix restore on that ref
//    takes the newest version, so an older one comes back only by its exact
//    key (a re-run's); the simulator shows how rarely that happens;
// 5. everything else may be evicted to keep the total under `share` of the
//    size limit (facts.sizeLimit), least valuable first: superseded versions
//    still in their grace period, then pull-request caches, then the rest;
//    least recently used first within each: 'over-share', else 'within-share'.
//    (Dead refs come first of all, but step 3 has already taken them.)
// Without a size limit among the facts, step 5 deletes nothing.
// The deletions come in the order they should be carried out: steps 3 and 4
// largest first (the most bytes freed per request), then the evictions in
// eviction order.

import type { Cache } from './cache.js'
import type { EventScope } from './event.js'
import { InputError } from './errors.js'
import { formatBytes, formatDuration } from './format.js'
import {
  compareLeastRecentlyUsed,
  keyFamily,
  type Decision,
  Judged,
  type Facts,
  type Plan,
  type Policy
} from './policy.js'
import { buildPolicy, buildRule, type PolicyGlobals, type RuleSource } from './rules.js'
import { branchRef, newestOfLineage, supersededBy } from './versions.js'

export const RECOMMENDED = 'recommended'

export interface RecommendedOptions {
  /** keep the total under this share of the size limit; in (0, 1] */
  readonly share: number
  /** a superseded version is deleted once it has not been restored for this long, ms */
  readonly supersededIdleMs: number
}

/**
 * Chosen with `npm run simulate -- --tune` on the tuning workloads, three
 * seeds each: of the choices that meet every target there, the one with the
 * fewest rebuild minutes (docs/effectiveness.md, "Choosing the parameters").
 * An idle time of 0 drops a superseded version at the first run that sees it.
 */
export const RECOMMENDED_OPTIONS: RecommendedOptions = Object.freeze({
  share: 0.7,
  supersededIdleMs: 0
})

/** The eviction tiers of step 5, least valuable first. */
export const EVICTION_TIERS = ['superseded', 'pull-request', 'least-recently-used'] as const

function assertRecommendedOptions(o: RecommendedOptions): void {
  if (!(Number.isFinite(o.share) && o.share > 0 && o.share <= 1)) {
    throw new Error(`policy recommended: share must be in (0, 1], got ${o.share}`)
  }
  if (!(Number.isFinite(o.supersededIdleMs) && o.supersededIdleMs >= 0)) {
    throw new Error(
      `policy recommended: supersededIdleMs must be a finite number >= 0, got ${o.supersededIdleMs}`
    )
  }
}

/** The scope the preset's rule is built in: it always judges every ref. */
const EVERY_REF: EventScope = { description: 'policy recommended: every ref', readOnlyToken: false }

const DEAD_REFS_RULE = `${RECOMMENDED}: dead refs`

const SOURCE: RuleSource = {
  blame: (_field, error) => error,
  narrowsNothing: () => new InputError('policy', 'recommended: the dead-refs rule narrows nothing'),
  name: () => DEAD_REFS_RULE
}

/**
 * The recommended policy, for the `policy` input and for a `rules` preset.
 * Its one rule (stale-refs, built by the same builder as every rule) makes
 * the executor list the whole repository and look up which refs are dead;
 * `decide` then hands the plan to planRecommended. `protect` works as in
 * any policy. The event that triggers a run never narrows it.
 */
export function recommendedPolicy(
  globals: Pick<PolicyGlobals, 'protect'> = {},
  options: RecommendedOptions = RECOMMENDED_OPTIONS
): Policy {
  assertRecommendedOptions(options)
  const rule = buildRule({ 'stale-refs': 'true' }, SOURCE, EVERY_REF, false)
  const base = buildPolicy([rule], globals.protect ? { protect: globals.protect } : {})
  return {
    ...base,
    preset: {
      name: RECOMMENDED,
      plan: (caches, policy, now, facts) => planRecommended(caches, policy, now, facts, options)
    }
  }
}

// ---------------------------------------------------------------------------
// The plan

const isPullRequestRef = (ref: string): boolean => ref.startsWith('refs/pull/')

const ago = (ms: number): string => formatDuration(Math.max(0, ms))

const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`

/**
 * The recommended plan (see the top of this file). Called by decide() through
 * the policy's preset; `facts.defaultBranch` is required, `facts.staleRefs`
 * is required by the policy's rule, `facts.sizeLimit` enables step 5.
 */
export function planRecommended(
  caches: readonly Cache[],
  policy: Policy,
  now: number,
  facts: Facts,
  options: RecommendedOptions = RECOMMENDED_OPTIONS
): Plan {
  assertRecommendedOptions(options)
  if (!Number.isFinite(now)) throw new Error(`policy: now must be a finite time, got ${now}`)
  if (facts.defaultBranch === undefined || facts.defaultBranch.trim() === '') {
    throw new Error(
      'policy recommended: facts.defaultBranch was not given (it never deletes the newest cache of a family there)'
    )
  }
  if (facts.staleRefs === undefined) {
    throw new Error('policy recommended: facts.staleRefs was not given')
  }
  const sizeLimit = facts.sizeLimit
  if (sizeLimit !== undefined && !(Number.isFinite(sizeLimit) && sizeLimit >= 0)) {
    throw new Error(
      `policy recommended: facts.sizeLimit must be a number of bytes, got ${sizeLimit}`
    )
  }
  const defaultRef = branchRef(facts.defaultBranch.trim())
  const stale = facts.staleRefs
  const idle = options.supersededIdleMs
  const protectKeys = policy.protect?.keys
  const protectRefs = policy.protect?.refs
  const newest = newestOfLineage(caches)
  const newerOf = supersededBy(caches, newest)

  const n = caches.length
  const decisions = new Array<Decision>(n)
  /** deleted by step 3 or 4 */
  const removed: number[] = []
  /** step 5's material, and the tier of each (index into EVICTION_TIERS) */
  const material: number[] = []
  const tier = new Uint8Array(n)
  let totalBytes = 0
  let plannedBytes = 0

  const supersededText = (i: number): string => {
    const newer = caches[newerOf[i]]
    return `superseded by ${newer.key} (created ${ago(now - newer.createdAt)} ago) on ${newer.ref}`
  }

  for (let i = 0; i < n; i++) {
    const c = caches[i]
    totalBytes += c.sizeInBytes
    if (protectKeys?.matches(c.key)) {
      decisions[i] = new Judged(
        c,
        false,
        'protected',
        RECOMMENDED,
        'protected: the key matches a protected pattern'
      )
    } else if (protectRefs?.matches(c.ref)) {
      decisions[i] = new Judged(
        c,
        false,
        'protected',
        RECOMMENDED,
        x => `protected: ref ${x.ref} matches a protected pattern`
      )
    } else if (c.ref === defaultRef && newest[i] === i) {
      decisions[i] = new Judged(
        c,
        false,
        'newest-on-default',
        RECOMMENDED,
        x => `the newest version of family '${keyFamily(x.key)}' on the default branch`
      )
    } else if (stale.has(c.ref)) {
      decisions[i] = new Judged(
        c,
        true,
        'stale-ref',
        DEAD_REFS_RULE,
        x => `ref ${x.ref} no longer exists`
      )
      removed.push(i)
      plannedBytes += c.sizeInBytes
    } else if (newerOf[i] !== -1 && now - c.lastAccessedAt > idle) {
      decisions[i] = new Judged(
        c,
        true,
        'superseded',
        RECOMMENDED,
        x =>
          `${supersededText(i)}; not restored for ${ago(now - x.lastAccessedAt)} (more than ${ago(idle)})`
      )
      removed.push(i)
      plannedBytes += c.sizeInBytes
    } else {
      material.push(i)
      tier[i] = newerOf[i] !== -1 ? 0 : isPullRequestRef(c.ref) ? 1 : 2
    }
  }

  const leastRecentlyUsed = (a: number, b: number): number =>
    compareLeastRecentlyUsed(caches[a], caches[b])
  const evictionOrder = (a: number, b: number): number =>
    tier[a] - tier[b] || leastRecentlyUsed(a, b)
  const largestFirst = (a: number, b: number): number =>
    caches[b].sizeInBytes - caches[a].sizeInBytes || leastRecentlyUsed(a, b)

  const evicted: number[] = []
  const shareLimit = sizeLimit === undefined ? undefined : Math.floor(options.share * sizeLimit)
  if (shareLimit !== undefined && sizeLimit !== undefined) {
    material.sort(evictionOrder)
    const of = `${percent(options.share)} of the size limit ${formatBytes(sizeLimit)} (${formatBytes(shareLimit)})`
    let m = 0
    for (; m < material.length; m++) {
      const total = totalBytes - plannedBytes
      if (total <= shareLimit) break
      const i = material[m]
      const c = caches[i]
      plannedBytes += c.sizeInBytes
      evicted.push(i)
      const what = EVICTION_TIERS[tier[i]]
      decisions[i] = new Judged(
        c,
        true,
        'over-share',
        RECOMMENDED,
        x =>
          `${what === 'superseded' ? `${supersededText(i)}; ` : ''}evicted as ${what}, least recently used first (last accessed ${ago(now - x.lastAccessedAt)} ago), while the total ${formatBytes(total)} was over ${of}`
      )
    }
    const within = `${formatBytes(totalBytes - plannedBytes)} left is within ${of}`
    for (; m < material.length; m++) {
      const i = material[m]
      decisions[i] = new Judged(caches[i], false, 'within-share', RECOMMENDED, x =>
        tier[i] === 0
          ? `${supersededText(i)}, but restored ${ago(now - x.lastAccessedAt)} ago; ${within}`
          : within
      )
    }
  } else {
    for (const i of material) {
      decisions[i] = new Judged(caches[i], false, 'within-share', RECOMMENDED, x =>
        tier[i] === 0
          ? `${supersededText(i)}, but restored ${ago(now - x.lastAccessedAt)} ago; the size limit is not known, so no share is kept`
          : 'the size limit is not known, so no share is kept'
      )
    }
  }

  removed.sort(largestFirst)
  const after = totalBytes - plannedBytes
  return {
    decisions,
    deletions: [...removed, ...evicted].map(i => decisions[i]),
    totalCount: n,
    totalBytes,
    plannedBytes,
    ...(shareLimit !== undefined
      ? { budget: { limit: shareLimit, before: totalBytes, after, fits: after <= shareLimit } }
      : {})
  }
}
