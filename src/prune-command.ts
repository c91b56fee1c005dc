// The prune command: list -> decide -> execute -> report, and the verdict.

import * as core from '@actions/core'
import { ApiError } from './api.js'
import { createClient, describeGovernorEvent } from './client.js'
import { StopError, type GovernorEvent } from './governor.js'
import type { Settings } from './inputs.js'
import { explainApiError } from './messages.js'
import { pruneOrganizationCommand } from './org-prune-command.js'
import { formatBytes } from './parse.js'
import { pruneRepository } from './prune-run.js'
import { findStaleRefs } from './ref-lookup.js'
import { StaleRefsError } from './stale-refs.js'
import type { Ui } from './ui.js'
import { renderLogBlock, renderOutputs, renderSummary, tally, type PruneReport } from './report.js'
import type { RunEnvironment } from './runtime.js'

export function logGovernorEvent(e: GovernorEvent): void {
  core.info(describeGovernorEvent(e))
}

/** The runner's log as a Ui: one group per phase, progress lines on long runs. */
export const actionUi: Ui = {
  group: (name, fn) => core.group(name, fn),
  info: message => core.info(message),
  warning: message => core.warning(message),
  debug: message => core.debug(message),
  progress: (phase, done, total) => core.info(`${phase} ${done} of ${total}`)
}

export async function prune(
  settings: Settings,
  runtime: RunEnvironment,
  started: number
): Promise<void> {
  const { env, clock } = runtime
  const { governor, api } = createClient({
    token: settings.token,
    apiUrl: env.GITHUB_API_URL,
    runtime,
    reserve: settings.reserve,
    deletesPerMinute: settings.deletesPerMinute,
    ...(settings.deadlineMs !== undefined ? { deadline: started + settings.deadlineMs } : {}),
    onEvent: logGovernorEvent
  })
  if (settings.repoPattern) {
    const client = { governor, api, clock, ui: actionUi, findStaleRefs }
    return pruneOrganizationCommand(settings, client, env)
  }

  let report: PruneReport
  try {
    report = await pruneRepository(settings, {
      api,
      clock,
      ui: actionUi,
      stats: () => governor.stats,
      findStaleRefs,
      expectMutations: count => governor.expectMutations(count)
    })
  } catch (error) {
    if (error instanceof StaleRefsError) {
      // a failed look-up: nothing was deleted, and the message says why
      core.setFailed(error.message)
      return
    }
    if (error instanceof StopError) {
      core.warning(
        `Stopped before anything was deleted: ${error.message}. The next run starts over.`
      )
      return
    }
    if (error instanceof ApiError && error.kind === 'forbidden' && settings.scope.readOnlyToken) {
      core.warning(forkWarning())
      return
    }
    throw error
  }

  for (const [name, value] of Object.entries(renderOutputs(report))) core.setOutput(name, value)
  await core.group('Result', async () => {
    for (const line of renderLogBlock(report)) core.info(line)
  })
  if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(report)).write()
  verdict(report, settings)
}

function forkWarning(): string {
  return (
    'This pull request comes from a fork or from Dependabot, so GitHub gives this workflow a read-only token and caches cannot be deleted here. ' +
    'Run the cleanup on `pull_request_target` (types: [closed]) instead; it has a token that can write and this action never checks out pull-request code.'
  )
}

function verdict(r: PruneReport, settings: Settings): void {
  const t = tally(r)
  const { denied, stopped } = r.execution
  if (denied && denied.kind === 'forbidden' && settings.scope.readOnlyToken) {
    core.warning(forkWarning())
  } else if (t.failed > 0) {
    const failed = r.execution.items.filter(i => i.outcome.status === 'failed')
    const lines = failed.slice(0, 10).map(i => {
      const o = i.outcome as { error: string }
      return `  - ${i.decision.cache.key} (${i.decision.cache.ref}, id ${i.decision.cache.id}): ${o.error}`
    })
    const more =
      failed.length > 10 ? `\n  … and ${failed.length - 10} more (see the job summary)` : ''
    const hint = denied ? `\n${explainApiError(denied)}` : ''
    core.setFailed(
      `${t.failed} of ${t.selected} selected caches could not be deleted:\n${lines.join('\n')}${more}${hint}`
    )
  }
  if (stopped) {
    const left = (t.pendingBy.budget ?? 0) + (t.pendingBy.deadline ?? 0)
    core.warning(
      `Stopped early: ${stopped.message}. ${left} selected caches are left; the next run continues where this one stopped.`
    )
  } else if (t.pendingBy['max-deletions']) {
    core.info(
      `max-deletions reached: ${t.pendingBy['max-deletions']} selected caches are left for the next run.`
    )
  }
  if (r.plan.budget && !r.plan.budget.fits) {
    core.warning(
      `The caches still total ${formatBytes(r.plan.budget.after)}, over max-total-size ${formatBytes(r.plan.budget.limit)} (${r.plan.budget.limit} bytes): everything else is protected or not matched.`
    )
  }
}
