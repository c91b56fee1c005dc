// Pruning one repository: list -> (look up stale refs) -> decide -> execute.
// No @actions/core: the action and the CLI both call this with their own Ui.

import { fullName, type RepoName } from '../engine/cache.js'
import { formatBytes } from '../engine/format.js'
import { decide, usesStaleRefs, type Facts, type Plan } from '../engine/policy.js'
import type { ApiFamily } from '../engine/targets.js'
import type { EventScope } from '../engine/event.js'
import type { PruneOptions } from '../engine/settings.js'
import {
  MAX_IN_FLIGHT,
  type AdminApi,
  type CacheApi,
  type Clock,
  type GovernorStats,
  type RefLookup
} from '../github/ports.js'
import { execute, type Execution } from './executor.js'
import { listCaches, listingScopes, type Listing } from './listing.js'
import { resolveStaleRefs } from './stale-refs.js'
import { repositorySizeLimit } from './usage.js'
import type { Ui } from './ui.js'

export interface PruneDeps {
  readonly api: CacheApi
  readonly clock: Clock
  readonly ui: Ui
  readonly stats: () => GovernorStats
  /** how stale-refs asks GitHub which refs still exist (and which branch is the default) */
  readonly refs?: RefLookup
  /** where a named policy reads the repository's size limit */
  readonly admin?: AdminApi
  readonly family?: ApiFamily
  /** also report each listed page through ui.progress('listing', ...) (a terminal's bar) */
  readonly listingProgress?: boolean
  /** told how many delete requests are about to be made (a progress bar's total) */
  readonly onDeletesPlanned?: (count: number) => void
}

export interface PruneReport {
  readonly repository: string
  readonly dryRun: boolean
  readonly scope: EventScope
  readonly listing: Listing
  readonly plan: Plan
  readonly execution: Execution
  readonly stats: GovernorStats
  readonly now: number
  /** from the start of the listing to the end of the deletions (by the run's clock) */
  readonly elapsedMs: number
}

export async function pruneRepository(
  options: PruneOptions,
  deps: PruneDeps
): Promise<PruneReport> {
  const { api, clock, ui } = deps
  const { repo } = options
  const started = clock.now()
  const listing = await ui.group(`Listing caches of ${fullName(repo)}`, async () => {
    const scopes = listingScopes(options.policy)
    let lastLogged = 0
    const result = await listCaches(api, repo, scopes, {
      onPage: (scope, page, listed, total) => {
        if (deps.listingProgress) ui.progress('listing', Math.min(listed, total), total)
        if (page === 1 || page - lastLogged >= 5 || listed >= total) {
          lastLogged = page
          ui.info(
            `${scope.ref ?? 'all refs'}${scope.keyPrefix ? `, keys ${scope.keyPrefix}*` : ''}: page ${page}, ${listed} of ${total}`
          )
        }
      }
    })
    ui.info(`listed ${result.caches.length} caches with ${result.requests} requests`)
    if (!result.consistent) {
      ui.warning(
        'The cache list kept changing while it was read (another job is deleting caches). Caches it missed will be handled by the next run.'
      )
    }
    return result
  })

  let staleRefs: ReadonlySet<string> | undefined
  if (usesStaleRefs(options.policy)) {
    const refs = deps.refs
    if (!refs) throw new Error('stale-refs needs a ref look-up')
    staleRefs = await ui.group('Looking up refs', async () => {
      const listed = [...new Set(listing.caches.map(c => c.ref))]
      return (await resolveStaleRefs(refs, repo, listed, ui)).dead
    })
  }

  const facts: Facts = {
    ...(staleRefs ? { staleRefs } : {}),
    ...(options.policy.preset ? await presetFacts(repo, deps) : {})
  }
  const plan = await ui.group('Selecting', async () => {
    const p = decide(listing.caches, options.policy, clock.now(), facts)
    ui.info(
      `selected ${p.deletions.length} of ${p.totalCount} caches (${formatBytes(p.plannedBytes)})`
    )
    if (ui.verbose && options.dryRun) {
      for (const d of p.decisions) {
        const c = d.cache
        ui.debug(
          `${d.delete ? 'would delete' : 'keep'} ${c.id} ${JSON.stringify(c.key)} on ${c.ref}: ${d.reason}: ${d.detail}${d.rule ? ` [${d.rule}]` : ''}`
        )
      }
    }
    return p
  })

  const execution = await ui.group(
    options.dryRun ? 'Deleting (dry run: nothing is deleted)' : 'Deleting',
    () =>
      execute(api, repo, plan.deletions, listing, {
        dryRun: options.dryRun,
        ...(options.maxDeletions !== undefined ? { maxDeletions: options.maxDeletions } : {}),
        concurrency: options.concurrency ?? MAX_IN_FLIGHT,
        deleteByKey: options.deleteByKey,
        ...(deps.onDeletesPlanned ? { onPlanned: deps.onDeletesPlanned } : {}),
        onProgress: (done, total) =>
          ui.progress(options.dryRun ? 'would delete' : 'deleted', done, total)
      })
  )

  return {
    repository: fullName(repo),
    dryRun: options.dryRun,
    scope: options.scope,
    listing,
    plan,
    execution,
    stats: { ...deps.stats() },
    now: clock.now(),
    elapsedMs: clock.now() - started
  }
}

/**
 * What a named policy (policy: recommended) decides with besides the caches:
 * the default branch, whose newest caches it never deletes, and the size
 * limit it keeps the repository under a share of (GitHub's default when the
 * token may not read the configured one).
 */
async function presetFacts(repo: RepoName, deps: PruneDeps): Promise<Facts> {
  const { refs, admin, ui } = deps
  if (!refs || !admin) throw new Error('a named policy needs the ref look-up and the admin API')
  return ui.group('Reading the default branch and the size limit', async () => {
    const defaultBranch = await refs.defaultBranch(repo)
    const limit = await repositorySizeLimit(admin, repo, deps.family)
    ui.info(`default branch: ${defaultBranch}; size limit: ${limit.gb} GB (${limit.source})`)
    return { defaultBranch, sizeLimit: limit.bytes }
  })
}
