// An organization-wide prune (`repository: my-org/*`): runs pruneOrganization
// with the governor and client the prune command built, and turns the report
// into an Outcome (outputs, log block, job summary, verdict). No @actions/core.

import type { AdminApi } from '../../github/admin-api.js'
import type { CacheApi } from '../../github/ports.js'
import { StopError, type Clock, type Governor } from '../../github/governor.js'
import type { Settings } from '../../engine/inputs.js'
import { explainApiError } from '../messages.js'
import {
  orgOutputs,
  orgTally,
  pruned,
  pruneOrganization,
  renderOrgLogBlock,
  renderOrgSummary,
  type OrgPruneReport
} from '../../run/prune-organization.js'
import type { StaleRefFinder } from '../../run/prune-repository.js'
import { mayHaveApplied, mayHaveAppliedNote, nothingDeletedOutputs } from './report.js'
import { noticesOnly, type Notice, type Outcome, type Ui } from '../../run/ui.js'

export async function runOrgPrune(
  settings: Settings,
  client: {
    readonly governor: Governor
    readonly api: CacheApi
    readonly admin: AdminApi
    readonly clock: Clock
    readonly ui: Ui
    readonly findStaleRefs: StaleRefFinder
  }
): Promise<Outcome<OrgPruneReport>> {
  const pattern = settings.repoPattern
  if (!pattern) throw new Error('runOrgPrune needs a repository pattern')
  const { governor, api, admin, clock, ui, findStaleRefs } = client
  let report: OrgPruneReport
  try {
    report = await pruneOrganization(
      { ...settings, pattern },
      {
        api,
        admin,
        clock,
        ui,
        stats: () => governor.stats,
        findStaleRefs,
        expectMutations: count => governor.expectMutations(count)
      }
    )
  } catch (error) {
    // A failed stale-ref look-up (stale-refs.ts's StaleRefsError) judges no ref; its message says why.
    if (error instanceof Error && error.name === 'StaleRefsError') {
      return noticesOnly({ level: 'error', message: error.message })
    }
    if (error instanceof StopError) return stoppedBeforeDeleting(error)
    throw error
  }
  return {
    report,
    outputs: orgOutputs(report),
    log: { title: 'Result', lines: renderOrgLogBlock(report) },
    summary: renderOrgSummary(report),
    notices: orgVerdict(report)
  }
}

/** The budget or the deadline ran out while listing or looking up: nothing was deleted. */
export function stoppedBeforeDeleting<R>(error: StopError): Outcome<R> {
  return {
    ...noticesOnly<R>({
      level: 'warning',
      message: `Stopped before anything was deleted: ${error.message}. The next run starts over.`,
      stopped: true
    }),
    outputs: nothingDeletedOutputs()
  }
}

/** Repositories with failures, repositories not reached, and an early stop. */
export function orgVerdict(report: OrgPruneReport): Notice[] {
  const notices: Notice[] = []
  const t = orgTally(report)
  const problems: string[] = []
  for (const x of report.repos) {
    if (x.status === 'failed') problems.push(`  - ${x.usage.fullName}: ${explainApiError(x.error)}`)
    if (x.status === 'pruned') {
      const failed = x.report.execution.items.filter(i => i.outcome.status === 'failed').length
      if (failed > 0) {
        const hint = x.report.execution.denied
          ? ` ${explainApiError(x.report.execution.denied)}`
          : ''
        problems.push(`  - ${x.usage.fullName}: ${failed} caches could not be deleted.${hint}`)
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
      message: `Stopped early: ${report.stopped.message}. ${t.notReached} repositories were not reached and ${t.pending} selected caches are pending; the next run continues.${mayHaveAppliedNote(uncertain)}`,
      stopped: true
    })
  }
  return notices
}
