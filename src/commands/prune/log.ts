// The closing log block of a repository's prune: one line per count. Pure.

import { formatBytes, formatCount as n } from '../../engine/format.js'
import type { PruneReport } from '../../run/prune-repository.js'
import { tally } from './tally.js'

export function renderLogBlock(r: PruneReport): string[] {
  const t = tally(r)
  const verb = r.dryRun ? 'would delete' : 'deleted'
  return [
    `listed:    ${n(r.plan.totalCount)} caches, ${formatBytes(r.plan.totalBytes)} (${r.listing.requests} list requests${r.listing.repairs ? `, ${r.listing.repairs} repaired passes` : ''})`,
    `selected:  ${n(t.selected)}`,
    `${verb}: ${n(t.deleted)} (${formatBytes(t.deletedBytes)})`,
    `already gone: ${n(t.alreadyGone)}`,
    `failed:    ${n(t.failed)}`,
    `pending:   ${n(t.pending)}`,
    `remaining: ${n(t.remainingCount)} caches, ${formatBytes(t.remainingBytes)}`,
    `requests:  ${n(r.stats.requests)} (${n(r.stats.mutating)} mutating, ${n(r.stats.retries)} retries, ${n(r.stats.secondaryLimits)} secondary limits)`,
    `elapsed:   ${(r.elapsedMs / 1000).toFixed(1)} s`
  ]
}
