// Reading and applying cache limits through an in-memory AdminApi.
import { memoryApi } from '../support/memory-admin.js'
import type { AdminTarget, ApiFamily } from '../../src/engine/targets.js'
import { applyLimits } from '../../src/run/limits.js'
import { renderLimitsSummary } from '../../src/commands/limits/render.js'

const repo: AdminTarget = { kind: 'repo', owner: 'o', repo: 'r' }
const org: AdminTarget = { kind: 'org', org: 'o' }
const ent: AdminTarget = { kind: 'enterprise', enterprise: 'e' }

describe('applyLimits', () => {
  const apply = (
    m: ReturnType<typeof memoryApi>,
    target: AdminTarget,
    family: ApiFamily,
    requested: Parameters<typeof applyLimits>[3],
    dryRun = false
  ) => applyLimits(m.api, target, family, requested, { dryRun })

  it('github.com: one PUT per changed setting, then reads back', async () => {
    const m = memoryApi({})
    const r = await apply(m, org, 'github.com', { 'retention-days': 30, 'size-limit-gb': 10 })
    expect(m.calls).toEqual([
      'GET retention',
      'GET storage',
      'PUT retention 30',
      'GET retention',
      'GET storage'
    ])
    expect(r.before).toEqual({ 'retention-days': 7, 'size-limit-gb': 10 })
    expect(r.after).toEqual({ 'retention-days': 30, 'size-limit-gb': 10 })
    expect(r.mismatched).toEqual([])
  })

  it('GHES: one PATCH with every changed field', async () => {
    const m = memoryApi({ policy: { repoCacheSizeLimitGb: 10, maxRepoCacheSizeLimitGb: 25 } })
    const r = await apply(m, ent, 'ghes', { 'size-limit-gb': 20, 'max-size-limit-gb': 50 })
    expect(m.calls).toEqual([
      'GET policy',
      'PATCH {"repoCacheSizeLimitGb":20,"maxRepoCacheSizeLimitGb":50}',
      'GET policy'
    ])
    expect(r.after).toEqual({ 'size-limit-gb': 20, 'max-size-limit-gb': 50 })
  })

  it('dry run: reads only, and reports the planned values as after', async () => {
    const m = memoryApi({})
    const r = await apply(m, repo, 'github.com', { 'size-limit-gb': 40 }, true)
    expect(m.calls).toEqual(['GET retention', 'GET storage'])
    expect(r.after).toEqual({ 'retention-days': 7, 'size-limit-gb': 40 })
    expect(r.plan.changes).toHaveLength(1)
  })

  it('writes nothing when nothing changes', async () => {
    const m = memoryApi({})
    await apply(m, repo, 'github.com', { 'retention-days': 7 })
    expect(m.calls).toEqual(['GET retention', 'GET storage'])
  })

  it('notices a value the server did not keep', async () => {
    const m = memoryApi({})
    const r = await apply(m, repo, 'github.com', { 'retention-days': 200 })
    expect(r.mismatched).toEqual(['retention-days'])
    expect(renderLimitsSummary(r)).toContain('**GitHub did not keep:** `retention-days`')
  })
})
