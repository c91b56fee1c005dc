// The usage report for people and scripts: the job summary (Markdown), the
// outputs, and a plain table for a terminal. Pure renderers over a UsageReport.

import { formatBytes, formatCount, visible } from '../../engine/format.js'
import { JOB_OUTPUT_LIMIT_BYTES, shardsJson, utf16Bytes } from '../../engine/shards.js'
import { describeTarget } from '../../engine/targets.js'
import type { SizeLimit, UsageReport } from '../../engine/usage.js'
import { cell } from '../markdown.js'
import type { Notice } from '../outcome.js'
import { textTable } from '../text-table.js'
import { bar, percent } from './bars.js'
import { renderWasteSummary, renderWasteText, wasteJson } from './waste.js'

export const UsageOutput = {
  Usage: 'usage',
  TotalBytes: 'total-bytes',
  TotalCount: 'total-count',
  Repositories: 'repositories',
  RepositoryShards: 'repository-shards'
} as const

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
      `| ${cell(`${r.target.owner}/${r.target.repo}`)} | ${n(r.totalCount)} | ${formatBytes(r.totalBytes)} | ${percent(share)} | ${bar(share)}${share > 1 ? ' over' : ''} |`,
      '',
      `Size limit: ${limitText(limit)}.`
    )
    if (r.waste) lines.push('', ...renderWasteSummary(r.waste))
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
          `| ${i + 1} | ${cell(repo.fullName)} | ${n(repo.count)} | ${formatBytes(repo.sizeInBytes)} | ${percent(repo.shareOfTotal)} | ${repo.shareOfLimit !== undefined ? percent(repo.shareOfLimit) : ''} | ${bar(largest > 0 ? repo.sizeInBytes / largest : 0)}${over} |`
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
      const shards = shardsText(r)
      if (shards) lines.push('', shards)
    }
  }
  lines.push('', '<sub>Usage figures lag by about five minutes.</sub>')
  return lines.join('\n') + '\n'
}

/**
 * The `repository-shards` output of an organization's report, and what it
 * weighs against a job's output limit; `json` is absent when over the limit.
 */
function shardsOutput(
  r: UsageReport
): { readonly json?: string; readonly bytes: number } | undefined {
  const shards = r.repositories?.shards
  if (!shards) return undefined
  const json = shardsJson(shards)
  const bytes = utf16Bytes(json)
  return bytes > JOB_OUTPUT_LIMIT_BYTES ? { bytes } : { json, bytes }
}

/** A warning when `repository-shards` was left unset because it would not fit in a job's outputs. */
export function usageNotices(r: UsageReport): Notice[] {
  const out = shardsOutput(r)
  if (!out || out.json !== undefined) return []
  return [
    {
      level: 'warning',
      message: `repository-shards is not set: ${n(r.repositories?.all.length ?? 0)} repository names make it ${formatBytes(out.bytes)} as GitHub measures job outputs (UTF-16), above its limit of 1 MB a job. Prune with a pattern instead, in one job ('${describeOrg(r)}/*') or in a few that split the names ('${describeOrg(r)}/a*', ...).`
    }
  ]
}

const describeOrg = (r: UsageReport): string => (r.target.kind === 'org' ? r.target.org : '')

/** One line on the shards: how many, and how far apart their sizes are. */
function shardsText(r: UsageReport): string | undefined {
  const shards = r.repositories?.shards
  if (!shards || shards.length === 0) return undefined
  const sizes = shards.map(s => s.sizeInBytes)
  const least = Math.min(...sizes)
  const most = Math.max(...sizes)
  const out = shardsOutput(r)
  const weight =
    out?.json !== undefined
      ? `${formatBytes(out.bytes)} as a job output`
      : 'too large for a job output'
  return `${plural(shards.length, 'shard')} for a job matrix (\`repository-shards\`, ${weight}): ${formatBytes(least)} to ${formatBytes(most)} each.`
}

export function usageOutputs(r: UsageReport): Record<string, string> {
  const t = r.target
  const json = {
    scope: t.kind === 'repo' ? 'repository' : t.kind === 'org' ? 'organization' : 'enterprise',
    name: t.kind === 'repo' ? `${t.owner}/${t.repo}` : t.kind === 'org' ? t.org : t.enterprise,
    total_bytes: r.totalBytes,
    total_count: r.totalCount,
    ...(r.limit ? { size_limit_gb: r.limit.gb, size_limit_source: r.limit.source } : {}),
    ...(r.waste ? { waste: wasteJson(r.waste) } : {}),
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
  const shards = shardsOutput(r)
  return {
    [UsageOutput.Usage]: JSON.stringify(json),
    [UsageOutput.TotalBytes]: String(r.totalBytes),
    [UsageOutput.TotalCount]: String(r.totalCount),
    ...(r.repositories
      ? { [UsageOutput.Repositories]: JSON.stringify(r.repositories.all.map(x => x.fullName)) }
      : {}),
    ...(shards?.json !== undefined ? { [UsageOutput.RepositoryShards]: shards.json } : {})
  }
}

/** A plain table for a terminal (or, with `tsv`, tab-separated values for a pipe). */
export function renderUsageText(r: UsageReport, options: { tsv?: boolean } = {}): string[] {
  const lines = [title(r)]
  lines.push(`total: ${plural(r.totalCount, 'cache')}, ${formatBytes(r.totalBytes)}`)
  if (r.limit) lines.push(`limit: ${limitText(r.limit)}`)
  if (r.target.kind === 'repo' && r.limit) {
    const share = r.totalBytes / r.limit.bytes
    lines.push(`used:  ${percent(share)} ${bar(share)}`)
    if (r.waste) lines.push(...renderWasteText(r.waste))
  }
  const repos = r.repositories
  if (repos && repos.all.length > 0) {
    const rows = repos.top.map(x => [
      visible(x.fullName),
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
    lines.push('', ...textTable(head, rows, { right: [1, 2, 3], rule: true, tsv: options.tsv }))
    const shards = shardsText(r)
    if (shards) lines.push('', shards)
  } else if (repos) {
    lines.push('no repository has caches')
  }
  return lines
}
