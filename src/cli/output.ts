// What the command line prints on stdout: tables for people (fitted to the
// terminal, or tab-separated into a pipe), or one JSON document (the action's
// outputs, typed; list's caches) for scripts. Pure: lines in, lines out.
// Every value from the API goes through visible() in tables and TSV; JSON
// keeps values as they are (the writer only keeps a line from being a
// workflow command, see sink.ts).

import type { Outcome } from '../commands/outcome.js'
import { renderLimitsText } from '../commands/limits/render.js'
import { isOrgReport } from '../commands/prune/command.js'
import { orgTally } from '../commands/prune/organization-report.js'
import { tally } from '../commands/prune/tally.js'
import type { CommandReports } from '../commands/registry.js'
import { textTable } from '../commands/text-table.js'
import { renderUsageText } from '../commands/usage/render.js'
import type { DeleteReport } from '../commands/delete/command.js'
import type { ListReport } from '../commands/list/command.js'
import type { Command } from '../engine/inputs.js'
import { cacheJson, parseCacheFields } from '../engine/cache-fields.js'
import { formatBytes, formatCount, formatDuration, visible } from '../engine/format.js'
import { renderTable, type Layout } from './table.js'
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
  if (o.status === 'failed') return visible(o.error)
  if (o.status === 'pending') return `left: ${pendingText(o.why, asFlag)}`
  const d = item.decision
  // the flat flags make one rule named 'inputs'; only a rules document's names say something
  const rule = d.rule && d.rule !== 'inputs' ? ` [${d.rule}]` : ''
  return visible(`${d.reason}: ${d.detail}${rule}`)
}

/** One row per selected cache, grouped by ref (largest group first), then the totals and what was kept. */
function renderPruneTable(r: PruneReport, layout: Layout): string[] {
  const tsv = !layout.tty
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
          visible(c.key),
          visible(c.ref),
          formatBytes(c.sizeInBytes),
          `${formatDuration(Math.max(0, r.now - c.lastAccessedAt))} ago`,
          why(item)
        ])
      }
    }
    lines.push(
      ...renderTable(
        {
          head: ['status', 'key', 'ref', 'size', 'last used', 'reason'],
          rows,
          right: [3],
          shrink: [5, 1, 2],
          headInTsv: true
        },
        layout
      ),
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
  lines.push(...textTable(['', 'caches', 'size'], totals, { right: [1, 2], tsv }))
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
function renderOrgTable(r: OrgPruneReport, layout: Layout): string[] {
  const t = orgTally(r)
  const verb = r.dryRun ? 'would delete' : 'deleted'
  const lines = [
    `${r.dryRun ? 'Dry run: would delete' : 'Deleted'} ${plural(t.deleted, 'cache')} (${formatBytes(t.deletedBytes)}) in ${n(r.repos.length)} matched repositor${r.repos.length === 1 ? 'y' : 'ies'} of ${r.owner} (${n(r.withCaches)} have caches).`,
    ''
  ]
  const rows = r.repos.map(x => {
    const name = visible(x.usage.fullName)
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
    const note =
      x.status === 'failed' ? `FAILED: ${visible(x.error.message)}` : `not reached (${x.why})`
    return [name, n(x.usage.count), formatBytes(x.usage.sizeInBytes), '', '', '', note]
  })
  if (rows.length > 0) {
    lines.push(
      ...renderTable(
        {
          head: ['repository', 'caches', 'size', verb, 'freed', 'left', ''],
          rows,
          right: [1, 2, 3, 4, 5],
          shrink: [6, 0],
          headInTsv: true
        },
        layout
      ),
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

const ago = (now: number, at: number): string => `${formatDuration(Math.max(0, now - at))} ago`
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')

/**
 * list: on a terminal, gh's heading and a table (id, key, ref, size, created,
 * last used); into a pipe, one tab-separated row per cache and no heading,
 * times as RFC 3339.
 */
function renderListTable(r: ListReport, layout: Layout): string[] {
  if (r.caches.length === 0) return []
  const rows = r.caches.map(c => [
    String(c.id),
    visible(c.key),
    visible(c.ref),
    formatBytes(c.sizeInBytes),
    layout.tty ? ago(r.now, c.createdAt) : iso(c.createdAt),
    layout.tty ? ago(r.now, c.lastAccessedAt) : iso(c.lastAccessedAt)
  ])
  const table = renderTable(
    { head: ['ID', 'KEY', 'REF', 'SIZE', 'CREATED', 'ACCESSED'], rows, right: [3], shrink: [1, 2] },
    layout
  )
  if (!layout.tty) return table
  return [
    '',
    `Showing ${n(r.caches.length)} of ${plural(r.totalCount, 'cache')} in ${r.repository}`,
    '',
    ...table
  ]
}

function deleteStatus(item: Item): string {
  return item.outcome.status === 'pending' ? 'pending' : status(item)
}

/**
 * delete: on a terminal, a sentence (gh's "Deleted N caches from R") and a
 * row per cache; into a pipe, the rows alone (status, id, key, ref, size).
 */
function renderDeleteTable(r: DeleteReport, layout: Layout): string[] {
  const rows = r.items.map(i => {
    const c = i.decision.cache
    const listed = c.key !== '' || c.ref !== ''
    return [
      deleteStatus(i),
      String(c.id),
      listed ? visible(c.key) : '',
      listed ? visible(c.ref) : '',
      listed ? formatBytes(c.sizeInBytes) : '',
      i.outcome.status === 'failed'
        ? visible(i.outcome.error)
        : i.outcome.status === 'pending'
          ? pendingText(i.outcome.why, asFlag)
          : ''
    ]
  })
  const table = renderTable(
    { head: ['STATUS', 'ID', 'KEY', 'REF', 'SIZE', ''], rows, right: [4], shrink: [5, 2, 3] },
    layout
  )
  if (!layout.tty) return table
  const done = r.items.filter(
    i => i.outcome.status === 'deleted' || i.outcome.status === 'would-delete'
  )
  const bytes = done.reduce((x, i) => x + i.decision.cache.sizeInBytes, 0)
  const size = bytes > 0 ? ` (${formatBytes(bytes)})` : ''
  const head = r.dryRun
    ? `Dry run: would delete ${plural(done.length, 'cache')}${size} from ${r.repository}`
    : `✓ Deleted ${plural(done.length, 'cache')}${size} from ${r.repository}`
  return r.items.length > 0 ? [head, '', ...table] : []
}

/** The table a person reads for each command's report. */
const TABLES: {
  readonly [C in Command]: (report: CommandReports[C], layout: Layout) => string[]
} = {
  prune: (report, layout) =>
    isOrgReport(report) ? renderOrgTable(report, layout) : renderPruneTable(report, layout),
  usage: (report, layout) => renderUsageText(report, { tsv: !layout.tty }),
  limits: (report, layout) => renderLimitsText(report, { tsv: !layout.tty }),
  list: renderListTable,
  delete: renderDeleteTable
}

export interface RenderOptions {
  readonly json: boolean
  /** list's --json fields ('' for all) */
  readonly jsonFields?: string
  readonly layout: Layout
}

/** stdout for an outcome: the JSON document, or the table (nothing when there is no report). */
export function renderStdout<C extends Command>(
  command: C,
  outcome: Outcome<CommandReports[C]>,
  options: RenderOptions
): string {
  if (options.json) {
    let doc: unknown
    if (outcome.report === undefined) {
      doc = { error: { message: outcome.notices.map(x => x.message).join('\n') } }
    } else if (command === 'list') {
      const fields = parseCacheFields(options.jsonFields ?? '', 'json')
      doc = (outcome.report as ListReport).caches.map(c => cacheJson(c, fields))
    } else {
      doc = { ...jsonDocument(outcome.outputs), ...wholeLists(outcome.files ?? {}) }
    }
    return JSON.stringify(doc, null, 2) + '\n'
  }
  if (outcome.report === undefined) return ''
  const render: (report: CommandReports[C], layout: Layout) => string[] = TABLES[command]
  const lines = render(outcome.report, options.layout)
  return lines.length > 0 ? lines.join('\n') + '\n' : ''
}
