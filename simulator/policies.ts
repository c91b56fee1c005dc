// The policies compared, each run through the real engine at the moments its
// workflow would run: the inputs a user would write go through readSettings
// (the action's own input reader), the event payload through scopeFromEvent,
// the caches through decide(). Only the listing and the deletions are
// simulated: the runner hands decide() what the list API would return and
// counts the requests (api-cost.ts).

import type { Cache } from '../src/engine/cache.js'
import { scopeFromEvent } from '../src/engine/event.js'
import { Input, type InputGetter, type InputName } from '../src/engine/inputs.js'
import { readSettings } from '../src/engine/prune-settings.js'
import {
  decide,
  usesStaleRefs,
  type Decision,
  type Facts,
  type Policy
} from '../src/engine/policy.js'
import {
  RECOMMENDED_OPTIONS,
  recommendedPolicy,
  type RecommendedOptions
} from '../src/engine/recommended.js'
import { listPages, lookupRequests } from './api-cost.js'
import { REPOSITORY } from './payloads.js'
import type { Workload } from './workload.js'
import type { World } from './world.js'

/** When a policy's workflow runs. */
export type Moment = 'pull-request-closed' | 'delete' | 'nightly' | 'after-build'

export const NIGHTLY_CRON = '17 3 * * *'

export interface Occasion {
  readonly moment: Moment
  readonly now: number
  /** the workflow's event: pull_request, delete, schedule or push */
  readonly eventName: string
  readonly payload: Record<string, unknown>
}

export interface PolicyContext {
  readonly occasion: Occasion
  /** every cache of the repository, as the list API would return them */
  readonly caches: readonly Cache[]
  readonly world: World
  readonly workload: Workload
}

export interface PolicyOutcome {
  /** the plan's deletions, each with its reason */
  readonly deletions: readonly Decision[]
  readonly requests: number
}

export interface SimPolicy {
  readonly id: string
  /** how a user would set it up */
  readonly setup: string
  readonly moments: readonly Moment[]
  /** compared against recommended in the targets (false for recommended itself and its variants) */
  readonly alternative: boolean
  run(context: PolicyContext): PolicyOutcome
}

/** The action's inputs as a workflow would give them: unset ones are empty. */
export function inputs(values: Partial<Record<InputName, string>>): InputGetter {
  return (name: InputName) =>
    values[name] ??
    (name === Input.Token ? 'simulated-token' : name === Input.Repository ? REPOSITORY : '')
}

/**
 * What the list API returns for a policy: one ref's caches when every rule
 * names literal refs (the ref filter), else the whole repository, as the
 * executor's listing chooses (src/run/listing.ts).
 */
function listFor(
  policy: Policy,
  caches: readonly Cache[]
): { caches: readonly Cache[]; pages: number } {
  const whole = { caches, pages: listPages(caches.length) }
  if (policy.maxTotalSize !== undefined || usesStaleRefs(policy)) return whole
  const literals = policy.rules.map(r => r.refs?.literals)
  if (literals.some(l => l === undefined || l.length === 0)) return whole
  const refs = new Set(literals.flat() as string[])
  let pages = 0
  for (const ref of refs) pages += listPages(caches.filter(c => c.ref === ref).length)
  return { caches: caches.filter(c => refs.has(c.ref)), pages }
}

/** Lists, resolves stale refs if the policy needs them, decides, and counts the requests. */
function runPolicy(
  policy: Policy,
  context: PolicyContext,
  facts: Omit<Facts, 'staleRefs'> = {},
  factRequests = 0
): PolicyOutcome {
  const listed = listFor(policy, context.caches)
  let requests = listed.pages + factRequests
  let staleRefs: ReadonlySet<string> | undefined
  if (usesStaleRefs(policy)) {
    const refs = listed.caches.map(c => c.ref)
    staleRefs = context.world.staleAmong(refs)
    requests += lookupRequests(refs, staleRefs, context.world)
  }
  const plan = decide(listed.caches, policy, context.occasion.now, {
    ...facts,
    ...(staleRefs ? { staleRefs } : {})
  })
  return { deletions: plan.deletions, requests: requests + plan.deletions.length }
}

const scopeOf = (o: Occasion): ReturnType<typeof scopeFromEvent> =>
  scopeFromEvent(o.eventName, o.payload)

/** A user's policy from flat inputs; the settings are read once per event scope. */
function fromInputs(
  values: Partial<Record<InputName, string>>
): (context: PolicyContext) => PolicyOutcome {
  const get = inputs(values)
  let cached: { key: string; policy: Policy } | undefined
  return context => {
    const scope = scopeOf(context.occasion)
    const key = JSON.stringify(scope.refs ?? null)
    if (cached?.key !== key) cached = { key, policy: readSettings(get, scope).policy }
    return runPolicy(cached.policy, context)
  }
}

const gib = (bytes: number): string => `${Math.round((bytes / 2 ** 30) * 1000) / 1000}GiB`

export interface PolicyChoices {
  readonly recommended?: RecommendedOptions
  /** the LRU budget as a share of the size limit (default 0.8, as the nightly example's 8GB of 10) */
  readonly lruShare?: number
}

/** The policies compared on a workload, GitHub's behaviour alone first. */
export function policiesFor(w: Workload, choices: PolicyChoices = {}): SimPolicy[] {
  const lruBudget = gib(w.sizeLimitBytes * (choices.lruShare ?? 0.8))
  const recommended = recommendedPolicy({}, choices.recommended ?? RECOMMENDED_OPTIONS)
  const runRecommended = (context: PolicyContext): PolicyOutcome => {
    const repo = context.occasion.payload.repository as { default_branch?: string } | undefined
    // the default branch comes with the event's repository, else one GET /repos/{o}/{r};
    // the size limit is one request (the storage-limit endpoint)
    const defaultBranch = repo?.default_branch ?? w.defaultBranch
    const factRequests = (repo?.default_branch !== undefined ? 0 : 1) + 1
    return runPolicy(
      recommended,
      context,
      { defaultBranch, sizeLimit: w.sizeLimitBytes },
      factRequests
    )
  }
  return [
    {
      id: 'github-only',
      setup: 'no cleanup: GitHub’s retention and eviction alone',
      moments: [],
      alternative: true,
      run: () => ({ deletions: [], requests: 0 })
    },
    {
      id: 'pr-close',
      setup:
        'on pull_request closed, delete the pull request’s caches (no inputs: the event’s ref)',
      moments: ['pull-request-closed'],
      alternative: true,
      run: fromInputs({})
    },
    {
      id: 'age-7d',
      setup: `nightly: older-than: 7d`,
      moments: ['nightly'],
      alternative: true,
      run: fromInputs({ [Input.OlderThan]: '7d' })
    },
    {
      id: 'age-3d',
      setup: `nightly: older-than: 3d`,
      moments: ['nightly'],
      alternative: true,
      run: fromInputs({ [Input.OlderThan]: '3d' })
    },
    {
      id: 'lru-budget',
      setup: `after each default-branch build: max-total-size: ${lruBudget}`,
      moments: ['after-build'],
      alternative: true,
      run: fromInputs({ [Input.MaxTotalSize]: lruBudget })
    },
    {
      id: 'recommended',
      setup: 'policy: recommended, nightly and on pull_request closed and delete',
      moments: ['nightly', 'pull-request-closed', 'delete'],
      alternative: false,
      run: runRecommended
    },
    {
      id: 'recommended-nightly',
      setup: 'policy: recommended, nightly only',
      moments: ['nightly'],
      alternative: false,
      run: runRecommended
    }
  ]
}
