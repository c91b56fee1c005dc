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
  Deleted: 'deleted',
  DeletedTruncated: 'deleted-truncated',
  DeletedFile: 'deleted-file'
} as const

/**
 * The most characters the `deleted` output holds. A job's outputs may total
 * 1 MB, counted as UTF-16 (two bytes a character): this keeps `deleted` to
 * about a third of that, and the whole list goes to `deleted-file`.
 */
const MAX_DELETED_CHARS = 160_000

/** What a prune gives later steps: outputs, and files whose path is an output. */
export interface PruneOutputs {
  readonly outputs: Record<string, string>
  /** output name -> the file's contents; the action writes it and sets the output to its path */
  readonly files: Record<string, string>
}

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

/** The longest head of `entries` whose JSON fits in `max` characters. */
function boundedJson(entries: readonly object[], max: number): { json: string; all: boolean } {
  const whole = JSON.stringify(entries)
  if (whole.length <= max) return { json: whole, all: true }
  const kept: string[] = []
  let length = 2
  for (const entry of entries) {
    const one = JSON.stringify(entry)
    if (length + one.length + 1 > max) break
    kept.push(one)
    length += one.length + 1
  }
  return { json: `[${kept.join(',')}]`, all: false }
}

/** The prune outputs from counts and the `deleted` list: one repository's, or many summed. */
export function outputsFrom(t: Omit<Tally, 'pendingBy'>, deleted: readonly object[]): PruneOutputs {
  const { json, all } = boundedJson(deleted, MAX_DELETED_CHARS)
  const outputs = {
    [Output.MatchedCount]: String(t.selected),
    [Output.DeletedCount]: String(t.deleted),
    [Output.DeletedBytes]: String(t.deletedBytes),
    [Output.AlreadyGoneCount]: String(t.alreadyGone),
    [Output.FailedCount]: String(t.failed),
    [Output.PendingCount]: String(t.pending),
    [Output.RemainingCount]: String(t.remainingCount),
    [Output.RemainingBytes]: String(t.remainingBytes),
    [Output.Deleted]: json,
    [Output.DeletedTruncated]: String(!all)
  }
  return { outputs, files: { [Output.DeletedFile]: JSON.stringify(deleted) } }
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
    [Output.Deleted]: '[]',
    [Output.DeletedTruncated]: 'false'
  }
}

export function renderOutputs(r: PruneReport): PruneOutputs {
  return outputsFrom(tally(r), deletedEntries(r))
}
