// The job summary of a repository's prune (Markdown): the counts, what was
// deleted grouped by ref, failures, what is left for the next run, and why
// the rest was kept. Pure.

import { formatBytes, formatCount, formatDuration } from '../../engine/format.js'
import type { Decision } from '../../engine/policy.js'
import { asInput, keptText, pendingText, type PendingWhy } from '../../engine/reasons.js'
import type { Item } from '../../run/executor.js'
import type { PruneReport } from '../../run/prune-repository.js'
import { cell, inHtml, inline } from '../markdown.js'
import { mayHaveApplied, mayHaveAppliedText, sum, tally } from './tally.js'

const n = formatCount

const ROWS_PER_GROUP = 50
const MAX_ROWS = 400

export function renderSummary(r: PruneReport): string {
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
    for (const line of renderGroups(removed, r.now)) lines.push(line)
  }

  const failed = r.execution.items.filter(i => i.outcome.status === 'failed')
  if (failed.length > 0) {
    lines.push('### Not deleted: failures', '', '| key | ref | error |', '|---|---|---|')
    for (const i of failed.slice(0, MAX_ROWS)) {
      const o = i.outcome as { error: string }
      lines.push(
        `| ${cell(i.decision.cache.key)} | ${cell(i.decision.cache.ref)} | ${cell(o.error)} |`
      )
    }
    if (failed.length > MAX_ROWS) lines.push(`| … ${n(failed.length - MAX_ROWS)} more | | |`)
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

function renderGroups(items: readonly Item[], now: number): string[] {
  const lines: string[] = []
  const groups = countBy(items, i => i.decision.cache.ref)
  let rows = 0
  for (const [ref, group] of groups) {
    const bytes = sum(group.map(i => i.decision.cache))
    lines.push(
      `<details${groups.length <= 3 ? ' open' : ''}><summary>${inHtml(ref)}: ${n(group.length)} cache${group.length === 1 ? '' : 's'}, ${formatBytes(bytes)}</summary>`,
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
  return `| ${cell(c.key)} | ${formatBytes(c.sizeInBytes)} | ${formatDuration(Math.max(0, now - c.lastAccessedAt))} ago | ${d.reason}: ${cell(d.detail)} | ${d.rule ? cell(d.rule) : ''} |`
}
