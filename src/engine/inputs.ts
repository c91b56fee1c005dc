// The action's inputs: every name declared once, with the commands that read
// it and its default (action.yml's, which a test keeps equal), and the readers
// the commands share. Pure: values come through a getter, so tests and the CLI
// supply them without environment variables. Every error is an InputError
// naming the input, raised before any request is made.

import { InputError } from './errors.js'
import { isOwnerName } from './names.js'
import { parseChoice, parseCount, parseRepository } from './parse.js'
import type { AdminTarget } from './targets.js'

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
  StaleRefs: 'stale-refs',
  Rules: 'rules',
  Policy: 'policy',
  MaxTotalSize: 'max-total-size',
  MaxDeletions: 'max-deletions',
  DryRun: 'dry-run',
  DeleteByKey: 'delete-by-key',
  RateLimitReserve: 'rate-limit-reserve',
  DeletesPerMinute: 'deletes-per-minute',
  Deadline: 'deadline',
  Org: 'org',
  Enterprise: 'enterprise',
  Top: 'top',
  Shards: 'shards',
  RetentionDays: 'retention-days',
  SizeLimitGb: 'size-limit-gb',
  MaxSizeLimitGb: 'max-size-limit-gb'
} as const

export type InputName = (typeof Input)[keyof typeof Input]

/** The commands the action runs (its `command` input); the command line runs them too. */
export const ACTION_COMMANDS = ['prune', 'usage', 'limits'] as const
export type ActionCommand = (typeof ACTION_COMMANDS)[number]
/** Commands of the command line alone, as gh's `cache list` and `cache delete`. */
const CLI_ONLY_COMMANDS = ['list', 'delete'] as const
export const COMMANDS = [...ACTION_COMMANDS, ...CLI_ONLY_COMMANDS] as const
export type Command = (typeof COMMANDS)[number]

export interface InputSpec {
  /** the commands that read it; another command warns that it ignores it */
  readonly commands: readonly Command[]
  /** action.yml's default, which the runner fills in */
  readonly default: string
}

const ALL = COMMANDS
const ACTION = ACTION_COMMANDS
const PRUNE: readonly Command[] = ['prune']
const ADMIN: readonly Command[] = ['usage', 'limits']
const spec = (commands: readonly Command[], fallback = ''): InputSpec => ({
  commands,
  default: fallback
})

/** The requests of the hourly budget left to the repository's other workflows. */
export const DEFAULT_RESERVE = 100
/** GitHub's ceiling is 180 mutating requests a minute; the default leaves a share to others. */
export const DEFAULT_DELETES_PER_MINUTE = 150
export const MAX_DELETES_PER_MINUTE = 180
/** Repositories named in an organization's usage report; the rest are summed. */
export const DEFAULT_TOP = 10
/** A job matrix holds at most 256 jobs: the default and the most `shards`. */
export const MAX_SHARDS = 256

export const INPUTS: Readonly<Record<InputName, InputSpec>> = {
  command: spec(ACTION, 'prune'),
  token: spec(ALL, '${{ github.token }}'),
  repository: spec(ALL, '${{ github.repository }}'),
  keys: spec(PRUNE),
  refs: spec(PRUNE),
  'older-than': spec(PRUNE),
  'age-by': spec(PRUNE, 'last-accessed'),
  'larger-than': spec(PRUNE),
  'smaller-than': spec(PRUNE),
  'keep-latest': spec(PRUNE),
  'stale-refs': spec(['prune', 'usage'], 'false'),
  rules: spec(PRUNE),
  policy: spec(PRUNE),
  'max-total-size': spec(PRUNE),
  'max-deletions': spec(PRUNE),
  'dry-run': spec(['prune', 'limits', 'delete'], 'false'),
  'delete-by-key': spec(PRUNE, 'false'),
  'rate-limit-reserve': spec(ALL, String(DEFAULT_RESERVE)),
  'deletes-per-minute': spec(['prune', 'delete'], String(DEFAULT_DELETES_PER_MINUTE)),
  deadline: spec(['prune', 'delete']),
  org: spec(ADMIN),
  enterprise: spec(ADMIN),
  top: spec(['usage'], String(DEFAULT_TOP)),
  shards: spec(['usage'], String(MAX_SHARDS)),
  'retention-days': spec(['limits']),
  'size-limit-gb': spec(['limits']),
  'max-size-limit-gb': spec(['limits'])
}

/**
 * Inputs of the command-line-only commands (list, delete): flags with no
 * action input behind them, so action.yml never declares them. `targets` is
 * delete's arguments as a JSON array of strings (a key may hold a line break).
 */
export const CliInput = {
  Key: 'key',
  Ref: 'ref',
  Sort: 'sort',
  Order: 'order',
  Limit: 'limit',
  All: 'all',
  SucceedOnNoCaches: 'succeed-on-no-caches',
  Targets: 'targets'
} as const

export type CliInputName = (typeof CliInput)[keyof typeof CliInput]

/** gh's default for `cache list --limit`. */
export const DEFAULT_LIST_LIMIT = 30

export const CLI_INPUTS: Readonly<Record<CliInputName, InputSpec>> = {
  key: spec(['list']),
  ref: spec(['list', 'delete']),
  sort: spec(['list'], 'last_accessed_at'),
  order: spec(['list'], 'desc'),
  limit: spec(['list'], String(DEFAULT_LIST_LIMIT)),
  all: spec(['delete'], 'false'),
  'succeed-on-no-caches': spec(['delete'], 'false'),
  targets: spec(['delete'])
}

/** Any name a command reads: an action input, or a command-line-only one. */
export type AnyInputName = InputName | CliInputName

/**
 * Reads an input by name. Declared through a method so that a getter over
 * the action's inputs alone, `(name: InputName) => string`, is one too (the
 * action never runs list or delete, whose inputs are the wider names).
 */
export type InputGetter = { read(name: AnyInputName): string }['read']

/**
 * The default a front end without a runner applies itself: action.yml's,
 * except an expression such as `${{ github.repository }}`, which only the
 * runner can fill in (the command line has no such context: empty).
 */
export const literalDefault = (name: AnyInputName): string => {
  const fallback =
    name in INPUTS ? INPUTS[name as InputName].default : CLI_INPUTS[name as CliInputName].default
  return fallback.includes('${{') ? '' : fallback
}

/** The action's `command`: only the action's commands; list and delete are the command line's. */
export function readCommand(get: InputGetter): ActionCommand {
  return parseChoice(get(Input.Command), Input.Command, ACTION_COMMANDS, 'prune')
}

export function readToken(get: InputGetter): string {
  const token = get(Input.Token).trim()
  if (token === '') {
    throw new InputError(Input.Token, 'is empty; pass a token, for example ${{ github.token }}')
  }
  return token
}

export const readReserve = (get: InputGetter): number =>
  parseCount(get(Input.RateLimitReserve), Input.RateLimitReserve) ?? DEFAULT_RESERVE

function readName(get: InputGetter, input: InputName): string | undefined {
  const t = get(input).trim()
  if (t === '') return undefined
  if (!isOwnerName(t)) {
    throw new InputError(
      input,
      `'${t}' is not a name: letters, digits, '-', '_' and '.' only, not starting with '-', like 'octo-org'`
    )
  }
  return t
}

/** `enterprise`, else `org`, else `repository`; setting both `org` and `enterprise` is a mistake. */
export function readTarget(get: InputGetter): AdminTarget {
  const org = readName(get, Input.Org)
  const enterprise = readName(get, Input.Enterprise)
  if (org && enterprise) {
    throw new InputError(
      Input.Enterprise,
      `and 'org' are both set; set one (org: ${org}, enterprise: ${enterprise})`
    )
  }
  if (enterprise) return { kind: 'enterprise', enterprise }
  if (org) return { kind: 'org', org }
  const repo = parseRepository(get(Input.Repository), Input.Repository)
  return { kind: 'repo', owner: repo.owner, repo: repo.repo }
}

/**
 * The inputs set to something other than their default that `command` does
 * not read: another command's inputs, which this run would silently ignore.
 */
export function ignoredInputs(command: Command, get: InputGetter): InputName[] {
  return (Object.keys(INPUTS) as InputName[]).filter(name => {
    // the command names itself: never another command's input
    if (name === Input.Command) return false
    const { commands, default: fallback } = INPUTS[name]
    if (commands.includes(command)) return false
    const value = get(name).trim()
    return value !== '' && value !== fallback
  })
}

/**
 * The REST API's base URL (GITHUB_API_URL, or the CLI's --api-url): http or
 * https, no credentials, query or fragment, which would ride along on every
 * request. Empty means github.com. Returned without a trailing slash.
 */
export function readApiUrl(text: string | undefined, source: string): string | undefined {
  const t = (text ?? '').trim()
  if (t === '') return undefined
  let url: URL
  try {
    url = new URL(t)
  } catch {
    throw new InputError(
      source,
      `'${t}' is not a URL; like https://api.github.com or https://HOST/api/v3`
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(source, `'${t}' is not an http(s) URL`)
  }
  if (url.username || url.password) {
    throw new InputError(source, 'holds credentials; pass the token as a token, never in the URL')
  }
  // the text, not the URL's search and hash: those are empty for a bare '?' or '#'
  if (t.includes('?') || t.includes('#')) {
    throw new InputError(source, `'${t}' has a query or a fragment; give the API's base URL alone`)
  }
  return url.href.replace(/\/+$/, '')
}
