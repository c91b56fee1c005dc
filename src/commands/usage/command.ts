// The usage command: reads the cache usage of a repository, an organization
// or an enterprise (and an organization's repositories split into shards
// for a job matrix) and returns it as an Outcome (outputs, a text table and a
// job summary) for either front end to render.

import { DEFAULT_TOP, Input, readReserve, readTarget, readToken } from '../../engine/inputs.js'
import type { InputGetter } from '../../engine/inputs.js'
import { parseBoolean, parseCount } from '../../engine/parse.js'
import { readShards } from '../../engine/shards.js'
import { describeTarget } from '../../engine/targets.js'
import type { UsageReport } from '../../engine/usage.js'
import { collectUsage } from '../../run/usage.js'
import { adminClient, withinBudget } from '../admin-client.js'
import type { CommandContext } from '../context.js'
import { explainLookupFailure } from '../messages.js'
import { noticesOnly, type Outcome } from '../outcome.js'
import { StaleRefsError } from '../../run/stale-refs.js'
import { renderUsageSummary, renderUsageText, usageNotices, usageOutputs } from './render.js'

export async function runUsage(
  get: InputGetter,
  context: CommandContext
): Promise<Outcome<UsageReport>> {
  const { ui } = context
  const { token, target, top, shards, staleRefs, reserve } = await ui.group('Inputs', async () => {
    const inputs = {
      token: readToken(get),
      target: readTarget(get),
      top: parseCount(get(Input.Top), Input.Top, { min: 1 }) ?? DEFAULT_TOP,
      shards: readShards(get),
      staleRefs: parseBoolean(get(Input.StaleRefs), Input.StaleRefs, false),
      reserve: readReserve(get)
    }
    ui.info(`usage of ${describeTarget(inputs.target)}`)
    return inputs
  })
  const { admin, family, caches, refs } = adminClient(context, token, reserve)
  const { clock } = context.runtime
  const waste = { caches, ui, now: () => clock.now(), ...(staleRefs ? { refs } : {}) }
  let report: UsageReport
  try {
    report = await ui.group('Reading usage', () =>
      withinBudget('the usage report', () =>
        collectUsage(admin, target, { top, shards, family, waste })
      )
    )
  } catch (error) {
    // stale-refs could not tell which refs exist: no report rather than a wrong one
    if (error instanceof StaleRefsError) {
      return noticesOnly({ level: 'error', message: explainLookupFailure(error) })
    }
    throw error
  }
  return {
    report,
    outputs: usageOutputs(report),
    log: { title: 'Usage', lines: renderUsageText(report) },
    summary: renderUsageSummary(report),
    notices: usageNotices(report)
  }
}
