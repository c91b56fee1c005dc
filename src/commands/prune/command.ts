// The prune command: list -> decide -> execute -> report, and the verdict.
// No @actions/core: it returns an Outcome that the action (main.ts) and the
// command line (cli.ts) each render their own way, so both run the same code.

import type { CacheApi } from '../../github/ports.js'
import { ApiError } from '../../github/ports.js'
import { createClient } from '../../github/client.js'
import { StopError, type GovernorEvent } from '../../github/governor.js'
import type { Settings } from '../../engine/inputs.js'
import { explainApiError } from '../messages.js'
import { runOrgPrune, stoppedBeforeDeleting } from './organization.js'
import type { OrgPruneReport } from '../../run/prune-organization.js'
import { formatBytes } from '../../engine/parse.js'
import { pruneRepository, type StaleRefFinder } from '../../run/prune-repository.js'
import { findStaleRefs } from '../../github/ref-lookup.js'
import { StaleRefsError } from '../../engine/stale-refs.js'
import { noticesOnly, type Notice, type Outcome, type Ui } from '../../run/ui.js'
import {
  mayHaveApplied,
  mayHaveAppliedNote,
  renderLogBlock,
  renderOutputs,
  renderSummary,
  tally,
  type PruneReport
} from './report.js'
import type { RunEnvironment } from '../../github/runtime.js'

/** How a command reaches the API: the runtime, the base URL and where governor events go. */
export interface ClientContext {
  readonly runtime: RunEnvironment
  /** GITHUB_API_URL, or the CLI's --api-url; empty means github.com */
  readonly apiUrl: string | undefined
  readonly onEvent: (event: GovernorEvent) => void
}

export interface PruneRunOptions {
  /** also report the listing's progress through ui.progress('listing', ...) (the CLI's bar) */
  readonly listingProgress?: boolean
}

/** A repository's prune report, or an organization-wide one (`repository: my-org/*`). */
export type AnyPruneReport = PruneReport | OrgPruneReport

export const isOrgReport = (r: AnyPruneReport): r is OrgPruneReport => 'repos' in r

export async function runPrune(
  settings: Settings,
  context: ClientContext,
  started: number,
  ui: Ui,
  options: PruneRunOptions = {}
): Promise<Outcome<AnyPruneReport>> {
  const { clock } = context.runtime
  const {
    governor,
    api: github,
    admin
  } = createClient({
    token: settings.token,
    apiUrl: context.apiUrl,
    runtime: context.runtime,
    reserve: settings.reserve,
    deletesPerMinute: settings.deletesPerMinute,
    ...(settings.deadlineMs !== undefined ? { deadline: started + settings.deadlineMs } : {}),
    onEvent: context.onEvent
  })
  const api = options.listingProgress ? observeListing(github, ui) : github
  // The look-ups need the GitHub adapter itself, not the observing wrapper.
  const finder: StaleRefFinder = (_api, repo, refs, lookupUi) =>
    findStaleRefs(github, repo, refs, lookupUi)
  if (settings.repoPattern) {
    return runOrgPrune(settings, { governor, api, admin, clock, ui, findStaleRefs: finder })
  }

  let report: PruneReport
  try {
    report = await pruneRepository(settings, {
      api,
      clock,
      ui,
      stats: () => governor.stats,
      findStaleRefs: finder,
      expectMutations: count => governor.expectMutations(count)
    })
  } catch (error) {
    if (error instanceof StaleRefsError) {
      // a failed look-up: nothing was deleted, and the message says why
      return noticesOnly({ level: 'error', message: error.message })
    }
    if (error instanceof StopError) return stoppedBeforeDeleting(error)
    if (error instanceof ApiError && error.kind === 'forbidden' && settings.scope.readOnlyToken) {
      return noticesOnly({ level: 'warning', message: forkWarning() })
    }
    throw error
  }
  return {
    report,
    outputs: renderOutputs(report),
    log: { title: 'Result', lines: renderLogBlock(report) },
    summary: renderSummary(report),
    notices: pruneVerdict(report, settings)
  }
}

/** Reports each listed page through ui.progress, per listing scope. */
function observeListing(api: CacheApi, ui: Ui): CacheApi {
  let listed = 0
  return {
    listCaches: async (repo, query) => {
      const page = await api.listCaches(repo, query)
      if (query.page === 1) listed = 0
      listed += page.caches.length
      ui.progress('listing', Math.min(listed, page.totalCount), page.totalCount)
      return page
    },
    deleteCacheById: (repo, id) => api.deleteCacheById(repo, id),
    deleteCachesByKey: (repo, key, ref) => api.deleteCachesByKey(repo, key, ref),
    getRepoUsage: repo => api.getRepoUsage(repo)
  }
}

function forkWarning(): string {
  return (
    'This pull request comes from a fork or from Dependabot, so GitHub gives this workflow a read-only token and caches cannot be deleted here. ' +
    'Run the cleanup on `pull_request_target` (types: [closed]) instead; it has a token that can write and this action never checks out pull-request code.'
  )
}

/** What a finished repository prune amounts to: failures, an early stop, a cap, an unmet budget. */
export function pruneVerdict(r: PruneReport, settings: Pick<Settings, 'scope'>): Notice[] {
  const notices: Notice[] = []
  const t = tally(r)
  const { denied, stopped } = r.execution
  if (denied && denied.kind === 'forbidden' && settings.scope.readOnlyToken) {
    notices.push({ level: 'warning', message: forkWarning() })
  } else if (t.failed > 0) {
    const failed = r.execution.items.filter(i => i.outcome.status === 'failed')
    const lines = failed.slice(0, 10).map(i => {
      const o = i.outcome as { error: string }
      return `  - ${i.decision.cache.key} (${i.decision.cache.ref}, id ${i.decision.cache.id}): ${o.error}`
    })
    const more =
      failed.length > 10 ? `\n  … and ${failed.length - 10} more (see the job summary)` : ''
    const hint = denied ? `\n${explainApiError(denied)}` : ''
    notices.push({
      level: 'error',
      message: `${t.failed} of ${t.selected} selected caches could not be deleted:\n${lines.join('\n')}${more}${hint}`
    })
  }
  if (stopped) {
    const left = (t.pendingBy.budget ?? 0) + (t.pendingBy.deadline ?? 0)
    notices.push({
      level: 'warning',
      message: `Stopped early: ${stopped.message}. ${left} selected caches are left; the next run continues where this one stopped.${mayHaveAppliedNote(mayHaveApplied(r.execution.items))}`,
      stopped: true
    })
  } else if (t.pendingBy['max-deletions']) {
    notices.push({
      level: 'info',
      message: `max-deletions reached: ${t.pendingBy['max-deletions']} selected caches are left for the next run.`
    })
  }
  if (r.plan.budget && !r.plan.budget.fits) {
    notices.push({
      level: 'warning',
      message: `The caches still total ${formatBytes(r.plan.budget.after)}, over max-total-size ${formatBytes(r.plan.budget.limit)} (${r.plan.budget.limit} bytes): everything else is protected or not matched.`
    })
  }
  return notices
}
