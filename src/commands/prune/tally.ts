// The counts of a repository's prune, from its report: selected, deleted,
// already gone, failed, pending (and why), and what remains. Pure.

import type { Cache } from '../../engine/cache.js'
import { formatCount } from '../../engine/format.js'
import type { PendingWhy } from '../../engine/reasons.js'
import type { Item } from '../../run/executor.js'
import type { PruneReport } from '../../run/prune-repository.js'

export interface Tally {
  readonly selected: number
  readonly deleted: number
  readonly deletedBytes: number
  readonly alreadyGone: number
  readonly failed: number
  readonly pending: number
  readonly pendingBy: Readonly<Partial<Record<PendingWhy, number>>>
  readonly remainingCount: number
  readonly remainingBytes: number
}

const isRemoved = (i: Item): boolean =>
  i.outcome.status === 'deleted' ||
  i.outcome.status === 'would-delete' ||
  i.outcome.status === 'already-gone'

export function tally(r: Pick<PruneReport, 'listing' | 'execution'>): Tally {
  const items = r.execution.items
  const ours = items.filter(
    i => i.outcome.status === 'deleted' || i.outcome.status === 'would-delete'
  )
  const pendingBy: Partial<Record<PendingWhy, number>> = {}
  for (const i of items) {
    if (i.outcome.status === 'pending')
      pendingBy[i.outcome.why] = (pendingBy[i.outcome.why] ?? 0) + 1
  }
  const removed = new Set(items.filter(isRemoved).map(i => i.decision.cache.id))
  const left = r.listing.caches.filter(c => !removed.has(c.id))
  return {
    selected: items.length,
    deleted: ours.length,
    deletedBytes: sum(ours.map(i => i.decision.cache)),
    alreadyGone: items.filter(i => i.outcome.status === 'already-gone').length,
    failed: items.filter(i => i.outcome.status === 'failed').length,
    pending: items.filter(i => i.outcome.status === 'pending').length,
    pendingBy,
    remainingCount: left.length,
    remainingBytes: sum(left)
  }
}

/** Pending deletes whose request was sent and its answer lost before the stop. */
export const mayHaveApplied = (items: readonly Item[]): number =>
  items.filter(i => i.outcome.status === 'pending' && i.outcome.mayHaveApplied).length

/** Said of such deletes wherever the pending ones are counted. */
export const mayHaveAppliedText = (count: number): string =>
  `${formatCount(count)} of them may be gone already: the delete was sent and its answer lost before the stop, and a later run will not find them if so`

/** The same, as the closing remark of an early-stop warning; empty when there are none. */
export const mayHaveAppliedNote = (count: number): string =>
  count > 0 ? ` (${mayHaveAppliedText(count)}.)` : ''

/** The total size of some caches. */
export const sum = (caches: readonly Cache[]): number =>
  caches.reduce((n, c) => n + c.sizeInBytes, 0)
