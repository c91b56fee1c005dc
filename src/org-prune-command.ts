// The action edge for an organization-wide prune (`repository: my-org/*`):
// runs pruneOrganization with the governor and client the prune command
// built, then writes outputs, the log block, the job summary and the verdict.

import * as core from '@actions/core'
import { GitHubAdminApi } from './admin-api.js'
import type { GitHubCacheApi } from './github.js'
import { StopError, type Clock, type Governor } from './governor.js'
import type { Settings } from './inputs.js'
import { explainApiError } from './messages.js'
import {
  orgOutputs,
  orgTally,
  pruneOrganization,
  renderOrgLogBlock,
  renderOrgSummary,
  type OrgPruneReport
} from './org-prune.js'
import type { StaleRefFinder } from './prune-run.js'
import type { Ui } from './ui.js'

export async function pruneOrganizationCommand(
  settings: Settings,
  client: {
    readonly governor: Governor
    readonly api: GitHubCacheApi
    readonly clock: Clock
    readonly ui: Ui
    readonly findStaleRefs: StaleRefFinder
  },
  env: NodeJS.ProcessEnv
): Promise<void> {
  const pattern = settings.repoPattern
  if (!pattern) throw new Error('pruneOrganizationCommand needs a repository pattern')
  const { governor, api, clock, ui, findStaleRefs } = client
  let report: OrgPruneReport
  try {
    report = await pruneOrganization(
      { ...settings, pattern },
      {
        api,
        admin: new GitHubAdminApi(api.octokit, governor),
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
      core.setFailed(error.message)
      return
    }
    if (error instanceof StopError) {
      core.warning(
        `Stopped before anything was deleted: ${error.message}. The next run starts over.`
      )
      return
    }
    throw error
  }

  for (const [name, value] of Object.entries(orgOutputs(report))) core.setOutput(name, value)
  await core.group('Result', async () => {
    for (const line of renderOrgLogBlock(report)) core.info(line)
  })
  if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderOrgSummary(report)).write()

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
    core.setFailed(
      `${problems.length} of ${report.repos.length} repositories had failures (see the job summary):\n${problems.join('\n')}`
    )
  }
  if (!report.stopped && t.notReached > 0) {
    core.info(
      `max-deletions reached: ${t.notReached} repositories were not reached and ${t.pending} selected caches are pending; the next run continues.`
    )
  }
  if (report.stopped) {
    core.warning(
      `Stopped early: ${report.stopped.message}. ${t.notReached} repositories were not reached and ${t.pending} selected caches are pending; the next run continues.`
    )
  }
}
