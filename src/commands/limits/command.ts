// The limits command: reads the cache limits of a repository, an organization
// or an enterprise and, where inputs ask, sets them (not in a dry run). Every
// value is validated before the first request.

import { Input, readReserve, readTarget, readToken } from '../../engine/inputs.js'
import type { InputGetter } from '../../engine/inputs.js'
import { familyName, validateLimitRequest, type LimitsReport } from '../../engine/limits.js'
import { parseBoolean } from '../../engine/parse.js'
import { describeTarget } from '../../engine/targets.js'
import { applyLimits } from '../../run/limits.js'
import { adminClient, withinBudget } from '../admin-client.js'
import type { CommandContext } from '../context.js'
import type { Outcome } from '../outcome.js'
import { limitsOutputs, renderLimitsSummary, renderLimitsText } from './render.js'

export async function runLimits(
  get: InputGetter,
  context: CommandContext
): Promise<Outcome<LimitsReport>> {
  const { ui } = context
  const inputs = await ui.group('Inputs', async () => {
    const token = readToken(get)
    const target = readTarget(get)
    const dryRun = parseBoolean(get(Input.DryRun), Input.DryRun, false)
    const client = adminClient(context, token, readReserve(get))
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
