// Reading a prune's inputs into one frozen Settings object: the repository or
// an organization's pattern, the policy (flat inputs or a rules document,
// through the same builder), the event's refs, the dry run, the caps and the
// pace. Pure; every error is an InputError naming the input.

import { InputError } from './errors.js'
import type { EventScope } from './event.js'
import {
  DEFAULT_DELETES_PER_MINUTE,
  Input,
  MAX_DELETES_PER_MINUTE,
  readReserve,
  readToken,
  type InputGetter,
  type InputName
} from './inputs.js'
import {
  parseBoolean,
  parseChoice,
  parseCount,
  parseDuration,
  parseLines,
  parseRepository,
  parseSize
} from './parse.js'
import type { Policy } from './policy.js'
import { RECOMMENDED, recommendedPolicy } from './recommended.js'
import { parseRepoPattern } from './repo-pattern.js'
import {
  buildPolicy,
  buildRule,
  readRulesDocument,
  type RuleFields,
  type RulesSyntax,
  type RuleSource
} from './rules.js'
import type { Settings } from './settings.js'

/**
 * `syntax`: the YAML parser and schema validator (rules-syntax.ts), needed
 * only when the `rules` input is set (hasRulesDocument): the caller loads
 * them then, and only then (commands/prune/command.ts).
 */
export function readSettings(get: InputGetter, scope: EventScope, syntax?: RulesSyntax): Settings {
  const token = readToken(get)
  const repoPattern = parseRepoPattern(get(Input.Repository), Input.Repository)
  const repo = repoPattern
    ? {
        owner: repoPattern.owner,
        repo: repoPattern.lines.find(l => !l.startsWith('!'))?.split('/')[1] ?? '*'
      }
    : parseRepository(get(Input.Repository), Input.Repository)
  // An event's ref (a closed pull request's merge ref) belongs to one repository, never to many.
  const eventRefs = repoPattern ? undefined : scope.refs

  const maxDeletionsInput = parseCount(get(Input.MaxDeletions), Input.MaxDeletions)
  const dryRun = parseBoolean(get(Input.DryRun), Input.DryRun, false)
  const deleteByKey = parseBoolean(get(Input.DeleteByKey), Input.DeleteByKey, false)
  const reserve = readReserve(get)
  const deadlineMs = parseDuration(get(Input.Deadline), Input.Deadline)
  const deletesPerMinute = readPace(get(Input.DeletesPerMinute))
  if (maxDeletionsInput === 0) {
    throw new InputError(Input.MaxDeletions, 'must be at least 1 (leave it empty for no cap)')
  }
  const { policy, maxDeletions } = readPolicy(
    get,
    withRefs(scope, eventRefs),
    maxDeletionsInput,
    syntax
  )

  return Object.freeze({
    token,
    repo,
    ...(repoPattern ? { repoPattern } : {}),
    policy,
    scope,
    dryRun,
    ...(maxDeletions !== undefined ? { maxDeletions } : {}),
    deleteByKey,
    reserve,
    deletesPerMinute,
    ...(deadlineMs !== undefined ? { deadlineMs } : {})
  })
}

function readPace(text: string): number {
  const n = parseCount(text, Input.DeletesPerMinute, { min: 1 }) ?? DEFAULT_DELETES_PER_MINUTE
  if (n > MAX_DELETES_PER_MINUTE) {
    throw new InputError(
      Input.DeletesPerMinute,
      `'${n}' is above GitHub's ceiling of ${MAX_DELETES_PER_MINUTE} mutating requests a minute; the default ${DEFAULT_DELETES_PER_MINUTE} leaves a share for other workflows`
    )
  }
  return n
}

/** The scope with `refs` replaced (undefined: the event gives no refs to the rules). */
function withRefs(scope: EventScope, refs: readonly string[] | undefined): EventScope {
  return refs === scope.refs ? scope : { ...scope, refs }
}

/** The run has a `rules` document: the one case that needs a RulesSyntax. */
export const hasRulesDocument = (get: InputGetter): boolean => get(Input.Rules).trim() !== ''

/** The flat policy inputs; `rules` replaces all of them. */
const FLAT_POLICY_INPUTS = [
  Input.Keys,
  Input.Refs,
  Input.OlderThan,
  Input.AgeBy,
  Input.LargerThan,
  Input.SmallerThan,
  Input.KeepLatest,
  Input.StaleRefs,
  Input.MaxTotalSize
] as const

/** Set by the user: not empty and not action.yml's default, which the runner fills in. */
function isSet(get: InputGetter, name: InputName): boolean {
  const v = get(name).trim()
  if (name === Input.AgeBy) return v !== '' && v !== 'last-accessed'
  if (name === Input.StaleRefs) return v !== '' && !['false', 'no', '0'].includes(v.toLowerCase())
  return v !== ''
}

/** The flat inputs as a rule: errors name the input itself (field names are input names). */
function flatSource(scope: EventScope): RuleSource {
  return {
    blame: (_field, error) => error,
    narrowsNothing: () =>
      new InputError(
        Input.Keys,
        "nothing narrows the selection, so this run would delete every cache of the repository. To ask for exactly that, set keys: '*'"
      ),
    name: eventRefs => (eventRefs ? scope.description : 'inputs')
  }
}

/**
 * The policy, from `rules` or from the flat inputs (one rule), through the
 * same builder. Without `refs`, a rule takes the event's refs from `scope`.
 */
function readPolicy(
  get: InputGetter,
  scope: EventScope,
  maxDeletionsInput: number | undefined,
  syntax: RulesSyntax | undefined
): { policy: Policy; maxDeletions: number | undefined } {
  const named = parseChoice(get(Input.Policy), Input.Policy, [RECOMMENDED] as const, '')
  if (named !== '') {
    const conflict = [...FLAT_POLICY_INPUTS, Input.Rules].find(name => isSet(get, name))
    if (conflict) {
      throw new InputError(
        Input.Policy,
        `is a whole policy and cannot be combined with the input '${conflict}'; to protect keys or refs, write 'preset: ${named}' with 'protect:' in 'rules' instead`
      )
    }
    return { policy: recommendedPolicy(), maxDeletions: maxDeletionsInput }
  }
  if (hasRulesDocument(get)) {
    const conflict = FLAT_POLICY_INPUTS.find(name => isSet(get, name))
    if (conflict) {
      throw new InputError(
        Input.Rules,
        `cannot be combined with the input '${conflict}': with 'rules', write '${conflict}' in the rules document (max-total-size beside 'rules:', the other fields in each rule) and leave the '${conflict}' input empty`
      )
    }
    if (!syntax)
      throw new Error("readSettings: the 'rules' input is set but no RulesSyntax was given")
    const doc = readRulesDocument(get(Input.Rules), scope, syntax, {
      [RECOMMENDED]: globals => recommendedPolicy(globals)
    })
    if (doc.maxDeletions !== undefined && maxDeletionsInput !== undefined) {
      throw new InputError(
        Input.Rules,
        "sets 'max-deletions', and so does the input 'max-deletions'; keep only one of them"
      )
    }
    return { policy: doc.policy, maxDeletions: doc.maxDeletions ?? maxDeletionsInput }
  }
  const fields: RuleFields = {
    keys: parseLines(get(Input.Keys)),
    refs: parseLines(get(Input.Refs)),
    'older-than': get(Input.OlderThan),
    'age-by': get(Input.AgeBy),
    'larger-than': get(Input.LargerThan),
    'smaller-than': get(Input.SmallerThan),
    'keep-latest': get(Input.KeepLatest),
    'stale-refs': get(Input.StaleRefs)
  }
  const maxTotalSize = parseSize(get(Input.MaxTotalSize), Input.MaxTotalSize)
  const rule = buildRule(fields, flatSource(scope), scope, maxTotalSize !== undefined)
  return { policy: buildPolicy([rule], { maxTotalSize }), maxDeletions: maxDeletionsInput }
}
