// The prune's outputs for later steps: the counts and the `deleted` list, for
// one repository or summed over many. Pure.

import type { PruneReport } from '../../run/prune-repository.js'
import { tally, type Tally } from './tally.js'

export const Output = {
  MatchedCount: 'matched-count',
  DeletedCount: 'deleted-count',
  DeletedBytes: 'deleted-bytes',
  AlreadyGoneCount: 'already-gone-count',
  FailedCount: 'failed-count',
  PendingCount: 'pending-count',
  RemainingCount: 'remaining-count',
  RemainingBytes: 'remaining-bytes',
  Deleted: 'deleted'
} as const

/** One entry of the `deleted` output. */
export interface DeletedEntry {
  readonly id: number
  readonly key: string
  readonly ref: string
  readonly version: string
  readonly size_in_bytes: number
  readonly reason: string
}

/** The caches deleted (or, in a dry run, that would be), as the `deleted` output lists them. */
export function deletedEntries(r: Pick<PruneReport, 'execution'>): DeletedEntry[] {
  return r.execution.items
    .filter(i => i.outcome.status === 'deleted' || i.outcome.status === 'would-delete')
    .map(({ decision: { cache, reason } }) => ({
      id: cache.id,
      key: cache.key,
      ref: cache.ref,
      version: cache.version,
      size_in_bytes: cache.sizeInBytes,
      reason
    }))
}

/** The prune outputs from counts and the `deleted` list: one repository's, or many summed. */
export function outputsFrom(
  t: Omit<Tally, 'pendingBy'>,
  deleted: readonly object[]
): Record<string, string> {
  return {
    [Output.MatchedCount]: String(t.selected),
    [Output.DeletedCount]: String(t.deleted),
    [Output.DeletedBytes]: String(t.deletedBytes),
    [Output.AlreadyGoneCount]: String(t.alreadyGone),
    [Output.FailedCount]: String(t.failed),
    [Output.PendingCount]: String(t.pending),
    [Output.RemainingCount]: String(t.remainingCount),
    [Output.RemainingBytes]: String(t.remainingBytes),
    [Output.Deleted]: JSON.stringify(deleted)
  }
}

/**
 * The outputs of a run that stopped before it deleted anything: the counts
 * known to be zero, so a later step reads 0 rather than an empty string. What
 * it never learned (matched, pending, remaining) stays unset.
 */
export function nothingDeletedOutputs(): Record<string, string> {
  return {
    [Output.DeletedCount]: '0',
    [Output.DeletedBytes]: '0',
    [Output.AlreadyGoneCount]: '0',
    [Output.FailedCount]: '0',
    [Output.Deleted]: '[]'
  }
}

export function renderOutputs(r: PruneReport): Record<string, string> {
  return outputsFrom(tally(r), deletedEntries(r))
}
