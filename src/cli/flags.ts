// The command line's flags: one per action input (same name, same meaning;
// which commands read it and its default come from engine/inputs.ts), plus
// the few only a terminal needs. The help text, the parser and the input
// getter are all built from this table.

import type { CliInputName, InputName } from '../engine/inputs.js'

/** Inputs the CLI does not take as flags: the command is the first word, the token comes from the environment. */
export type FlagInput = Exclude<InputName, 'command' | 'token'>

/** The command-line-only inputs taken as flags (delete's ids and keys are its arguments). */
export type CliFlagInput = Exclude<CliInputName, 'targets'>

export interface FlagSpec {
  /** a boolean flag takes no value: `--dry-run` */
  readonly boolean?: true
  /** may be given more than once; the values become the input's lines */
  readonly repeatable?: true
  /** the value's placeholder in the help */
  readonly value?: string
  /** a one-letter form, as gh has: -R, -k, -r, -S, -O, -L, -a */
  readonly short?: string
  readonly help: string
}

export const INPUT_FLAGS: Readonly<Record<FlagInput, FlagSpec>> = {
  repository: {
    value: '[HOST/]OWNER/NAME',
    repeatable: true,
    help: "The repository (alias --repo, -R); default $GH_REPO, else $GITHUB_REPOSITORY, else the origin remote of the git repository here. A HOST other than github.com is GitHub Enterprise Server. For prune also a pattern over an organization's repositories, 'my-org/*'; repeat it to add lines, '!my-org/legacy' excludes. For usage and limits, unless --org or --enterprise is given."
  },
  keys: {
    value: 'PATTERN',
    repeatable: true,
    help: "Cache-key pattern; repeat for more. Globs '*', '?', '[...]', '{a,b}'; a leading '!' excludes. Default: every key."
  },
  refs: {
    value: 'PATTERN',
    repeatable: true,
    help: "Ref pattern; repeat for more. A bare name is a branch ('main' is refs/heads/main). Default: every ref."
  },
  'older-than': {
    value: 'DURATION',
    help: "Select only caches older than this, by --age-by: '90m', '36h', '7d', '2w' (units s, m, h, d, w)."
  },
  'age-by': {
    value: 'WHICH',
    help: "What --older-than and --keep-latest measure: 'last-accessed' or 'created'."
  },
  'larger-than': {
    value: 'SIZE',
    help: "Select only caches larger than this: '500MB', '1.5GB' or bytes (sizes are binary: 1 GB = 1 GiB = 1024³ bytes)."
  },
  'smaller-than': {
    value: 'SIZE',
    help: 'Select only caches smaller than this; same format as --larger-than.'
  },
  'keep-latest': {
    value: 'N',
    help: "Never delete the N newest caches of each key family on each ref (a family is the key minus its last '-' part)."
  },
  'stale-refs': {
    boolean: true,
    help: 'Select only caches whose ref no longer exists: a closed pull request, a deleted branch or tag.'
  },
  rules: {
    value: 'YAML',
    help: 'A whole policy as YAML (a list of rules, or rules: with max-total-size, max-deletions and protect). Replaces the flat policy flags. See also --rules-file.'
  },
  policy: {
    value: 'NAME',
    help: "A named policy instead of the selection flags: 'recommended' deletes dead refs' and superseded caches and keeps the repository under 70% of its size limit."
  },
  'max-total-size': {
    value: 'SIZE',
    help: "A budget for all of the repository's caches, e.g. '8GB': matching caches are also deleted, least recently used first, until the total fits."
  },
  'max-deletions': {
    value: 'N',
    help: 'Delete at most N caches in this run; the rest are reported as pending.'
  },
  'dry-run': {
    boolean: true,
    help: 'Do everything except change anything: list, decide and report what would be deleted (prune) or set (limits).'
  },
  'delete-by-key': {
    boolean: true,
    help: 'Delete all versions of one key on one ref with one request, where every cache it could remove is selected.'
  },
  'rate-limit-reserve': {
    value: 'N',
    help: 'Requests of the hourly API budget to leave for others; the run stops before spending them.'
  },
  'deletes-per-minute': {
    value: 'N',
    help: "Pace of deletions on long runs (at most 180, GitHub's ceiling for mutating requests)."
  },
  deadline: {
    value: 'DURATION',
    help: "Stop starting requests after this long ('30s', '10m', '1h') and report what is left."
  },
  org: {
    value: 'NAME',
    help: 'Report on (or set the limits of) this organization instead of a repository. Needs an admin token.'
  },
  enterprise: {
    value: 'SLUG',
    help: 'This enterprise instead of a repository. Needs an enterprise admin token.'
  },
  top: {
    value: 'N',
    help: 'Usage of an organization: list the N largest repositories and sum the rest.'
  },
  shards: {
    value: 'N',
    help: 'Usage of an organization: split the repositories with caches into at most N groups of similar size (1-256), for repository-shards.'
  },
  'retention-days': {
    value: 'DAYS',
    help: 'Set how many days unused caches are kept (1-365; at most 90 for a public repository). github.com only.'
  },
  'size-limit-gb': {
    value: 'GB',
    help: 'Set the cache size limit per repository, in whole GB (1-10000).'
  },
  'max-size-limit-gb': {
    value: 'GB',
    help: 'Set the largest size limit a repository may get, in GB (1-10000). Enterprise on GitHub Enterprise Server only.'
  }
}

/** The flags of list and delete, named and shortened as gh's `cache list` and `cache delete`. */
export const CLI_INPUT_FLAGS: Readonly<Record<CliFlagInput, FlagSpec>> = {
  key: {
    value: 'PREFIX',
    short: 'k',
    help: 'Only caches whose key starts with this (the API filters, perhaps ignoring case).'
  },
  ref: {
    value: 'REF',
    short: 'r',
    help: "Only caches of this ref: 'refs/heads/NAME', 'refs/pull/N/merge', 'refs/tags/T'; a bare name is a branch. With delete, narrows keys and --all."
  },
  sort: {
    value: 'FIELD',
    short: 'S',
    help: "Sort by 'last_accessed_at', 'created_at' or 'size_in_bytes'."
  },
  order: { value: 'ORDER', short: 'O', help: "'desc' or 'asc'." },
  limit: {
    value: 'N',
    short: 'L',
    help: 'List at most N caches (only the pages these need are read).'
  },
  all: {
    boolean: true,
    short: 'a',
    help: 'Delete every cache of the repository, or of --ref.'
  },
  'succeed-on-no-caches': {
    boolean: true,
    help: 'With --all: exit 0 when there is no cache to delete (else 1, as gh).'
  }
}

/** Flags of the command line alone. */
export const CLI_FLAGS = {
  repo: { value: '[HOST/]OWNER/NAME', help: 'Alias of --repository; also -R.' },
  'rules-file': { value: 'PATH', help: 'Read --rules from this YAML file.' },
  'api-url': {
    value: 'URL',
    help: 'The REST API: default $GITHUB_API_URL, else https://api.github.com (GitHub Enterprise Server: https://HOST/api/v3).'
  },
  json: {
    value: '[FIELDS]',
    help: 'Print one JSON document (the action’s outputs) on stdout instead of tables. list: an array of caches, with only FIELDS when given (id,key,ref,version,sizeInBytes,createdAt,lastAccessedAt).'
  },
  verbose: {
    help: 'Debug lines on stderr: each request (method, path, status, time, rate limit left) and each decision of a dry run. Also CACHE_STEWARD_DEBUG=1.'
  },
  help: { help: 'Show this help (also: cache-steward COMMAND --help).' },
  version: { help: 'Print the version and exit.' }
} as const

/** The flag that carries an input (for error messages): `repository` is shown as --repo. */
export function flagOf(input: string): string {
  if (input === 'repository') return '--repo'
  if (input === 'targets') return 'delete'
  return `--${input}`
}
