// Pruning many repositories of one organization: `repository: my-org/*`,
// with `!` lines that exclude. The repositories come from the organization's
// usage-by-repository report, which lists only repositories that have caches;
// the organization's repository list is never read. Each repository is pruned
// by the same engine (pruneRepository), one after another, through the one
// Governor the caller built, so they share one rate-limit budget. No
// @actions/core: the action and the CLI both call this with their own Ui.

import { ApiError, type RepoUsage } from '../github/ports.js'
import type { AdminApi } from '../github/admin-api.js'
import { InputError } from '../engine/errors.js'
import { StopError, type GovernorStats } from '../github/governor.js'
import { formatBytes, formatCount, parseLines, parseRepositoryPattern } from '../engine/parse.js'
import { compilePatterns } from '../engine/patterns.js'
import { pruneRepository, type PruneDeps, type PruneOptions } from './prune-repository.js'
import {
  deletedEntries,
  outputsFrom,
  renderSummary,
  tableCell,
  tally,
  type PruneReport,
  type Tally
} from '../commands/prune/report.js'
import { listAllRepoUsage, rankRepositories } from '../engine/usage.js'

export interface RepoPattern {
  readonly owner: string
  /** the input's lines, as written */
  readonly lines: readonly string[]
  /** does `owner/name` belong to the pattern (case-insensitive, like GitHub's names) */
  matches(fullName: string): boolean
}

const WILDCARD = /[*?]/

/**
 * Reads the `repository` input as a pattern over one organization's
 * repositories, or returns undefined when it names one repository (one line,
 * no wildcard, no `!`). Every line must name the same owner; `!` lines
 * exclude; at least one line must include.
 */
export function parseRepoPattern(text: string, input: string): RepoPattern | undefined {
  const lines = parseLines(text)
  if (lines.length === 1 && !WILDCARD.test(lines[0]) && !lines[0].startsWith('!')) return undefined
  if (lines.length === 0) return undefined
  let owner: string | undefined
  const names: string[] = []
  for (const line of lines) {
    const negated = line.startsWith('!')
    const parsed = parseRepositoryPattern(negated ? line.slice(1) : line, input)
    if (owner !== undefined && parsed.owner.toLowerCase() !== owner.toLowerCase()) {
      throw new InputError(
        input,
        `'${line}' names the owner '${parsed.owner}', but '${lines[0].replace(/^!/, '')}' names '${owner}': a pattern covers the repositories of one organization`
      )
    }
    owner ??= parsed.owner
    // Names are matched case-insensitively, as GitHub resolves them; the
    // pattern alphabet (letters, digits, - _ . * ?) lower-cases safely.
    names.push(`${negated ? '!' : ''}${parsed.pattern.toLowerCase()}`)
  }
  if (names.every(n => n.startsWith('!'))) {
    throw new InputError(
      input,
      `only excludes; add a line that includes, like '${owner}/*' before the '!' lines`
    )
  }
  const matcher = compilePatterns(names, 'key', input)
  const own = (owner as string).toLowerCase()
  return Object.freeze({
    owner: owner as string,
    lines,
    matches: (fullName: string): boolean => {
      const at = fullName.indexOf('/')
      if (at < 0 || fullName.slice(0, at).toLowerCase() !== own) return false
      return matcher?.matches(fullName.slice(at + 1).toLowerCase()) ?? false
    }
  })
}

export interface OrgPruneOptions extends Omit<PruneOptions, 'repo'> {
  readonly pattern: RepoPattern
}

export interface OrgPruneDeps extends PruneDeps {
  readonly admin: AdminApi
}

export type RepoOutcome =
  | { readonly status: 'pruned'; readonly usage: RepoUsage; readonly report: PruneReport }
  | { readonly status: 'not-reached'; readonly usage: RepoUsage; readonly why: NotReachedWhy }
  | { readonly status: 'failed'; readonly usage: RepoUsage; readonly error: ApiError }

/** The budget, the deadline, or `max-deletions`, which caps the whole run, not each repository. */
export type NotReachedWhy = StopError['why'] | 'max-deletions'

export interface OrgPruneReport {
  readonly owner: string
  readonly lines: readonly string[]
  readonly dryRun: boolean
  /** repositories with caches in the usage report */
  readonly withCaches: number
  /** those the pattern matched, largest first, with what happened to each */
  readonly repos: readonly RepoOutcome[]
  /** why the run stopped before reaching every repository */
  readonly stopped?: StopError
  readonly stats: GovernorStats
  readonly elapsedMs: number
}

export async function pruneOrganization(
  options: OrgPruneOptions,
  deps: OrgPruneDeps
): Promise<OrgPruneReport> {
  const { ui, clock } = deps
  const { pattern, ...rest } = options
  const started = clock.now()
  const usage = await ui.group(`Finding repositories of ${pattern.owner} with caches`, async () => {
    const all = await listAllRepoUsage(deps.admin, pattern.owner)
    const chosen = rankRepositories(all.filter(r => r.count > 0 && pattern.matches(r.fullName)))
    ui.info(
      `${all.length} repositories have caches; ${chosen.length} match ${pattern.lines.join(', ')}`
    )
    return { all, chosen }
  })

  const repos: RepoOutcome[] = []
  let stopped: StopError | undefined
  let left = options.maxDeletions
  for (const [i, u] of usage.chosen.entries()) {
    if (stopped || left === 0) {
      repos.push({ status: 'not-reached', usage: u, why: stopped?.why ?? 'max-deletions' })
      continue
    }
    const [owner, name] = u.fullName.split('/')
    ui.info(
      `(${i + 1}/${usage.chosen.length}) ${u.fullName}: ${u.count} caches, ${formatBytes(u.sizeInBytes)}`
    )
    // Each repository's report counts its own requests; deps.stats() is the whole run's.
    const before = { ...deps.stats() }
    const stats = (): GovernorStats => since(before, deps.stats())
    try {
      const report = await pruneRepository(
        {
          ...rest,
          ...(left !== undefined ? { maxDeletions: left } : {}),
          repo: { owner, repo: name }
        },
        { ...deps, stats }
      )
      repos.push({ status: 'pruned', usage: u, report })
      if (left !== undefined) {
        const capped = report.execution.items.filter(
          x => x.outcome.status === 'pending' && x.outcome.why === 'max-deletions'
        ).length
        left -= report.execution.items.length - capped
      }
      if (report.execution.stopped) stopped = report.execution.stopped
    } catch (error) {
      if (error instanceof StopError) {
        stopped = error
        repos.push({ status: 'not-reached', usage: u, why: error.why })
      } else if (error instanceof ApiError && error.kind !== 'rate-limited') {
        ui.warning(`${u.fullName}: ${error.message} (${error.request})`)
        repos.push({ status: 'failed', usage: u, error })
      } else {
        throw error
      }
    }
  }
  return {
    owner: pattern.owner,
    lines: pattern.lines,
    dryRun: options.dryRun,
    withCaches: usage.all.length,
    repos,
    ...(stopped ? { stopped } : {}),
    stats: { ...deps.stats() },
    elapsedMs: clock.now() - started
  }
}

function since(before: GovernorStats, now: GovernorStats): GovernorStats {
  return {
    requests: now.requests - before.requests,
    mutating: now.mutating - before.mutating,
    retries: now.retries - before.retries,
    secondaryLimits: now.secondaryLimits - before.secondaryLimits,
    maxInFlight: now.maxInFlight,
    waitedMs: now.waitedMs - before.waitedMs
  }
}

// ---- rendering ---------------------------------------------------------------

export const pruned = (r: OrgPruneReport): Array<Extract<RepoOutcome, { status: 'pruned' }>> =>
  r.repos.filter((x): x is Extract<RepoOutcome, { status: 'pruned' }> => x.status === 'pruned')

/** The counts of every pruned repository, summed, and how many were not reached or failed. */
export interface OrgTally extends Omit<Tally, 'pendingBy'> {
  readonly notReached: number
  readonly failedRepos: number
}

export function orgTally(r: OrgPruneReport): OrgTally {
  const sum = { selected: 0, deleted: 0, deletedBytes: 0, alreadyGone: 0, failed: 0, pending: 0 }
  let remainingCount = 0
  let remainingBytes = 0
  for (const { report } of pruned(r)) {
    const t = tally(report)
    sum.selected += t.selected
    sum.deleted += t.deleted
    sum.deletedBytes += t.deletedBytes
    sum.alreadyGone += t.alreadyGone
    sum.failed += t.failed
    sum.pending += t.pending
    remainingCount += t.remainingCount
    remainingBytes += t.remainingBytes
  }
  return {
    ...sum,
    remainingCount,
    remainingBytes,
    notReached: r.repos.filter(x => x.status === 'not-reached').length,
    failedRepos: r.repos.filter(x => x.status === 'failed').length
  }
}

/** The prune outputs, summed over the repositories; `deleted` entries name their repository. */
export function orgOutputs(r: OrgPruneReport): Record<string, string> {
  const t = orgTally(r)
  const deleted = pruned(r).flatMap(({ report }) =>
    deletedEntries(report).map(entry => ({ repository: report.repository, ...entry }))
  )
  return outputsFrom(t, deleted)
}

const cell = tableCell
const n = formatCount

const WHY_TEXT: Readonly<Record<NotReachedWhy, string>> = {
  budget: 'not reached: the rate-limit budget was spent',
  deadline: 'not reached: the deadline passed',
  'max-deletions': 'not reached: `max-deletions` was reached'
}

function repoRow(x: RepoOutcome, dryRun: boolean): string {
  const name = x.usage.fullName
  if (x.status === 'pruned') {
    const t = tally(x.report)
    const note = [
      t.failed ? `**${n(t.failed)} failed**` : '',
      t.pending ? `${n(t.pending)} pending` : '',
      t.alreadyGone ? `${n(t.alreadyGone)} already gone` : ''
    ]
      .filter(Boolean)
      .join(', ')
    return `| ${name} | ${n(x.report.plan.totalCount)} | ${formatBytes(x.report.plan.totalBytes)} | ${n(t.deleted)} | ${formatBytes(t.deletedBytes)} | ${n(t.remainingCount)} | ${note || (dryRun ? 'dry run' : 'done')} |`
  }
  const note = x.status === 'failed' ? `**failed**: ${cell(x.error.message)}` : WHY_TEXT[x.why]
  return `| ${name} | ${n(x.usage.count)} | ${formatBytes(x.usage.sizeInBytes)} | | | | ${note} |`
}

export function renderOrgSummary(r: OrgPruneReport): string {
  const t = orgTally(r)
  const verb = r.dryRun ? 'would delete' : 'deleted'
  const lines = [
    `## cache-steward ${r.dryRun ? '(dry run) ' : ''}${verb} ${n(t.deleted)} cache${t.deleted === 1 ? '' : 's'} (${formatBytes(t.deletedBytes)}) in ${n(pruned(r).length)} repositor${pruned(r).length === 1 ? 'y' : 'ies'} of ${r.owner}`,
    '',
    `Pattern: ${r.lines.map(l => `\`${l}\``).join(', ')}. ${n(r.withCaches)} repositories of ${r.owner} have caches; ${n(r.repos.length)} match.`,
    ''
  ]
  if (r.repos.length === 0) {
    lines.push('No repository with caches matches the pattern.', '')
  } else {
    lines.push(
      `| repository | caches before | size before | ${r.dryRun ? 'would delete' : 'deleted'} | freed | left | |`,
      '|---|---:|---:|---:|---:|---:|---|',
      ...r.repos.map(x => repoRow(x, r.dryRun)),
      ''
    )
  }
  if (r.stopped) {
    lines.push(
      `**Stopped early:** ${cell(r.stopped.message)}. ${n(t.notReached)} repositor${t.notReached === 1 ? 'y was' : 'ies were'} not reached and ${n(t.pending)} selected cache${t.pending === 1 ? ' is' : 's are'} pending; the next run starts over.`,
      ''
    )
  }
  const shown = pruned(r).filter(x => x.report.plan.deletions.length > 0)
  if (shown.length > 0) {
    lines.push('### Per repository', '')
    for (const { report } of shown) {
      // one level below this section: ## -> ####, ### -> #####
      const body = renderSummary(report).replace(/^(#{2,3}) /gm, (_, h: string) => `${h}## `)
      lines.push(`<details><summary>${report.repository}</summary>`, '', body, '</details>', '')
    }
  }
  lines.push(
    `<sub>${n(r.stats.requests)} API requests in all (${n(r.stats.mutating)} mutating, ${n(r.stats.retries)} retried), one shared rate-limit budget.</sub>`
  )
  return lines.join('\n') + '\n'
}

export function renderOrgLogBlock(r: OrgPruneReport): string[] {
  const t = orgTally(r)
  return [
    `repositories: ${n(r.repos.length)} matched of ${n(r.withCaches)} with caches (${n(pruned(r).length)} pruned, ${n(t.notReached)} not reached, ${n(t.failedRepos)} failed)`,
    `selected:  ${n(t.selected)}`,
    `${r.dryRun ? 'would delete' : 'deleted'}: ${n(t.deleted)} (${formatBytes(t.deletedBytes)})`,
    `already gone: ${n(t.alreadyGone)}`,
    `failed:    ${n(t.failed)}`,
    `pending:   ${n(t.pending)}`,
    `remaining: ${n(t.remainingCount)} caches, ${formatBytes(t.remainingBytes)}`,
    `requests:  ${n(r.stats.requests)} (${n(r.stats.mutating)} mutating, ${n(r.stats.retries)} retries)`,
    `elapsed:   ${(r.elapsedMs / 1000).toFixed(1)} s`
  ]
}
