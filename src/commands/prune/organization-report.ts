// What an organization-wide prune tells people and scripts: the summed
// tally, the outputs, the job summary and the closing log block. Pure.

import { formatBytes, formatCount } from '../../engine/format.js'
import { asInput, pendingText } from '../../engine/reasons.js'
import type { OrgPruneReport, RepoOutcome } from '../../run/prune-organization.js'
import { cell, inHtml, inline } from '../markdown.js'
import { deletedEntries, outputsFrom, type PruneOutputs } from './outputs.js'
import { renderSummary } from './summary.js'
import { LISTED_ROOM, Room } from '../room.js'
import { tally, type Tally } from './tally.js'

export const pruned = (r: OrgPruneReport): Array<Extract<RepoOutcome, { status: 'pruned' }>> =>
  r.repos.filter((x): x is Extract<RepoOutcome, { status: 'pruned' }> => x.status === 'pruned')

/** The counts of every pruned repository, summed, and how many were not reached or failed. */
export interface OrgTally extends Omit<Tally, 'pendingBy'> {
  readonly notReached: number
  readonly failedRepos: number
}

export function orgTally(r: OrgPruneReport): OrgTally {
  const sum = { selected: 0, deleted: 0, deletedBytes: 0, alreadyGone: 0, failed: 0, pending: 0 }
  let remainingCount = 0
  let remainingBytes = 0
  for (const { report } of pruned(r)) {
    const t = tally(report)
    sum.selected += t.selected
    sum.deleted += t.deleted
    sum.deletedBytes += t.deletedBytes
    sum.alreadyGone += t.alreadyGone
    sum.failed += t.failed
    sum.pending += t.pending
    remainingCount += t.remainingCount
    remainingBytes += t.remainingBytes
  }
  return {
    ...sum,
    remainingCount,
    remainingBytes,
    notReached: r.repos.filter(x => x.status === 'not-reached').length,
    failedRepos: r.repos.filter(x => x.status === 'failed').length
  }
}

/** The prune outputs, summed over the repositories; `deleted` entries name their repository. */
export function orgOutputs(r: OrgPruneReport): PruneOutputs {
  const t = orgTally(r)
  const deleted = pruned(r).flatMap(({ report }) =>
    deletedEntries(report).map(entry => ({ repository: report.repository, ...entry }))
  )
  return outputsFrom(t, deleted)
}

const n = formatCount

// A repository's own section takes at most this much of the summary's room,
// so one repository with thousands of caches leaves room for the others.
const REPOSITORY_ROOM = 64 * 1024
// kept free for the line that says what was left out
const MORE_LINE = 200

function repoRow(x: RepoOutcome, dryRun: boolean, fromList: boolean): string {
  const name = cell(x.usage.fullName)
  if (x.status === 'pruned') {
    if (x.report.plan.totalCount === 0) return `| ${name} | 0 | | | | | no caches |`
    const t = tally(x.report)
    const note = [
      t.failed ? `**${n(t.failed)} failed**` : '',
      t.pending ? `${n(t.pending)} pending` : '',
      t.alreadyGone ? `${n(t.alreadyGone)} already gone` : ''
    ]
      .filter(Boolean)
      .join(', ')
    return `| ${name} | ${n(x.report.plan.totalCount)} | ${formatBytes(x.report.plan.totalBytes)} | ${n(t.deleted)} | ${formatBytes(t.deletedBytes)} | ${n(t.remainingCount)} | ${note || (dryRun ? 'dry run' : 'done')} |`
  }
  const note =
    x.status === 'failed'
      ? `**failed**: ${cell(x.error.message)}`
      : `not reached: ${pendingText(x.why, asInput)}`
  // A list's repository that was not listed has no known figures.
  const figures = fromList
    ? '| | |'
    : `| ${n(x.usage.count)} | ${formatBytes(x.usage.sizeInBytes)} |`
  return `| ${name} ${figures} | | | ${note} |`
}

/** What the run covered: the pattern and how many it matched, or the list. */
function scopeLine(r: OrgPruneReport): string {
  if (r.fromList) {
    return `List: ${n(r.repos.length)} repositories of ${inline(r.owner)}, listed without the usage report; ${n(r.withCaches)} had caches.`
  }
  return `Pattern: ${r.lines.map(inline).join(', ')}. ${n(r.withCaches)} repositories of ${inline(r.owner)} have caches; ${n(r.repos.length)} match.`
}

export function renderOrgSummary(r: OrgPruneReport): string {
  const t = orgTally(r)
  const verb = r.dryRun ? 'would delete' : 'deleted'
  const lines = [
    `## cache-steward ${r.dryRun ? '(dry run) ' : ''}${verb} ${n(t.deleted)} cache${t.deleted === 1 ? '' : 's'} (${formatBytes(t.deletedBytes)}) in ${n(pruned(r).length)} repositor${pruned(r).length === 1 ? 'y' : 'ies'} of ${inline(r.owner)}`,
    '',
    scopeLine(r),
    ''
  ]
  const room = new Room(LISTED_ROOM)
  if (r.repos.length === 0) {
    lines.push('No repository with caches matches the pattern.', '')
  } else {
    lines.push(
      `| repository | caches before | size before | ${r.dryRun ? 'would delete' : 'deleted'} | freed | left | |`,
      '|---|---:|---:|---:|---:|---:|---|'
    )
    let rows = 0
    for (const x of r.repos) {
      const line = repoRow(x, r.dryRun, r.fromList === true)
      if (!room.take([line], MORE_LINE)) break
      lines.push(line)
      rows++
    }
    if (rows < r.repos.length) lines.push(`| … ${n(r.repos.length - rows)} more | | | | | | |`)
    lines.push('')
  }
  if (r.stopped) {
    lines.push(
      `**Stopped early:** ${inline(r.stopped.message)}. ${n(t.notReached)} repositor${t.notReached === 1 ? 'y was' : 'ies were'} not reached and ${n(t.pending)} selected cache${t.pending === 1 ? ' is' : 's are'} pending; the next run starts over.`,
      ''
    )
  }
  const shown = pruned(r).filter(x => x.report.plan.deletions.length > 0)
  if (shown.length > 0) {
    lines.push('### Per repository', '')
    let sections = 0
    for (const { report } of shown) {
      const own = new Room(Math.min(REPOSITORY_ROOM, room.free - MORE_LINE))
      // one level below this section: ## -> ####, ### -> #####
      const body = renderSummary(report, own).replace(/^(#{2,3}) /gm, (_, h: string) => `${h}## `)
      const section = [
        `<details><summary>${inHtml(report.repository)}</summary>`,
        '',
        body,
        '</details>',
        ''
      ]
      if (!room.take(section, MORE_LINE)) break
      lines.push(...section)
      sections++
    }
    if (sections < shown.length) {
      const rest = shown.length - sections
      lines.push(`… and ${n(rest)} more repositor${rest === 1 ? 'y' : 'ies'}, not shown here.`, '')
    }
  }
  lines.push(
    `<sub>${n(r.stats.requests)} API requests in all (${n(r.stats.mutating)} mutating, ${n(r.stats.retries)} retried), one shared rate-limit budget.</sub>`
  )
  return lines.join('\n') + '\n'
}

export function renderOrgLogBlock(r: OrgPruneReport): string[] {
  const t = orgTally(r)
  return [
    r.fromList
      ? `repositories: ${n(r.repos.length)} listed, ${n(r.withCaches)} with caches (${n(pruned(r).length)} pruned, ${n(t.notReached)} not reached, ${n(t.failedRepos)} failed)`
      : `repositories: ${n(r.repos.length)} matched of ${n(r.withCaches)} with caches (${n(pruned(r).length)} pruned, ${n(t.notReached)} not reached, ${n(t.failedRepos)} failed)`,
    `selected:  ${n(t.selected)}`,
    `${r.dryRun ? 'would delete' : 'deleted'}: ${n(t.deleted)} (${formatBytes(t.deletedBytes)})`,
    `already gone: ${n(t.alreadyGone)}`,
    `failed:    ${n(t.failed)}`,
    `pending:   ${n(t.pending)}`,
    `remaining: ${n(t.remainingCount)} caches, ${formatBytes(t.remainingBytes)}`,
    `requests:  ${n(r.stats.requests)} (${n(r.stats.mutating)} mutating, ${n(r.stats.retries)} retries)`,
    `elapsed:   ${(r.elapsedMs / 1000).toFixed(1)} s`
  ]
}
