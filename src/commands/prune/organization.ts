import { visible } from '../../engine/format.js'
// An organization-wide prune (`repository: my-org/*`): runs pruneOrganization
// with the client the prune command built, and turns the report into an
// Outcome (outputs, log block, job summary, verdict).

import type { Settings } from '../../engine/settings.js'
import type { Client } from '../../github/client.js'
import { StopError } from '../../github/ports.js'
import { pruneOrganization, type OrgPruneReport } from '../../run/prune-organization.js'
import { StaleRefsError } from '../../run/stale-refs.js'
import type { CommandContext } from '../context.js'
import { explainApiError, explainLookupFailure } from '../messages.js'
import { noticesOnly, type Notice, type Outcome } from '../outcome.js'
import {
  orgOutputs,
  orgTally,
  pruned,
  renderOrgLogBlock,
  renderOrgSummary
} from './organization-report.js'
import { mayHaveApplied, mayHaveAppliedNote } from './tally.js'
import { stoppedBeforeDeleting } from './verdict.js'

export async function runOrgPrune(
  settings: Settings,
  client: Client,
  context: CommandContext
): Promise<Outcome<OrgPruneReport>> {
  const pattern = settings.repoPattern
  if (!pattern) throw new Error('runOrgPrune needs a repository pattern')
  const { governor } = client
  let report: OrgPruneReport
  try {
    report = await pruneOrganization(
      { ...settings, pattern },
      {
        api: client.caches,
        admin: client.admin,
        refs: client.refs,
        family: client.family,
        clock: context.runtime.clock,
        ui: context.ui,
        stats: () => governor.stats,
        listingProgress: context.listingProgress === true
      }
    )
  } catch (error) {
    // A failed stale-ref look-up judges no ref; nothing was deleted, and the message says why.
    if (error instanceof StaleRefsError) {
      return noticesOnly({ level: 'error', message: explainLookupFailure(error) })
    }
    if (error instanceof StopError) return stoppedBeforeDeleting(error)
    throw error
  }
  return {
    report,
    ...orgOutputs(report),
    log: { title: 'Result', lines: renderOrgLogBlock(report) },
    summary: renderOrgSummary(report),
    notices: orgVerdict(report)
  }
}

/** Repositories with failures, repositories not reached, and an early stop. */
export function orgVerdict(report: OrgPruneReport): Notice[] {
  const notices: Notice[] = []
  const t = orgTally(report)
  const problems: string[] = []
  for (const x of report.repos) {
    if (x.status === 'failed')
      problems.push(`  - ${visible(x.usage.fullName)}: ${explainApiError(x.error)}`)
    if (x.status === 'pruned') {
      const failed = x.report.execution.items.filter(i => i.outcome.status === 'failed').length
      if (failed > 0) {
        const hint = x.report.execution.denied
          ? ` ${explainApiError(x.report.execution.denied)}`
          : ''
        problems.push(
          `  - ${visible(x.usage.fullName)}: ${failed} caches could not be deleted.${hint}`
        )
      }
    }
  }
  if (problems.length > 0) {
    notices.push({
      level: 'error',
      message: `${problems.length} of ${report.repos.length} repositories had failures (see the job summary):\n${problems.join('\n')}`
    })
  }
  if (!report.stopped && t.notReached > 0) {
    notices.push({
      level: 'info',
      message: `max-deletions reached: ${t.notReached} repositories were not reached and ${t.pending} selected caches are pending; the next run continues.`
    })
  }
  if (report.stopped) {
    const uncertain = pruned(report).reduce(
      (n, { report: r }) => n + mayHaveApplied(r.execution.items),
      0
    )
    notices.push({
      level: 'warning',
      message: `Stopped early: ${visible(report.stopped.message)}. ${t.notReached} repositories were not reached and ${t.pending} selected caches are pending; the next run continues.${mayHaveAppliedNote(uncertain)}`,
      stopped: true
    })
  }
  return notices
}
