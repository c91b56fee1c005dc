// The limits command: reads the cache limits of a repository, an organization
// or an enterprise and, where inputs ask, sets them (not in a dry run). Every
// value is validated before the first request. Returns an Outcome for the
// action or the CLI to render; no @actions/core.

import { describeTarget } from '../../github/admin-api.js'
import { Input } from '../../engine/inputs.js'
import {
  applyLimits,
  familyName,
  limitsOutputs,
  renderLimitsSummary,
  renderLimitsText,
  validateLimitRequest,
  type LimitsReport
} from '../../engine/limits.js'
import { parseBoolean, parseCount } from '../../engine/parse.js'
import type { ClientContext } from '../prune/command.js'
import type { Outcome, Ui } from '../../run/ui.js'
import { adminClient, readTarget, readToken, withinBudget, type Getter } from '../usage/command.js'

export async function runLimits(
  get: Getter,
  context: ClientContext,
  ui: Ui
): Promise<Outcome<LimitsReport>> {
  const inputs = await ui.group('Inputs', async () => {
    const token = readToken(get)
    const target = readTarget(get)
    const dryRun = parseBoolean(get(Input.DryRun), Input.DryRun, false)
    const reserve = parseCount(get(Input.RateLimitReserve), Input.RateLimitReserve) ?? 100
    const client = adminClient(context, token, reserve)
    const requested = validateLimitRequest(
      {
        'retention-days': get(Input.RetentionDays),
        'size-limit-gb': get(Input.SizeLimitGb),
        'max-size-limit-gb': get(Input.MaxSizeLimitGb)
      },
      target,
      client.family
    )
    ui.info(`limits of ${describeTarget(target)} on ${familyName(client.family)}`)
    ui.info(`requested: ${JSON.stringify(requested)}${dryRun ? ' (dry run)' : ''}`)
    return { target, dryRun, requested, client }
  })
  const { target, dryRun, requested, client } = inputs
  // A refused value (400/422) reaches the caller as an ApiError; explainApiError names the ranges.
  const report = await ui.group(dryRun ? 'Limits (dry run: nothing is changed)' : 'Limits', () =>
    withinBudget('the limits', () =>
      applyLimits(client.admin, target, client.family, requested, { dryRun })
    )
  )
  return {
    report,
    outputs: limitsOutputs(report),
    log: { lines: renderLimitsText(report) },
    summary: renderLimitsSummary(report),
    notices:
      report.mismatched.length > 0
        ? [
            {
              level: 'warning',
              message: `GitHub answered success but did not keep: ${report.mismatched.join(', ')}; see the job summary.`
            }
          ]
        : []
  }
}
