// The usage command: reads the cache usage of a repository, an organization
// or an enterprise (and an organization's repositories split into shards
// for a job matrix) and returns it as an Outcome (outputs, a text table and a
// job summary) for either front end to render.

import { DEFAULT_TOP, Input, readReserve, readTarget, readToken } from '../../engine/inputs.js'
import type { InputGetter } from '../../engine/inputs.js'
import { parseCount } from '../../engine/parse.js'
import { readShards } from '../../engine/shards.js'
import { describeTarget } from '../../engine/targets.js'
import type { UsageReport } from '../../engine/usage.js'
import { collectUsage } from '../../run/usage.js'
import { adminClient, withinBudget } from '../admin-client.js'
import type { CommandContext } from '../context.js'
import type { Outcome } from '../outcome.js'
import { renderUsageSummary, renderUsageText, usageNotices, usageOutputs } from './render.js'

export async function runUsage(
  get: InputGetter,
  context: CommandContext
): Promise<Outcome<UsageReport>> {
  const { ui } = context
  const { token, target, top, shards, reserve } = await ui.group('Inputs', async () => {
    const inputs = {
      token: readToken(get),
      target: readTarget(get),
      top: parseCount(get(Input.Top), Input.Top, { min: 1 }) ?? DEFAULT_TOP,
      shards: readShards(get),
      reserve: readReserve(get)
    }
    ui.info(`usage of ${describeTarget(inputs.target)}`)
    return inputs
  })
  const { admin, family } = adminClient(context, token, reserve)
  const report = await ui.group('Reading usage', () =>
    withinBudget('the usage report', () => collectUsage(admin, target, { top, shards, family }))
  )
  return {
    report,
    outputs: usageOutputs(report),
    log: { title: 'Usage', lines: renderUsageText(report) },
    summary: renderUsageSummary(report),
    notices: usageNotices(report)
  }
}
