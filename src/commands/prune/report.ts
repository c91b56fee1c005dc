// What a prune run tells people and scripts: outputs, the job summary and a
// closing log block. All pure renderers over one PruneReport; the action (and
// the CLI) decide where the text goes.

import type { Cache } from '../../engine/cache.js'
import type { EventScope } from '../../engine/event.js'
import type { Execution, Item, PendingWhy } from '../../run/executor.js'
import type { GovernorStats } from '../../github/governor.js'
import type { Listing } from '../../run/listing.js'
import { formatBytes, formatCount, formatDuration } from '../../engine/parse.js'
import type { Decision, Plan } from '../../engine/policy.js'

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

const sum = (caches: readonly Cache[]): number => caches.reduce((n, c) => n + c.sizeInBytes, 0)

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

const code = (s: string): string => '`' + s.replace(/`/g, "'").replace(/\|/g, '\\|') + '`'
/** Text made safe for one cell of a Markdown table. */
export const tableCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const cell = tableCell
const n = formatCount

const KEEP_TEXT: Record<string, string> = {
  'key-not-matched': 'key not matched by `keys`',
  'ref-not-matched': 'ref not matched by `refs` (or the event)',
  protected: 'protected',
  'kept-latest': 'among the newest of their key family (`keep-latest`)',
  'too-recent': 'not old enough (`older-than`)',
  'too-small': 'not large enough (`larger-than`)',
  'too-large': 'not small enough (`smaller-than`)',
  'ref-alive': 'their ref still exists (`stale-refs`)',
  'within-budget': 'not needed to fit `max-total-size`',
  'not-selected': 'not selected'
}

const PENDING_TEXT: Record<PendingWhy, string> = {
  'max-deletions': '`max-deletions` was reached',
  budget: 'the API rate-limit budget was spent (the reserve is kept for other workflows)',
  deadline: 'the `deadline` was reached'
}

const ROWS_PER_GROUP = 50
const MAX_ROWS = 400

export function renderSummary(r: PruneReport): string {
  const t = tally(r)
  const verb = r.dryRun ? 'Would delete' : 'Deleted'
  const lines: string[] = []
  const headline = r.dryRun
    ? `would delete ${n(t.deleted)} cache${t.deleted === 1 ? '' : 's'} (${formatBytes(t.deletedBytes)})`
    : `deleted ${n(t.deleted)} cache${t.deleted === 1 ? '' : 's'} (${formatBytes(t.deletedBytes)})`
  lines.push(`## cache-steward ${r.dryRun ? '(dry run) ' : ''}${headline} in ${r.repository}`, '')
  const scopeText = r.listing.wholeRepository
    ? 'the whole repository'
    : r.listing.scopes
        .map(s =>
          [s.ref && code(s.ref), s.keyPrefix && `keys starting ${code(s.keyPrefix)}`]
            .filter(Boolean)
            .join(', ')
        )
        .join('; ')
  lines.push(`Event: ${r.scope.description}. Listed: ${scopeText}.`, '')

  lines.push('| | caches | size |', '|---|---:|---:|')
  lines.push(`| Before | ${n(r.plan.totalCount)} | ${formatBytes(r.plan.totalBytes)} |`)
  lines.push(`| ${verb} | ${n(t.deleted)} | ${formatBytes(t.deletedBytes)} |`)
  if (t.alreadyGone)
    lines.push(`| Already gone (deleted by someone else) | ${n(t.alreadyGone)} | |`)
  if (t.failed) lines.push(`| **Failed** | ${n(t.failed)} | |`)
  if (t.pending) lines.push(`| Left for the next run | ${n(t.pending)} | |`)
  lines.push(
    `| After${r.dryRun ? ' (projected)' : ''} | ${n(t.remainingCount)} | ${formatBytes(t.remainingBytes)} |`
  )
  if (r.plan.budget) {
    const b = r.plan.budget
    lines.push(
      '',
      `Budget \`max-total-size\` ${formatBytes(b.limit)} (${n(b.limit)} bytes): ${b.fits ? 'fits after this run' : '**still over the budget**: not enough deletable caches'}.`
    )
  }
  lines.push('')

  const removed = r.execution.items.filter(
    i => i.outcome.status === 'deleted' || i.outcome.status === 'would-delete'
  )
  if (removed.length > 0) {
    lines.push(`### ${verb}`, '')
    lines.push(...renderGroups(removed, r.now))
  }

  const failed = r.execution.items.filter(i => i.outcome.status === 'failed')
  if (failed.length > 0) {
    lines.push('### Not deleted: failures', '', '| key | ref | error |', '|---|---|---|')
    for (const i of failed.slice(0, MAX_ROWS)) {
      const o = i.outcome as { error: string }
      lines.push(
        `| ${code(i.decision.cache.key)} | ${code(i.decision.cache.ref)} | ${cell(o.error)} |`
      )
    }
    if (failed.length > MAX_ROWS) lines.push(`| … ${n(failed.length - MAX_ROWS)} more | | |`)
    lines.push('')
  }

  if (t.pending) {
    lines.push('### Left for the next run', '')
    for (const [why, count] of Object.entries(t.pendingBy)) {
      lines.push(`- ${n(count)} because ${PENDING_TEXT[why as PendingWhy]}`)
    }
    const uncertain = mayHaveApplied(r.execution.items)
    if (uncertain > 0) lines.push(`- ${mayHaveAppliedText(uncertain)}`)
    lines.push('')
  }

  const kept = r.plan.decisions.filter(d => !d.delete)
  lines.push('### Kept', '')
  if (kept.length === 0) lines.push('Nothing listed was kept.')
  const byReason = countBy(kept, d => d.reason)
  for (const [reason, ds] of byReason) {
    lines.push(
      `- ${n(ds.length)} (${formatBytes(sum(ds.map(d => d.cache)))}): ${KEEP_TEXT[reason] ?? reason}`
    )
  }
  lines.push('')
  lines.push(
    `<sub>${n(r.stats.requests)} API requests (${n(r.stats.mutating)} mutating, ${n(r.stats.retries)} retried)${r.listing.repairs ? `, listing repaired ${r.listing.repairs}× after pages shifted` : ''}.</sub>`
  )
  return lines.join('\n') + '\n'
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Array<[string, T[]]> {
  const m = new Map<string, T[]>()
  for (const i of items) {
    const k = key(i)
    const list = m.get(k)
    if (list) list.push(i)
    else m.set(k, [i])
  }
  return [...m.entries()].sort((a, b) => b[1].length - a[1].length)
}

function renderGroups(items: readonly Item[], now: number): string[] {
  const lines: string[] = []
  const groups = countBy(items, i => i.decision.cache.ref)
  let rows = 0
  for (const [ref, group] of groups) {
    const bytes = sum(group.map(i => i.decision.cache))
    lines.push(
      `<details${groups.length <= 3 ? ' open' : ''}><summary>${cell(ref)}: ${n(group.length)} cache${group.length === 1 ? '' : 's'}, ${formatBytes(bytes)}</summary>`,
      '',
      '| key | size | last used | reason | rule |',
      '|---|---:|---|---|---|'
    )
    const shown = group.slice(0, Math.max(0, Math.min(ROWS_PER_GROUP, MAX_ROWS - rows)))
    for (const i of shown) lines.push(row(i.decision, now))
    rows += shown.length
    if (shown.length < group.length)
      lines.push(`| … ${n(group.length - shown.length)} more | | | | |`)
    lines.push('', '</details>', '')
  }
  return lines
}

function row(d: Decision, now: number): string {
  const c = d.cache
  return `| ${code(c.key)} | ${formatBytes(c.sizeInBytes)} | ${formatDuration(Math.max(0, now - c.lastAccessedAt))} ago | ${d.reason}: ${cell(d.detail)} | ${cell(d.rule ?? '')} |`
}

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
