// Pruning many repositories of one organization (`repository: my-org/*`,
// engine/repo-pattern.ts). The repositories come from the organization's
// usage-by-repository report, which lists only repositories that have caches;
// the organization's repository list is never read. Each repository is pruned
// by the same engine (pruneRepository), one after another, through the one
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
