// What a prune amounts to, as notices: failures (named), an early stop, the
// max-deletions cap, a budget that could not be met, a fork's read-only token.

import { fullName } from '../../engine/cache.js'
import { formatBytes, visible } from '../../engine/format.js'
import type { Settings } from '../../engine/settings.js'
import type { StopError } from '../../github/ports.js'
import type { PruneReport } from '../../run/prune-repository.js'
import { explainApiError } from '../messages.js'
import { noticesOnly, type Notice, type Outcome } from '../outcome.js'
import { nothingDeletedOutputs } from './outputs.js'
import { mayHaveApplied, mayHaveAppliedNote, tally } from './tally.js'

export function forkWarning(): string {
  return (
    'This pull request comes from a fork or from Dependabot, so GitHub gives this workflow a read-only token and caches cannot be deleted here. ' +
    'Run the cleanup on `pull_request_target` (types: [closed]) instead; it has a token that can write and this action never checks out pull-request code.'
  )
}

/** The budget or the deadline ran out while listing or looking up: nothing was deleted. */
export function stoppedBeforeDeleting<R>(error: StopError): Outcome<R> {
  return {
    ...noticesOnly<R>({
      level: 'warning',
      message: `Stopped before anything was deleted: ${visible(error.message)}. The next run starts over.`,
      stopped: true
    }),
    outputs: nothingDeletedOutputs()
  }
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
      return `  - ${visible(i.decision.cache.key)} (${visible(i.decision.cache.ref)}, id ${i.decision.cache.id}): ${visible(o.error)}`
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
    const left =
      (t.pendingBy.budget ?? 0) + (t.pendingBy.deadline ?? 0) + (t.pendingBy.interrupted ?? 0)
    notices.push({
      level: 'warning',
      message: `Stopped early: ${visible(stopped.message)}. ${left} selected caches are left; the next run continues where this one stopped.${mayHaveAppliedNote(mayHaveApplied(r.execution.items))}`,
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

/** For the Inputs group: the repository, or the organization's pattern. */
export const describeRepository = (settings: Settings): string =>
  settings.repoPattern ? settings.repoPattern.lines.join(', ') : fullName(settings.repo)
