// The action's inputs: every name declared once, parsed once into a frozen
// Settings object. Pure: values come through a getter, so tests (and the CLI)
// can supply them without environment variables. Every error is an
// InputError naming the input, raised before any request is made.

import type { RepoName } from './cache.js'
import { InputError } from './errors.js'
import type { EventScope } from './event.js'
import {
  parseBoolean,
  parseChoice,
  parseCount,
  parseDuration,
  parseLines,
  parseRepository,
  parseSize
} from './parse.js'
import { compilePatterns } from './patterns.js'
import type { AgeBy, Policy, Rule } from './policy.js'

export const Input = {
  Command: 'command',
  Token: 'token',
  Repository: 'repository',
  Keys: 'keys',
  Refs: 'refs',
  OlderThan: 'older-than',
  AgeBy: 'age-by',
  LargerThan: 'larger-than',
  SmallerThan: 'smaller-than',
  KeepLatest: 'keep-latest',
  MaxTotalSize: 'max-total-size',
  MaxDeletions: 'max-deletions',
  DryRun: 'dry-run',
  DeleteByKey: 'delete-by-key',
  RateLimitReserve: 'rate-limit-reserve',
  Deadline: 'deadline'
} as const

export type InputName = (typeof Input)[keyof typeof Input]

export const COMMANDS = ['prune', 'usage', 'limits'] as const
export type Command = (typeof COMMANDS)[number]

export function readCommand(get: InputGetter): Command {
  return parseChoice(get(Input.Command), Input.Command, COMMANDS, 'prune')
}

export interface Settings {
  readonly token: string
  readonly repo: RepoName
  readonly policy: Policy
  readonly scope: EventScope
  readonly dryRun: boolean
  readonly maxDeletions?: number
  readonly deleteByKey: boolean
  readonly reserve: number
  /** ms from the start of the run */
  readonly deadlineMs?: number
}

export type InputGetter = (name: InputName) => string

const AGE_BY: readonly AgeBy[] = ['last-accessed', 'created']

export function readSettings(get: InputGetter, scope: EventScope): Settings {
  const token = get(Input.Token).trim()
  if (token === '') {
    throw new InputError(Input.Token, 'is empty; pass a token, for example ${{ github.token }}')
  }
  const repo = parseRepository(get(Input.Repository), Input.Repository)

  const keys = compilePatterns(parseLines(get(Input.Keys)), 'key', Input.Keys)
  const refLines = parseLines(get(Input.Refs))
  const refs =
    refLines.length > 0
      ? compilePatterns(refLines, 'ref', Input.Refs)
      : scope.refs
        ? compilePatterns(scope.refs, 'ref', Input.Refs)
        : undefined
  const olderThanMs = parseDuration(get(Input.OlderThan), Input.OlderThan)
  const ageBy = parseChoice(get(Input.AgeBy), Input.AgeBy, AGE_BY, 'last-accessed')
  const largerThan = parseSize(get(Input.LargerThan), Input.LargerThan)
  const smallerThan = parseSize(get(Input.SmallerThan), Input.SmallerThan)
  const keepLatest = parseCount(get(Input.KeepLatest), Input.KeepLatest)
  const maxTotalSize = parseSize(get(Input.MaxTotalSize), Input.MaxTotalSize)
  const maxDeletions = parseCount(get(Input.MaxDeletions), Input.MaxDeletions)
  const dryRun = parseBoolean(get(Input.DryRun), Input.DryRun, false)
  const deleteByKey = parseBoolean(get(Input.DeleteByKey), Input.DeleteByKey, false)
  const reserve = parseCount(get(Input.RateLimitReserve), Input.RateLimitReserve) ?? 100
  const deadlineMs = parseDuration(get(Input.Deadline), Input.Deadline)

  if (largerThan !== undefined && smallerThan !== undefined && largerThan >= smallerThan - 1) {
    throw new InputError(
      Input.SmallerThan,
      `no cache can be larger than ${largerThan} bytes and smaller than ${smallerThan} bytes at once`
    )
  }
  if (maxDeletions === 0) {
    throw new InputError(Input.MaxDeletions, 'must be at least 1 (leave it empty for no cap)')
  }

  const narrowed =
    keys !== undefined ||
    refs !== undefined ||
    olderThanMs !== undefined ||
    largerThan !== undefined ||
    smallerThan !== undefined ||
    maxTotalSize !== undefined ||
    (keepLatest ?? 0) > 0
  if (!narrowed) {
    throw new InputError(
      Input.Keys,
      "nothing narrows the selection, so this run would delete every cache of the repository. To ask for exactly that, set keys: '*'"
    )
  }

  const rule: Rule = {
    name: scope.refs && refLines.length === 0 ? scope.description : 'inputs',
    ...(keys ? { keys } : {}),
    ...(refs ? { refs } : {}),
    ...(olderThanMs !== undefined ? { olderThanMs } : {}),
    ageBy,
    ...(largerThan !== undefined ? { largerThan } : {}),
    ...(smallerThan !== undefined ? { smallerThan } : {}),
    ...(keepLatest !== undefined ? { keepLatest } : {})
  }
  const policy: Policy = {
    rules: [rule],
    ...(maxTotalSize !== undefined ? { maxTotalSize } : {})
  }
  return Object.freeze({
    token,
    repo,
    policy,
    scope,
    dryRun,
    ...(maxDeletions !== undefined ? { maxDeletions } : {}),
    deleteByKey,
    reserve,
    ...(deadlineMs !== undefined ? { deadlineMs } : {})
  })
}
