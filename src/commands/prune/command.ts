// The prune command: read the inputs, build the client, then prune one
// repository (list -> decide -> execute) or an organization's repositories,
// and turn the report into an Outcome: outputs, the log block, the job
// summary and the verdict.

import type { InputGetter } from '../../engine/inputs.js'
import { hasRulesDocument, readSettings } from '../../engine/prune-settings.js'
import type { RulesSyntax } from '../../engine/rules.js'
import type { Settings } from '../../engine/settings.js'
import { createClient, type Client } from '../../github/client.js'
import { ApiError, StopError } from '../../github/ports.js'
import type { OrgPruneReport } from '../../run/prune-organization.js'
import { pruneRepository, type PruneReport } from '../../run/prune-repository.js'
import { StaleRefsError } from '../../run/stale-refs.js'
import type { Ui } from '../../run/ui.js'
import type { CommandContext } from '../context.js'
import { clientRuntime, watchedCacheApi } from '../interrupt.js'
import { explainLookupFailure } from '../messages.js'
import { noticesOnly, type Outcome } from '../outcome.js'
import { renderLogBlock } from './log.js'
import { runOrgPrune } from './organization.js'
import { renderOutputs } from './outputs.js'
import { renderSummary } from './summary.js'
import { describeRepository, forkWarning, pruneVerdict, stoppedBeforeDeleting } from './verdict.js'

/** A repository's prune report, or an organization-wide one (`repository: my-org/*`). */
export type AnyPruneReport = PruneReport | OrgPruneReport

export const isOrgReport = (r: AnyPruneReport): r is OrgPruneReport => 'repos' in r

export async function runPrune(
  get: InputGetter,
  context: CommandContext
): Promise<Outcome<AnyPruneReport>> {
  const { ui } = context
  const settings = await ui.group('Inputs', async () => {
    const s = readSettings(get, context.scope, await rulesSyntaxFor(get))
    ui.info(`repository: ${describeRepository(s)}`)
    ui.info(`event: ${context.scope.description}`)
    ui.info(`dry run: ${s.dryRun}${s.dryRun ? ' (nothing is deleted)' : ''}`)
    return s
  })
  const built = createClient({
    token: settings.token,
    apiUrl: context.apiUrl,
    runtime: clientRuntime(context),
    reserve: settings.reserve,
    deletesPerMinute: settings.deletesPerMinute,
    ...(settings.deadlineMs !== undefined
      ? { deadline: context.started + settings.deadlineMs }
      : {}),
    onEvent: context.onEvent
  })
  // Each answered delete moves the bar (the executor itself reports only every tenth);
  // an interrupted run starts no request.
  const deletes = { answered: 0, planned: 0 }
  const caches = watchedCacheApi(built.caches, {
    ...(context.signal ? { signal: context.signal } : {}),
    onDeleteAnswered: () => {
      deletes.answered++
      if (deletes.planned > 0) context.ui.progress('deleted', deletes.answered, deletes.planned)
    }
  })
  const client: Client = { ...built, caches }
  const onDeletesPlanned = (count: number): void => {
    deletes.answered = 0
    deletes.planned = count
  }
  if (settings.repoPattern) return runOrgPrune(settings, client, context)
  // the executor's own (coarse) count of deletions gives way to the count above
  const quietUi: Ui = {
    ...context.ui,
    progress: (phase, done, total) => {
      if (phase !== 'deleted') context.ui.progress(phase, done, total)
    }
  }
  return pruneOne(settings, client, { ...context, ui: quietUi }, onDeletesPlanned)
}

/**
 * The YAML parser and the schema validator, loaded only when the run has a
 * `rules` document: every other run starts without them. ("eager": the
 * bundler keeps the module in the one bundle file and evaluates it only here.)
 */
async function rulesSyntaxFor(get: InputGetter): Promise<RulesSyntax | undefined> {
  if (!hasRulesDocument(get)) return undefined
  const { rulesSyntax } = await import(/* webpackMode: "eager" */ '../../engine/rules-syntax.js')
  return rulesSyntax
}

async function pruneOne(
  settings: Settings,
  client: Client,
  context: CommandContext,
  onDeletesPlanned: (count: number) => void
): Promise<Outcome<AnyPruneReport>> {
  const { governor } = client
  let report: PruneReport
  try {
    report = await pruneRepository(settings, {
      api: client.caches,
      clock: context.runtime.clock,
      ui: context.ui,
      stats: () => governor.stats,
      refs: client.refs,
      admin: client.admin,
      family: client.family,
      listingProgress: context.listingProgress === true,
      onDeletesPlanned
    })
  } catch (error) {
    if (error instanceof StaleRefsError) {
      // a failed look-up: nothing was deleted, and the message says why
      return noticesOnly({ level: 'error', message: explainLookupFailure(error) })
    }
    if (error instanceof StopError) return stoppedBeforeDeleting(error)
    if (error instanceof ApiError && error.kind === 'forbidden' && settings.scope.readOnlyToken) {
      return noticesOnly({ level: 'warning', message: forkWarning() })
    }
    throw error
  }
  return {
    report,
    ...renderOutputs(report),
    log: { title: 'Result', lines: renderLogBlock(report) },
    summary: renderSummary(report),
    notices: pruneVerdict(report, settings)
  }
}
