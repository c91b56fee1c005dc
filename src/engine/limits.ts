// Cache limits: which settings exist where, validating requested values
// before any request, planning the change from the current values, reading
// and applying through an AdminApi, and pure renderers (job summary, outputs,
// plain text). No @actions/core: the action and the CLI share it.
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

import {
  describeTarget,
  type AdminApi,
  type AdminTarget,
  type ApiFamily
} from '../github/admin-api.js'
import { InputError } from './errors.js'
import { parseCount } from './parse.js'

/** Each setting is named after the input that asks for it. */
export type LimitSetting = 'retention-days' | 'size-limit-gb' | 'max-size-limit-gb'

export const LimitsOutput = {
  Limits: 'limits'
} as const

export const RANGES: Readonly<Record<LimitSetting, { min: number; max: number; unit: string }>> = {
  'retention-days': { min: 1, max: 365, unit: 'days' },
  'size-limit-gb': { min: 1, max: 10_000, unit: 'GB' },
  'max-size-limit-gb': { min: 1, max: 10_000, unit: 'GB' }
}

const ORDER: readonly LimitSetting[] = ['retention-days', 'size-limit-gb', 'max-size-limit-gb']

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
  for (const setting of ORDER) {
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

export interface LimitChange {
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
  for (const setting of ORDER) {
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

/** Reads every setting that exists for the scope on this family. */
export async function readLimits(
  api: AdminApi,
  target: AdminTarget,
  family: ApiFamily
): Promise<LimitValues> {
  if (family === 'github.com') {
    const retention = await api.getLimit(target, 'retention')
    const storage = await api.getLimit(target, 'storage')
    return { 'retention-days': retention, 'size-limit-gb': storage }
  }
  if (target.kind === 'org') {
    throw new InputError('org', `${familyName(family)} has no organization cache limits`)
  }
  const policy = await api.getUsagePolicy(target)
  return {
    'size-limit-gb': policy.repoCacheSizeLimitGb,
    ...(policy.maxRepoCacheSizeLimitGb !== undefined
      ? { 'max-size-limit-gb': policy.maxRepoCacheSizeLimitGb }
      : {})
  }
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

/**
 * Reads the current limits, plans, and (unless a dry run, or nothing changes)
 * writes the changes and reads them back. On github.com one PUT per changed
 * setting; on GHES one PATCH with every changed field.
 */
export async function applyLimits(
  api: AdminApi,
  target: AdminTarget,
  family: ApiFamily,
  requested: LimitValues,
  options: { readonly dryRun: boolean }
): Promise<LimitsReport> {
  const before = await readLimits(api, target, family)
  const plan = planLimits(before, requested)
  const planned: LimitValues = { ...before }
  for (const c of plan.changes) planned[c.setting] = c.after
  if (options.dryRun || plan.changes.length === 0) {
    return { target, family, dryRun: options.dryRun, before, after: planned, plan, mismatched: [] }
  }
  if (family === 'github.com') {
    for (const c of plan.changes) {
      const kind = c.setting === 'retention-days' ? 'retention' : 'storage'
      await api.setLimit(target, kind, c.after)
    }
  } else {
    if (target.kind === 'org') throw new Error('unreachable: GHES has no organization limits')
    const size = plan.changes.find(c => c.setting === 'size-limit-gb')
    const max = plan.changes.find(c => c.setting === 'max-size-limit-gb')
    await api.setUsagePolicy(target, {
      ...(size ? { repoCacheSizeLimitGb: size.after } : {}),
      ...(max ? { maxRepoCacheSizeLimitGb: max.after } : {})
    })
  }
  const after = await readLimits(api, target, family)
  const mismatched = plan.changes.filter(c => after[c.setting] !== c.after).map(c => c.setting)
  return { target, family, dryRun: false, before, after, plan, mismatched }
}

// ---- rendering ---------------------------------------------------------------

const LABEL: Readonly<Record<LimitSetting, string>> = {
  'retention-days': 'cache retention (days)',
  'size-limit-gb': 'cache size limit per repository (GB)',
  'max-size-limit-gb': 'largest size limit a repository may get (GB)'
}

const show = (v: number | undefined): string => (v === undefined ? '–' : String(v))

function rows(
  r: LimitsReport
): Array<{ setting: LimitSetting; before: string; after: string; note: string }> {
  const settings = ORDER.filter(s => r.before[s] !== undefined || r.after[s] !== undefined)
  return settings.map(setting => {
    const change = r.plan.changes.find(c => c.setting === setting)
    const note = r.mismatched.includes(setting)
      ? 'not applied'
      : change
        ? r.dryRun
          ? 'would change'
          : 'changed'
        : r.plan.unchanged.includes(setting)
          ? 'already set'
          : ''
    return { setting, before: show(r.before[setting]), after: show(r.after[setting]), note }
  })
}

function headline(r: LimitsReport): string {
  const k = r.plan.changes.length
  const what = `${k} setting${k === 1 ? '' : 's'}`
  if (k === 0) return 'nothing to change'
  return r.dryRun ? `would change ${what}` : `changed ${what}`
}

export function renderLimitsSummary(r: LimitsReport): string {
  const lines = [
    `## Cache limits of ${describeTarget(r.target)}${r.dryRun ? ' (dry run)' : ''}: ${headline(r)}`,
    '',
    `Server: ${familyName(r.family)}.`,
    '',
    `| setting | before | ${r.dryRun ? 'would be' : 'after'} | |`,
    '|---|---:|---:|---|'
  ]
  for (const row of rows(r)) {
    lines.push(
      `| ${LABEL[row.setting]} (\`${row.setting}\`) | ${row.before} | ${row.after} | ${row.note} |`
    )
  }
  if (r.mismatched.length > 0) {
    lines.push('', `**GitHub did not keep:** ${r.mismatched.map(s => `\`${s}\``).join(', ')}.`)
  }
  return lines.join('\n') + '\n'
}

const snake = (v: LimitValues): Record<string, number> =>
  Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/-/g, '_'), x as number]))

export function limitsOutputs(r: LimitsReport): Record<string, string> {
  const t = r.target
  return {
    [LimitsOutput.Limits]: JSON.stringify({
      scope: t.kind === 'repo' ? 'repository' : t.kind === 'org' ? 'organization' : 'enterprise',
      name: t.kind === 'repo' ? `${t.owner}/${t.repo}` : t.kind === 'org' ? t.org : t.enterprise,
      server: r.family,
      dry_run: r.dryRun,
      before: snake(r.before),
      after: snake(r.after),
      changed: r.plan.changes.map(c => c.setting)
    })
  }
}

export function renderLimitsText(r: LimitsReport): string[] {
  const lines = [
    `Cache limits of ${describeTarget(r.target)} on ${familyName(r.family)}${r.dryRun ? ' (dry run)' : ''}: ${headline(r)}`
  ]
  const all = rows(r)
  const w = Math.max(...all.map(x => x.setting.length), 7)
  lines.push(`${'setting'.padEnd(w)}  before  ${r.dryRun ? 'would be' : 'after'}`)
  for (const row of all) {
    lines.push(
      `${row.setting.padEnd(w)}  ${row.before.padStart(6)}  ${row.after.padStart(r.dryRun ? 8 : 5)}  ${row.note}`.trimEnd()
    )
  }
  return lines
}
