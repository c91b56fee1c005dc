// The limits command: reads the cache limits of a repository, an organization
// or an enterprise and, where inputs ask, sets them (not in a dry run). Every
// value is validated before the first request.

import * as core from '@actions/core'
import { describeTarget } from './admin-api.js'
import { Input } from './inputs.js'
import {
  applyLimits,
  familyName,
  limitsOutputs,
  renderLimitsSummary,
  renderLimitsText,
  validateLimitRequest
} from './limits.js'
import { parseBoolean, parseCount } from './parse.js'
import type { RunEnvironment } from './runtime.js'
import { adminClient, readTarget, readToken, withinBudget, type Getter } from './usage-command.js'

export async function limitsCommand(runtime: RunEnvironment): Promise<void> {
  const get: Getter = name => core.getInput(name)
  const inputs = await core.group('Inputs', async () => {
    const token = readToken(get)
    core.setSecret(token)
    const target = readTarget(get)
    const dryRun = parseBoolean(get(Input.DryRun), Input.DryRun, false)
    const reserve = parseCount(get(Input.RateLimitReserve), Input.RateLimitReserve) ?? 100
    const client = adminClient(runtime, token, reserve)
    const requested = validateLimitRequest(
      {
        'retention-days': get(Input.RetentionDays),
        'size-limit-gb': get(Input.SizeLimitGb),
        'max-size-limit-gb': get(Input.MaxSizeLimitGb)
      },
      target,
      client.family
    )
    core.info(`limits of ${describeTarget(target)} on ${familyName(client.family)}`)
    core.info(`requested: ${JSON.stringify(requested)}${dryRun ? ' (dry run)' : ''}`)
    return { target, dryRun, requested, client }
  })
  const { target, dryRun, requested, client } = inputs
  // A refused value (400/422) reaches main.ts as an ApiError; explainApiError names the ranges.
  const report = await core.group(dryRun ? 'Limits (dry run: nothing is changed)' : 'Limits', () =>
    withinBudget('the limits', () =>
      applyLimits(client.admin, target, client.family, requested, { dryRun })
    )
  )
  for (const [name, value] of Object.entries(limitsOutputs(report))) core.setOutput(name, value)
  for (const line of renderLimitsText(report)) core.info(line)
  if (runtime.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(renderLimitsSummary(report)).write()
  }
  if (report.mismatched.length > 0) {
    core.warning(
      `GitHub answered success but did not keep: ${report.mismatched.join(', ')}; see the job summary.`
    )
  }
}
