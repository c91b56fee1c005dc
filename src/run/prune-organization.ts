// Pruning many repositories of one organization: a pattern (`repository:
// my-org/*`) or a list (one `owner/name` a line, a shard of `usage`'s
// `repository-shards`), engine/repo-pattern.ts. A pattern's repositories come
// from the organization's usage-by-repository report, which lists only
// repositories that have caches; a list's are exactly the ones it names, read
// without that report (so without organization administration). The
// organization's repository list is never read. Each repository is pruned by
// the same engine (pruneRepository), one after another, through the one
// Governor the caller built, so they share one rate-limit budget. No
// @actions/core: the action and the CLI both call this with their own Ui.

import type { RepoPattern } from '../engine/repo-pattern.js'
import { formatBytes } from '../engine/format.js'
import { rankRepositories, type RepoUsage } from '../engine/usage.js'
import { ApiError, StopError, type AdminApi, type GovernorStats } from '../github/ports.js'
import type { PruneOptions } from '../engine/settings.js'
import { pruneRepository, type PruneDeps, type PruneReport } from './prune-repository.js'
import { listAllRepoUsage } from './usage.js'

export interface OrgPruneOptions extends Omit<PruneOptions, 'repo'> {
  readonly pattern: RepoPattern
}

export interface OrgPruneDeps extends PruneDeps {
  readonly admin: AdminApi
}

/**
 * What happened to one repository. `usage` is the usage report's figures for
 * a pattern; for a list, the listing's once the repository is listed, and
 * zero before (a list's repository that was not reached or failed has no
 * known figures: the report's `fromList` says so).
 */
export type RepoOutcome =
  | { readonly status: 'pruned'; readonly usage: RepoUsage; readonly report: PruneReport }
  | { readonly status: 'not-reached'; readonly usage: RepoUsage; readonly why: NotReachedWhy }
  | { readonly status: 'failed'; readonly usage: RepoUsage; readonly error: ApiError }

/** The budget, the deadline, or `max-deletions`, which caps the whole run, not each repository. */
type NotReachedWhy = StopError['why'] | 'max-deletions'

export interface OrgPruneReport {
  readonly owner: string
  readonly lines: readonly string[]
  readonly dryRun: boolean
  /** repositories with caches in the usage report; for a list, those whose listing found caches */
  readonly withCaches: number
  /** the input was a list: its repositories were listed without the usage report */
  readonly fromList?: true
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
  const usage = pattern.list
    ? { all: undefined, chosen: pattern.list.map(unknownUsage) }
    : await ui.group(`Finding repositories of ${pattern.owner} with caches`, async () => {
        const all = await listAllRepoUsage(deps.admin, pattern.owner)
        const chosen = rankRepositories(all.filter(r => r.count > 0 && pattern.matches(r.fullName)))
        ui.info(
          `${all.length} repositories have caches; ${chosen.length} match ${pattern.lines.join(', ')}`
        )
        return { all, chosen }
      })
  if (pattern.list) {
    ui.info(`${pattern.list.length} repositories of ${pattern.owner} listed in the input`)
  }

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
      `(${i + 1}/${usage.chosen.length}) ${u.fullName}` +
        (pattern.list ? '' : `: ${u.count} caches, ${formatBytes(u.sizeInBytes)}`)
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
      // A list's repository is known only once listed: its figures are the listing's.
      const figures = pattern.list ? listedUsage(u.fullName, report) : u
      repos.push({ status: 'pruned', usage: figures, report })
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
    withCaches: usage.all
      ? usage.all.length
      : repos.filter(x => x.status === 'pruned' && x.usage.count > 0).length,
    ...(pattern.list ? { fromList: true as const } : {}),
    repos,
    ...(stopped ? { stopped } : {}),
    stats: { ...deps.stats() },
    elapsedMs: clock.now() - started
  }
}

/** A list's repository before it is listed: nothing known yet. */
const unknownUsage = (fullName: string): RepoUsage => ({ fullName, count: 0, sizeInBytes: 0 })

const listedUsage = (fullName: string, report: PruneReport): RepoUsage => ({
  fullName,
  count: report.plan.totalCount,
  sizeInBytes: report.plan.totalBytes
})

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
