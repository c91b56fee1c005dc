// Cache limits as rules: which settings exist where, validating requested
// values before any request, and planning the change from the current values.
// Pure: run/limits.ts reads and writes them, commands/limits/render.ts shows them.
//
// Where the settings live:
// - github.com (and GHE.com): `retention-days` (PUT .../retention-limit,
//   max_cache_retention_days) and `size-limit-gb` (PUT .../storage-limit,
//   max_cache_size_gb) for a repository, an organization (under
//   /organizations/, not /orgs/) and an enterprise.
// - GHES: `size-limit-gb` (PATCH .../usage-policy, repo_cache_size_limit_in_gb)
//   for a repository and an enterprise, and `max-size-limit-gb`
//   (max_repo_cache_size_limit_in_gb) for an enterprise. GHES has no retention
//   setting and no organization-level policy.
//
// Ranges. GitHub's OpenAPI description (@octokit/openapi, api.github.com.json,
// ghec.json, ghes-3.17..3.19.json) types every one of these fields as a plain
// `integer` with no minimum or maximum, so the bounds below come from the
// product documentation instead:
// - retention-days: 1 to 365. github.com allows up to 90 days for public and
//   365 for private repositories; the visibility of a repository is not known
//   without another request, so 365 is checked here and a public repository
//   above 90 is left to GitHub's 400, which the error message explains.
// - size-limit-gb and max-size-limit-gb: 1 to 10,000 (github.com's paid
//   ceiling of 10 TB). On GHES the default ceiling for a repository is 25 GB,
//   but an enterprise owner can raise it with max-size-limit-gb, so 25 is not
//   a hard bound: a repository value above the enterprise's ceiling is refused
//   by the server (422), and for an enterprise we check size-limit-gb against
//   max-size-limit-gb (requested or current) before writing.
// Zero is refused everywhere: a cache limit of nothing is not a limit anyone
// means to set, and no endpoint documents it.

import type { AdminTarget, ApiFamily } from './targets.js'
import { InputError } from './errors.js'
import { parseCount } from './parse.js'

/** Each setting is named after the input that asks for it. */
export type LimitSetting = 'retention-days' | 'size-limit-gb' | 'max-size-limit-gb'

const RANGES: Readonly<Record<LimitSetting, { min: number; max: number; unit: string }>> = {
  'retention-days': { min: 1, max: 365, unit: 'days' },
  'size-limit-gb': { min: 1, max: 10_000, unit: 'GB' },
  'max-size-limit-gb': { min: 1, max: 10_000, unit: 'GB' }
}

export const LIMIT_SETTINGS: readonly LimitSetting[] = [
  'retention-days',
  'size-limit-gb',
  'max-size-limit-gb'
]

/** The settings that exist for a scope on a family of servers. */
export function settingsFor(target: AdminTarget, family: ApiFamily): readonly LimitSetting[] {
  if (family === 'github.com') return ['retention-days', 'size-limit-gb']
  if (target.kind === 'repo') return ['size-limit-gb']
  if (target.kind === 'enterprise') return ['size-limit-gb', 'max-size-limit-gb']
  return []
}

export const familyName = (f: ApiFamily): string =>
  f === 'ghes' ? 'GitHub Enterprise Server' : 'github.com'

const scopeWord = (t: AdminTarget): string =>
  t.kind === 'repo' ? 'a repository' : t.kind === 'org' ? 'an organization' : 'an enterprise'

export type LimitValues = Partial<Record<LimitSetting, number>>

/** Raw input text per setting ('' = not asked for). */
export type LimitRequestText = Readonly<Record<LimitSetting, string>>

/**
 * Parses and checks the requested values: whole numbers within RANGES, each
 * one a setting that exists for this scope on this family. Throws an
 * InputError naming the input. Makes no request.
 */
export function validateLimitRequest(
  text: LimitRequestText,
  target: AdminTarget,
  family: ApiFamily
): LimitValues {
  if (family === 'ghes' && target.kind === 'org') {
    throw new InputError(
      'org',
      `${familyName(family)} has no organization cache limits; set them for the enterprise (input 'enterprise') or for a repository`
    )
  }
  const available = settingsFor(target, family)
  const requested: LimitValues = {}
  for (const setting of LIMIT_SETTINGS) {
    const raw = text[setting] ?? ''
    if (raw.trim() === '') continue
    if (!available.includes(setting)) {
      throw new InputError(setting, unavailable(setting, target, family))
    }
    const value = parseCount(raw, setting) as number
    const { min, max, unit } = RANGES[setting]
    if (value < min || value > max) {
      throw new InputError(
        setting,
        `${value} is out of range: it must be between ${min} and ${max.toLocaleString('en-US')} ${unit}`
      )
    }
    requested[setting] = value
  }
  const size = requested['size-limit-gb']
  const max = requested['max-size-limit-gb']
  if (size !== undefined && max !== undefined && size > max) {
    throw new InputError(
      'size-limit-gb',
      `${size} GB is more than max-size-limit-gb (${max} GB): the default for repositories cannot exceed the most a repository may be given`
    )
  }
  return requested
}

function unavailable(setting: LimitSetting, target: AdminTarget, family: ApiFamily): string {
  if (setting === 'retention-days') {
    return `${familyName(family)} has no cache retention setting (only github.com and GHE.com have one); leave it empty`
  }
  if (setting === 'max-size-limit-gb' && family === 'github.com') {
    return `github.com has no separate maximum for repositories (that is a GitHub Enterprise Server usage-policy setting); use size-limit-gb`
  }
  return `${familyName(family)} has no such setting for ${scopeWord(target)} (only an enterprise has one); leave it empty`
}

interface LimitChange {
  readonly setting: LimitSetting
  readonly before: number | undefined
  readonly after: number
}

export interface LimitPlan {
  /** settings whose requested value differs from the current one */
  readonly changes: readonly LimitChange[]
  /** requested settings that already have the requested value */
  readonly unchanged: readonly LimitSetting[]
}

/**
 * What must change to reach `requested` from `current`. Checks what needs the
 * current values (an enterprise's repository default against its current
 * maximum) and throws an InputError before any write.
 */
export function planLimits(current: LimitValues, requested: LimitValues): LimitPlan {
  const changes: LimitChange[] = []
  const unchanged: LimitSetting[] = []
  for (const setting of LIMIT_SETTINGS) {
    const want = requested[setting]
    if (want === undefined) continue
    if (current[setting] === want) unchanged.push(setting)
    else changes.push({ setting, before: current[setting], after: want })
  }
  const size = requested['size-limit-gb']
  const max = requested['max-size-limit-gb'] ?? current['max-size-limit-gb']
  if (size !== undefined && max !== undefined && size > max) {
    throw new InputError(
      'size-limit-gb',
      `${size} GB is more than the enterprise's max-size-limit-gb (${max} GB); raise max-size-limit-gb as well`
    )
  }
  if (max !== undefined && requested['max-size-limit-gb'] !== undefined && size === undefined) {
    const def = current['size-limit-gb']
    if (def !== undefined && def > max) {
      throw new InputError(
        'max-size-limit-gb',
        `${max} GB is less than the enterprise's current repository default (size-limit-gb ${def} GB); lower size-limit-gb as well`
      )
    }
  }
  return { changes, unchanged }
}

export interface LimitsReport {
  readonly target: AdminTarget
  readonly family: ApiFamily
  readonly dryRun: boolean
  readonly before: LimitValues
  /** read again after writing; in a dry run (or with nothing to change) the planned values */
  readonly after: LimitValues
  readonly plan: LimitPlan
  /** requested values the server did not keep (read back differently) */
  readonly mismatched: readonly LimitSetting[]
}
