// What the command line prints on stdout: tables for people, or one JSON
// document (the action's outputs, typed) for scripts. Pure: lines in, lines out.

import type { Outcome } from '../commands/outcome.js'
import { renderLimitsText } from '../commands/limits/render.js'
import { isOrgReport } from '../commands/prune/command.js'
import { orgTally } from '../commands/prune/organization-report.js'
import { tally } from '../commands/prune/tally.js'
import type { CommandReports } from '../commands/registry.js'
import { textTable } from '../commands/text-table.js'
import { renderUsageText } from '../commands/usage/render.js'
import type { Command } from '../engine/inputs.js'
import { formatBytes, formatCount, formatDuration } from '../engine/format.js'
import { asFlag, keptText, pendingText } from '../engine/reasons.js'
import type { Item } from '../run/executor.js'
import type { OrgPruneReport } from '../run/prune-organization.js'
import type { PruneReport } from '../run/prune-repository.js'

const n = formatCount
const plural = (count: number, word: string): string =>
  `${n(count)} ${word}${count === 1 ? '' : 's'}`

/**
 * The action's outputs as one JSON value: numbers as numbers, `deleted`,
 * `usage`, `limits` and `repositories` as the JSON they hold.
 */
function jsonDocument(outputs: Readonly<Record<string, string>>): Record<string, unknown> {
  const doc: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(outputs)) {
    let parsed: unknown = value
    try {
      parsed = JSON.parse(value)
    } catch {
      // not JSON: kept as the string it is
    }
    doc[name] = parsed
  }
  return doc
}

const MAX_KEY = 100
const shorten = (s: string, max = MAX_KEY): string =>
  s.length <= max ? s : `${s.slice(0, max - 1)}…`

function status(item: Item): string {
  const o = item.outcome
  switch (o.status) {
    case 'would-delete':
      return 'would delete'
    case 'already-gone':
      return 'already gone'
    case 'failed':
      return 'FAILED'
    default:
      return o.status
  }
}

function why(item: Item): string {
  const o = item.outcome
  if (o.status === 'failed') return o.error
  if (o.status === 'pending') return `left: ${pendingText(o.why, asFlag)}`
  const d = item.decision
  // the flat flags make one rule named 'inputs'; only a rules document's names say something
  const rule = d.rule && d.rule !== 'inputs' ? ` [${d.rule}]` : ''
  return `${d.reason}: ${d.detail}${rule}`
}

/** One row per selected cache, grouped by ref (largest group first), then the totals and what was kept. */
function renderPruneTable(r: PruneReport): string[] {
  const t = tally(r)
  const verb = r.dryRun ? 'would delete' : 'deleted'
  const lines = [
    `${r.dryRun ? 'Dry run: would delete' : 'Deleted'} ${plural(t.deleted, 'cache')} (${formatBytes(t.deletedBytes)}) in ${r.repository}.`,
    ''
  ]
  const byRef = new Map<string, Item[]>()
  for (const item of r.execution.items) {
    const ref = item.decision.cache.ref
    byRef.set(ref, [...(byRef.get(ref) ?? []), item])
  }
  const groups = [...byRef.entries()].sort(
    (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])
  )
  if (groups.length > 0) {
    const rows: string[][] = []
    for (const [, items] of groups) {
      for (const item of [...items].sort((a, b) =>
        a.decision.cache.key.localeCompare(b.decision.cache.key)
      )) {
        const c = item.decision.cache
        rows.push([
          status(item),
          shorten(c.key),
          c.ref,
          formatBytes(c.sizeInBytes),
          `${formatDuration(Math.max(0, r.now - c.lastAccessedAt))} ago`,
          why(item)
        ])
      }
    }
    lines.push(
      ...textTable(['status', 'key', 'ref', 'size', 'last used', 'reason'], rows, { right: [3] }),
      ''
    )
  } else {
    lines.push('Nothing was selected.', '')
  }

  const totals: string[][] = [['before', n(r.plan.totalCount), formatBytes(r.plan.totalBytes)]]
  totals.push([verb, n(t.deleted), formatBytes(t.deletedBytes)])
  if (t.alreadyGone) totals.push(['already gone', n(t.alreadyGone), ''])
  if (t.failed) totals.push(['FAILED', n(t.failed), ''])
  if (t.pending) totals.push(['left for the next run', n(t.pending), ''])
  totals.push([
    r.dryRun ? 'after (projected)' : 'after',
    n(t.remainingCount),
    formatBytes(t.remainingBytes)
  ])
  lines.push(...textTable(['', 'caches', 'size'], totals, { right: [1, 2] }))
  if (r.plan.budget) {
    const b = r.plan.budget
    lines.push(
      `budget --max-total-size ${formatBytes(b.limit)}: ${b.fits ? 'fits after this run' : 'STILL OVER: not enough deletable caches'}`
    )
  }

  const kept = r.plan.decisions.filter(d => !d.delete)
  const byReason = new Map<string, { count: number; bytes: number }>()
  for (const d of kept) {
    const x = byReason.get(d.reason) ?? { count: 0, bytes: 0 }
    byReason.set(d.reason, { count: x.count + 1, bytes: x.bytes + d.cache.sizeInBytes })
  }
  lines.push('', `kept: ${plural(kept.length, 'cache')}`)
  for (const [reason, x] of [...byReason.entries()].sort((a, b) => b[1].count - a[1].count)) {
    lines.push(
      `  ${n(x.count).padStart(7)}  ${formatBytes(x.bytes).padStart(10)}  ${keptText(reason, asFlag)}`
    )
  }
  return lines
}

/** One row per matched repository, then the totals. */
function renderOrgTable(r: OrgPruneReport): string[] {
  const t = orgTally(r)
  const verb = r.dryRun ? 'would delete' : 'deleted'
  const lines = [
    `${r.dryRun ? 'Dry run: would delete' : 'Deleted'} ${plural(t.deleted, 'cache')} (${formatBytes(t.deletedBytes)}) in ${n(r.repos.length)} matched repositor${r.repos.length === 1 ? 'y' : 'ies'} of ${r.owner} (${n(r.withCaches)} have caches).`,
    ''
  ]
  const rows = r.repos.map(x => {
    const name = x.usage.fullName
    if (x.status === 'pruned') {
      const rt = tally(x.report)
      const note = [
        rt.failed ? `${n(rt.failed)} FAILED` : '',
        rt.pending ? `${n(rt.pending)} left` : '',
        rt.alreadyGone ? `${n(rt.alreadyGone)} already gone` : ''
      ]
        .filter(Boolean)
        .join(', ')
      return [
        name,
        n(x.report.plan.totalCount),
        formatBytes(x.report.plan.totalBytes),
        n(rt.deleted),
        formatBytes(rt.deletedBytes),
        n(rt.remainingCount),
        note || (r.dryRun ? 'dry run' : 'done')
      ]
    }
    const note = x.status === 'failed' ? `FAILED: ${x.error.message}` : `not reached (${x.why})`
    return [name, n(x.usage.count), formatBytes(x.usage.sizeInBytes), '', '', '', note]
  })
  if (rows.length > 0) {
    lines.push(
      ...textTable(['repository', 'caches', 'size', verb, 'freed', 'left', ''], rows, {
        right: [1, 2, 3, 4, 5]
      }),
      ''
    )
  } else {
    lines.push('No repository with caches matches the pattern.', '')
  }
  lines.push(
    `total: ${verb} ${n(t.deleted)} (${formatBytes(t.deletedBytes)}), already gone ${n(t.alreadyGone)}, failed ${n(t.failed)}, left ${n(t.pending)}; ${n(t.remainingCount)} caches (${formatBytes(t.remainingBytes)}) remain`
  )
  return lines
}

/**
 * The lists the action writes to files (`deleted-file`) go whole into the CLI's
 * JSON, which has no output limit: `deleted` is then never truncated.
 */
function wholeLists(files: Readonly<Record<string, string>>): Record<string, unknown> {
  const doc: Record<string, unknown> = {}
  for (const [name, contents] of Object.entries(files)) {
    const base = name.replace(/-file$/, '')
    doc[base] = JSON.parse(contents)
    doc[`${base}-truncated`] = false
  }
  return doc
}

/** The table a person reads for each command's report. */
const TABLES: { readonly [C in Command]: (report: CommandReports[C]) => string[] } = {
  prune: report => (isOrgReport(report) ? renderOrgTable(report) : renderPruneTable(report)),
  usage: renderUsageText,
  limits: renderLimitsText
}

/** stdout for an outcome: the JSON document, or the table (nothing when there is no report). */
export function renderStdout<C extends Command>(
  command: C,
  outcome: Outcome<CommandReports[C]>,
  json: boolean
): string {
  if (json) {
    const doc =
      outcome.report !== undefined
        ? { ...jsonDocument(outcome.outputs), ...wholeLists(outcome.files ?? {}) }
        : { error: { message: outcome.notices.map(x => x.message).join('\n') } }
    return JSON.stringify(doc, null, 2) + '\n'
  }
  if (outcome.report === undefined) return ''
  const render: (report: CommandReports[C]) => string[] = TABLES[command]
  return render(outcome.report).join('\n') + '\n'
}
