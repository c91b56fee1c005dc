// Reading and writing cache limits through the AdminApi port: reads the
// current values, plans with engine/limits.ts and, unless a dry run or nothing
// changes, writes and reads back.

import { familyName, planLimits, type LimitsReport, type LimitValues } from '../engine/limits.js'
import { InputError } from '../engine/errors.js'
import type { AdminTarget, ApiFamily } from '../engine/targets.js'
import type { AdminApi } from '../github/ports.js'

/** Reads every setting that exists for the scope on this family. */
async function readLimits(
  api: AdminApi,
  target: AdminTarget,
  family: ApiFamily
): Promise<LimitValues> {
  if (family === 'github.com') {
    const retention = await api.getLimit(target, 'retention')
    const storage = await api.getLimit(target, 'storage')
    return { 'retention-days': retention, 'size-limit-gb': storage }
  }
  if (target.kind === 'org') {
    throw new InputError('org', `${familyName(family)} has no organization cache limits`)
  }
  const policy = await api.getUsagePolicy(target)
  return {
    'size-limit-gb': policy.repoCacheSizeLimitGb,
    ...(policy.maxRepoCacheSizeLimitGb !== undefined
      ? { 'max-size-limit-gb': policy.maxRepoCacheSizeLimitGb }
      : {})
  }
}

/**
 * Reads the current limits, plans, and (unless a dry run, or nothing changes)
 * writes the changes and reads them back. On github.com one PUT per changed
 * setting; on GHES one PATCH with every changed field.
 */
export async function applyLimits(
  api: AdminApi,
  target: AdminTarget,
  family: ApiFamily,
  requested: LimitValues,
  options: { readonly dryRun: boolean }
): Promise<LimitsReport> {
  const before = await readLimits(api, target, family)
  const plan = planLimits(before, requested)
  const planned: LimitValues = { ...before }
  for (const c of plan.changes) planned[c.setting] = c.after
  if (options.dryRun || plan.changes.length === 0) {
    return { target, family, dryRun: options.dryRun, before, after: planned, plan, mismatched: [] }
  }
  if (family === 'github.com') {
    for (const c of plan.changes) {
      const kind = c.setting === 'retention-days' ? 'retention' : 'storage'
      await api.setLimit(target, kind, c.after)
    }
  } else {
    if (target.kind === 'org') throw new Error('unreachable: GHES has no organization limits')
    const size = plan.changes.find(c => c.setting === 'size-limit-gb')
    const max = plan.changes.find(c => c.setting === 'max-size-limit-gb')
    await api.setUsagePolicy(target, {
      ...(size ? { repoCacheSizeLimitGb: size.after } : {}),
      ...(max ? { maxRepoCacheSizeLimitGb: max.after } : {})
    })
  }
  const after = await readLimits(api, target, family)
  const mismatched = plan.changes.filter(c => after[c.setting] !== c.after).map(c => c.setting)
  return { target, family, dryRun: false, before, after, plan, mismatched }
}
