// Pruning one repository: list -> (look up stale refs) -> decide -> execute.
// No @actions/core: the action and the CLI both call this with their own Ui.

import type { CacheApi } from '../github/ports.js'
import type { RepoName } from '../engine/cache.js'
import { fullName } from '../engine/cache.js'
import type { EventScope } from '../engine/event.js'
import { execute } from './executor.js'
import { DEFAULT_CONCURRENCY, type Clock, type GovernorStats } from '../github/governor.js'
import { listCaches, listingScopes } from './listing.js'
import { formatBytes } from '../engine/parse.js'
import { decide, usesStaleRefs, type Policy } from '../engine/policy.js'
import type { PruneReport } from '../commands/prune/report.js'
import type { Ui } from './ui.js'

export interface PruneOptions {
  readonly repo: RepoName
  readonly policy: Policy
  readonly scope: EventScope
  readonly dryRun: boolean
  readonly maxDeletions?: number
  readonly deleteByKey: boolean
  /** deletions in flight at most (default: the Governor's cap, which applies anyway) */
  readonly concurrency?: number
}

/** Finds which of the listed refs are dead; provided by the stale-refs module. */
export type StaleRefFinder = (
  api: CacheApi,
  repo: RepoName,
  refs: readonly string[],
  ui: Ui
) => Promise<ReadonlySet<string>>

export interface PruneDeps {
  readonly api: CacheApi
  readonly clock: Clock
  readonly ui: Ui
  readonly stats: () => GovernorStats
  readonly findStaleRefs?: StaleRefFinder
  /** the pacing's view of the coming deletions (Governor.expectMutations) */
  readonly expectMutations?: (count: number) => void
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
    if (!deps.findStaleRefs) throw new Error('stale-refs needs a stale-ref finder')
    const finder = deps.findStaleRefs
    staleRefs = await ui.group('Looking up refs', () =>
      finder(api, repo, [...new Set(listing.caches.map(c => c.ref))], ui)
    )
  }

  const plan = await ui.group('Selecting', async () => {
    const p = decide(listing.caches, options.policy, clock.now(), staleRefs ? { staleRefs } : {})
    ui.info(
      `selected ${p.deletions.length} of ${p.totalCount} caches (${formatBytes(p.plannedBytes)})`
    )
    return p
  })

  const execution = await ui.group(
    options.dryRun ? 'Deleting (dry run: nothing is deleted)' : 'Deleting',
    () =>
      execute(api, repo, plan.deletions, listing, {
        dryRun: options.dryRun,
        ...(options.maxDeletions !== undefined ? { maxDeletions: options.maxDeletions } : {}),
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        deleteByKey: options.deleteByKey,
        ...(deps.expectMutations ? { onPlanned: deps.expectMutations } : {}),
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
