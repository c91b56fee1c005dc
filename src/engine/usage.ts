// Cache usage reports for a repository, an organization or an enterprise:
// collecting the figures through an AdminApi, ranking repositories, the share
// of the size limit, and three pure renderers (job summary, outputs, plain
// text for a terminal). No @actions/core: the action and the CLI share it.

import { ApiError } from '../github/ports.js'
import type { RepoUsage } from '../github/ports.js'
import {
  describeTarget,
  type AdminApi,
  type AdminTarget,
  type ApiFamily
} from '../github/admin-api.js'
import { formatBytes, formatCount } from './parse.js'

/** GitHub's limits are given in GB; we read them as binary gigabytes (2^30 bytes). */
export const GB = 2 ** 30
/** The size limit of a repository unless someone changed it (github.com and GHES alike). */
export const DEFAULT_LIMIT_GB = 10
export const DEFAULT_TOP = 10
export const PER_PAGE = 100

export type LimitSource =
  'storage-limit' | 'usage-policy' | 'organization storage-limit' | 'default'

export interface SizeLimit {
  readonly bytes: number
  readonly gb: number
  /** where the figure came from; 'default' when the token could not read it */
  readonly source: LimitSource
}

export interface RankedRepo extends RepoUsage {
  /** size / the per-repository limit, when one applies */
  readonly shareOfLimit?: number
  /** size / the organization's total */
  readonly shareOfTotal: number
}

export interface UsageReport {
  readonly target: AdminTarget
  readonly totalBytes: number
  readonly totalCount: number
  /** the per-repository size limit (a repository or an organization's repositories) */
  readonly limit?: SizeLimit
  /** organizations only */
  readonly repositories?: {
    /** every repository with caches, largest first */
    readonly all: readonly RankedRepo[]
    readonly top: readonly RankedRepo[]
    /** the sum of those not in the top N */
    readonly rest: {
      readonly repositories: number
      readonly sizeInBytes: number
      readonly count: number
    }
  }
}

export interface UsageOptions {
  readonly top: number
  /** which limit endpoint to read for a repository; tried in turn when unknown */
  readonly family?: ApiFamily
}

export const UsageOutput = {
  Usage: 'usage',
  TotalBytes: 'total-bytes',
  TotalCount: 'total-count',
  Repositories: 'repositories'
} as const

/** Largest first; ties by count, then by name, so the order never depends on the API's. */
export function rankRepositories(repos: readonly RepoUsage[]): RepoUsage[] {
  return [...repos].sort(
    (a, b) =>
      b.sizeInBytes - a.sizeInBytes ||
      b.count - a.count ||
      (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0)
  )
}

/** Ranks, keeps the top N and sums the rest; drops repositories without caches. */
export function summarizeRepositories(
  repos: readonly RepoUsage[],
  top: number,
  limit?: SizeLimit
): NonNullable<UsageReport['repositories']> {
  const withCaches = repos.filter(r => r.count > 0 || r.sizeInBytes > 0)
  const total = withCaches.reduce((n, r) => n + r.sizeInBytes, 0)
  const all = rankRepositories(withCaches).map(r => ({
    ...r,
    shareOfTotal: total > 0 ? r.sizeInBytes / total : 0,
    ...(limit ? { shareOfLimit: r.sizeInBytes / limit.bytes } : {})
  }))
  const shown = all.slice(0, Math.max(0, top))
  const others = all.slice(shown.length)
  return {
    all,
    top: shown,
    rest: {
      repositories: others.length,
      sizeInBytes: others.reduce((n, r) => n + r.sizeInBytes, 0),
      count: others.reduce((n, r) => n + r.count, 0)
    }
  }
}

const limitOf = (gb: number, source: LimitSource): SizeLimit => ({ gb, bytes: gb * GB, source })

/** A 403 or 404 means "this token may not read it here"; the report then uses the default. */
const unreadable = (e: unknown): boolean =>
  e instanceof ApiError && (e.kind === 'forbidden' || e.kind === 'not-found')

async function readRepoLimit(
  api: AdminApi,
  target: Extract<AdminTarget, { kind: 'repo' }>,
  family: ApiFamily | undefined
): Promise<SizeLimit> {
  const tries: Array<() => Promise<SizeLimit>> = []
  if (family !== 'ghes') {
    tries.push(async () => limitOf(await api.getLimit(target, 'storage'), 'storage-limit'))
  }
  if (family !== 'github.com') {
    tries.push(async () =>
      limitOf((await api.getUsagePolicy(target)).repoCacheSizeLimitGb, 'usage-policy')
    )
  }
  for (const attempt of tries) {
    try {
      return await attempt()
    } catch (error) {
      if (!unreadable(error)) throw error
    }
  }
  return limitOf(DEFAULT_LIMIT_GB, 'default')
}

async function readOrgLimit(
  api: AdminApi,
  org: string,
  family: ApiFamily | undefined
): Promise<SizeLimit> {
  // GHES has no organization-level limit endpoint.
  if (family === 'ghes') return limitOf(DEFAULT_LIMIT_GB, 'default')
  try {
    return limitOf(
      await api.getLimit({ kind: 'org', org }, 'storage'),
      'organization storage-limit'
    )
  } catch (error) {
    if (!unreadable(error)) throw error
    return limitOf(DEFAULT_LIMIT_GB, 'default')
  }
}

/** Every page of usage-by-repository, to the end. */
export async function listAllRepoUsage(api: AdminApi, org: string): Promise<RepoUsage[]> {
  const all: RepoUsage[] = []
  for (let page = 1; ; page++) {
    const p = await api.listRepoUsage(org, page, PER_PAGE)
    all.push(...p.repositories)
    if (!p.hasNext || p.repositories.length === 0) break
  }
  // A repository can move between pages while they are read; keep one entry each.
  const byName = new Map<string, RepoUsage>()
  for (const r of all) byName.set(r.fullName.toLowerCase(), r)
  return [...byName.values()]
}

export async function collectUsage(
  api: AdminApi,
  target: AdminTarget,
  options: UsageOptions
): Promise<UsageReport> {
  if (target.kind === 'repo') {
    const usage = await api.getRepoUsage({ owner: target.owner, repo: target.repo })
    const limit = await readRepoLimit(api, target, options.family)
    return { target, totalBytes: usage.sizeInBytes, totalCount: usage.count, limit }
  }
  if (target.kind === 'enterprise') {
    const usage = await api.getEnterpriseUsage(target.enterprise)
    return { target, totalBytes: usage.sizeInBytes, totalCount: usage.count }
  }
  const totals = await api.getOrgUsage(target.org)
  const repos = await listAllRepoUsage(api, target.org)
  const limit = await readOrgLimit(api, target.org, options.family)
  return {
    target,
    totalBytes: totals.sizeInBytes,
    totalCount: totals.count,
    limit,
    repositories: summarizeRepositories(repos, options.top, limit)
  }
}

// ---- rendering ---------------------------------------------------------------

const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']

/** A bar of `width` cells for a fraction in [0, 1] (clamped), in eighths of a cell. */
export function bar(fraction: number, width = 20): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0
  const eighths = Math.round(f * width * 8)
  const full = Math.floor(eighths / 8)
  const part = BLOCKS[eighths % 8]
  const drawn = '█'.repeat(full) + part
  return drawn + '░'.repeat(Math.max(0, width - full - (part ? 1 : 0)))
}

export const percent = (f: number): string => {
  const p = f * 100
  if (p > 0 && p < 0.1) return '<0.1%'
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`
}

const n = formatCount
const plural = (k: number, one: string, many = `${one}s`): string =>
  `${n(k)} ${k === 1 ? one : many}`
const repoCount = (k: number, adjective = ''): string =>
  plural(k, `${adjective}repository`, `${adjective}repositories`)

function limitText(limit: SizeLimit): string {
  const base = `${limit.gb} GB per repository`
  return limit.source === 'default'
    ? `${base} (GitHub's default: the token could not read the configured limit)`
    : `${base} (from the ${limit.source})`
}

function title(r: UsageReport): string {
  return `Cache usage of ${describeTarget(r.target)}`
}

export function renderUsageSummary(r: UsageReport): string {
  const lines = [`## ${title(r)}`, '']
  const total = `${plural(r.totalCount, 'cache')}, ${formatBytes(r.totalBytes)} (${n(r.totalBytes)} bytes)`
  if (r.target.kind === 'repo') {
    const limit = r.limit as SizeLimit
    const share = r.totalBytes / limit.bytes
    lines.push(
      '| repository | caches | size | share of limit | |',
      '|---|---:|---:|---:|---|',
      `| ${r.target.owner}/${r.target.repo} | ${n(r.totalCount)} | ${formatBytes(r.totalBytes)} | ${percent(share)} | ${bar(share)}${share > 1 ? ' over' : ''} |`,
      '',
      `Size limit: ${limitText(limit)}.`
    )
  } else if (r.target.kind === 'enterprise') {
    lines.push(
      `Total: ${total}.`,
      '',
      'GitHub reports only totals for an enterprise; run `command: usage` with `org:` for a breakdown by repository.'
    )
  } else {
    const repos = r.repositories as NonNullable<UsageReport['repositories']>
    const largest = repos.all[0]?.sizeInBytes ?? 0
    lines.push(`Total: ${total}, in ${repoCount(repos.all.length)} with caches.`, '')
    if (repos.all.length === 0) {
      lines.push('No repository has caches.')
    } else {
      lines.push(
        '| # | repository | caches | size | share of total | share of limit | |',
        '|---:|---|---:|---:|---:|---:|---|'
      )
      repos.top.forEach((repo, i) => {
        const over = (repo.shareOfLimit ?? 0) > 1 ? ' **over the limit**' : ''
        lines.push(
          `| ${i + 1} | ${repo.fullName} | ${n(repo.count)} | ${formatBytes(repo.sizeInBytes)} | ${percent(repo.shareOfTotal)} | ${repo.shareOfLimit !== undefined ? percent(repo.shareOfLimit) : ''} | ${bar(largest > 0 ? repo.sizeInBytes / largest : 0)}${over} |`
        )
      })
      if (repos.rest.repositories > 0) {
        const share = r.totalBytes > 0 ? repos.rest.sizeInBytes / r.totalBytes : 0
        lines.push(
          `| | ${repoCount(repos.rest.repositories, 'other ')} | ${n(repos.rest.count)} | ${formatBytes(repos.rest.sizeInBytes)} | ${percent(share)} | | |`
        )
      }
      lines.push(
        '',
        'Bars are relative to the largest repository.' +
          (r.limit ? ` Size limit: ${limitText(r.limit)}.` : '')
      )
    }
  }
  lines.push('', '<sub>Usage figures lag by about five minutes.</sub>')
  return lines.join('\n') + '\n'
}

export function usageOutputs(r: UsageReport): Record<string, string> {
  const t = r.target
  const json = {
    scope: t.kind === 'repo' ? 'repository' : t.kind === 'org' ? 'organization' : 'enterprise',
    name: t.kind === 'repo' ? `${t.owner}/${t.repo}` : t.kind === 'org' ? t.org : t.enterprise,
    total_bytes: r.totalBytes,
    total_count: r.totalCount,
    ...(r.limit ? { size_limit_gb: r.limit.gb, size_limit_source: r.limit.source } : {}),
    ...(r.repositories
      ? {
          repositories: r.repositories.top.map(x => ({
            full_name: x.fullName,
            size_in_bytes: x.sizeInBytes,
            count: x.count
          })),
          rest: {
            repositories: r.repositories.rest.repositories,
            size_in_bytes: r.repositories.rest.sizeInBytes,
            count: r.repositories.rest.count
          }
        }
      : {})
  }
  return {
    [UsageOutput.Usage]: JSON.stringify(json),
    [UsageOutput.TotalBytes]: String(r.totalBytes),
    [UsageOutput.TotalCount]: String(r.totalCount),
    ...(r.repositories
      ? { [UsageOutput.Repositories]: JSON.stringify(r.repositories.all.map(x => x.fullName)) }
      : {})
  }
}

const pad = (s: string, w: number, right = false): string => (right ? s.padStart(w) : s.padEnd(w))

/** A plain table for a terminal. */
export function renderUsageText(r: UsageReport): string[] {
  const lines = [title(r)]
  lines.push(`total: ${plural(r.totalCount, 'cache')}, ${formatBytes(r.totalBytes)}`)
  if (r.limit) lines.push(`limit: ${limitText(r.limit)}`)
  if (r.target.kind === 'repo' && r.limit) {
    const share = r.totalBytes / r.limit.bytes
    lines.push(`used:  ${percent(share)} ${bar(share)}`)
  }
  const repos = r.repositories
  if (repos && repos.all.length > 0) {
    const rows = repos.top.map(x => [
      x.fullName,
      n(x.count),
      formatBytes(x.sizeInBytes),
      percent(x.shareOfTotal)
    ])
    if (repos.rest.repositories > 0) {
      rows.push([
        `(${n(repos.rest.repositories)} more)`,
        n(repos.rest.count),
        formatBytes(repos.rest.sizeInBytes),
        percent(r.totalBytes > 0 ? repos.rest.sizeInBytes / r.totalBytes : 0)
      ])
    }
    const head = ['repository', 'caches', 'size', 'share']
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map(row => row[i].length)))
    const fmt = (row: string[]): string =>
      row
        .map((c, i) => pad(c, widths[i], i > 0))
        .join('  ')
        .trimEnd()
    lines.push('', fmt(head), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(fmt))
  } else if (repos) {
    lines.push('no repository has caches')
  }
  return lines
}
