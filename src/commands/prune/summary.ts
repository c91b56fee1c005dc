// The job summary of a repository's prune (Markdown): the counts, what was
// deleted grouped by ref, failures, what is left for the next run, and why
// the rest was kept. Pure.

import { formatBytes, formatCount, formatDuration } from '../../engine/format.js'
import type { Decision } from '../../engine/policy.js'
import { asInput, keptText, pendingText, type PendingWhy } from '../../engine/reasons.js'
import type { Item } from '../../run/executor.js'
import type { PruneReport } from '../../run/prune-repository.js'
import { cell, inHtml, inline } from '../markdown.js'
import { LISTED_ROOM, Room } from '../room.js'
import { mayHaveApplied, mayHaveAppliedText, sum, tally } from './tally.js'

const n = formatCount

const ROWS_PER_GROUP = 50
const MAX_ROWS = 400
// kept free in the room for the line that says how much was left out
const MORE_LINE = 200

/**
 * The summary; `room` bounds the bytes of its lists (the caches by ref, the
 * failures), which the API's data decides.
 */
export function renderSummary(r: PruneReport, room = new Room(LISTED_ROOM)): string {
  const t = tally(r)
  const verb = r.dryRun ? 'Would delete' : 'Deleted'
  const lines: string[] = []
  const headline = r.dryRun
    ? `would delete ${n(t.deleted)} cache${t.deleted === 1 ? '' : 's'} (${formatBytes(t.deletedBytes)})`
    : `deleted ${n(t.deleted)} cache${t.deleted === 1 ? '' : 's'} (${formatBytes(t.deletedBytes)})`
  lines.push(
    `## cache-steward ${r.dryRun ? '(dry run) ' : ''}${headline} in ${inline(r.repository)}`,
    ''
  )
  const scopeText = r.listing.wholeRepository
    ? 'the whole repository'
    : r.listing.scopes
        .map(s =>
          [s.ref && inline(s.ref), s.keyPrefix && `keys starting ${inline(s.keyPrefix)}`]
            .filter(Boolean)
            .join(', ')
        )
        .join('; ')
  lines.push(`Event: ${inline(r.scope.description)}. Listed: ${scopeText}.`, '')

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
    // one line at a time: a spread of tens of thousands (one group per ref) overflows the stack
    for (const line of renderGroups(removed, r.now, room)) lines.push(line)
  }

  const failed = r.execution.items.filter(i => i.outcome.status === 'failed')
  if (failed.length > 0) {
    lines.push('### Not deleted: failures', '', '| key | ref | error |', '|---|---|---|')
    let shown = 0
    for (const i of failed) {
      const o = i.outcome as { error: string }
      const line = `| ${cell(i.decision.cache.key)} | ${cell(i.decision.cache.ref)} | ${cell(o.error)} |`
      if (shown >= MAX_ROWS || !room.take([line], MORE_LINE)) break
      lines.push(line)
      shown++
    }
    if (shown < failed.length) lines.push(`| … ${n(failed.length - shown)} more | | |`)
    lines.push('')
  }

  if (t.pending) {
    lines.push('### Left for the next run', '')
    for (const [why, count] of Object.entries(t.pendingBy)) {
      lines.push(`- ${n(count)} because ${pendingText(why as PendingWhy, asInput)}`)
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
      `- ${n(ds.length)} (${formatBytes(sum(ds.map(d => d.cache)))}): ${keptText(reason, asInput)}`
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

const CLOSE = ['', '</details>', '']

/**
 * A section per ref, most caches first, with at most ROWS_PER_GROUP rows each
 * and MAX_ROWS in all; the refs past that, or past the room, in one line.
 */
function renderGroups(items: readonly Item[], now: number, room: Room): string[] {
  const lines: string[] = []
  const groups = countBy(items, i => i.decision.cache.ref)
  let rows = 0
  let listed = 0
  for (const [ref, group] of groups) {
    const bytes = sum(group.map(i => i.decision.cache))
    const head = [
      `<details${groups.length <= 3 ? ' open' : ''}><summary>${inHtml(ref)}: ${n(group.length)} cache${group.length === 1 ? '' : 's'}, ${formatBytes(bytes)}</summary>`,
      '',
      '| key | size | last used | reason | rule |',
      '|---|---:|---|---|---|'
    ]
    if (rows >= MAX_ROWS || !room.take(head, CLOSE.length + 2 * MORE_LINE)) break
    lines.push(...head)
    let shown = 0
    for (const i of group) {
      if (shown >= ROWS_PER_GROUP || rows >= MAX_ROWS) break
      const line = row(i.decision, now)
      if (!room.take([line], CLOSE.length + 2 * MORE_LINE)) break
      lines.push(line)
      shown++
      rows++
    }
    if (shown < group.length) lines.push(`| … ${n(group.length - shown)} more | | | | |`)
    lines.push(...CLOSE)
    listed++
  }
  if (listed < groups.length) {
    const rest = groups.slice(listed).flatMap(([, group]) => group)
    const refs = groups.length - listed
    lines.push(
      `… and ${n(rest.length)} more cache${rest.length === 1 ? '' : 's'} (${formatBytes(sum(rest.map(i => i.decision.cache)))}) in ${n(refs)} more ref${refs === 1 ? '' : 's'}, not listed here.`,
      ''
    )
  }
  return lines
}

function row(d: Decision, now: number): string {
  const c = d.cache
  return `| ${cell(c.key)} | ${formatBytes(c.sizeInBytes)} | ${formatDuration(Math.max(0, now - c.lastAccessedAt))} ago | ${d.reason}: ${cell(d.detail)} | ${d.rule ? cell(d.rule) : ''} |`
}
