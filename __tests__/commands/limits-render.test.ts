import type { LimitKind, UsagePolicy, AdminApi } from '../../src/github/ports.js'
import { applyLimits } from '../../src/run/limits.js'
// The limits report's renderers: job summary, outputs and the text table.
import type { AdminTarget } from '../../src/engine/targets.js'
import {
  limitsOutputs,
  renderLimitsSummary,
  renderLimitsText
} from '../../src/commands/limits/render.js'

const repo: AdminTarget = { kind: 'repo', owner: 'o', repo: 'r' }

function memoryApi(initial: { retention?: number; storage?: number; policy?: UsagePolicy }) {
  const state = { retention: 7, storage: 10, ...initial }
  let policy: UsagePolicy = initial.policy ?? { repoCacheSizeLimitGb: 10 }
  const calls: string[] = []
  const api: AdminApi = {
    getRepoUsage: async () => {
      throw new Error('not used')
    },
    getOrgUsage: async () => {
      throw new Error('not used')
    },
    listRepoUsage: async () => {
      throw new Error('not used')
    },
    getEnterpriseUsage: async () => {
      throw new Error('not used')
    },
    getUsagePolicy: async () => {
      calls.push('GET policy')
      return policy
    },
    setUsagePolicy: async (_t, p) => {
      calls.push(`PATCH ${JSON.stringify(p)}`)
      policy = { ...policy, ...p }
    },
    getLimit: async (_t, kind: LimitKind) => {
      calls.push(`GET ${kind}`)
      return state[kind]
    },
    setLimit: async (_t, kind: LimitKind, value: number) => {
      calls.push(`PUT ${kind} ${value}`)
      // a server that keeps at most 90 days
      state[kind] = kind === 'retention' ? Math.min(value, 90) : value
    }
  }
  return { api, calls }
}

describe('renderers', () => {
  it('summary, outputs and text agree on before and after', async () => {
    const m = memoryApi({})
    const r = await applyLimits(
      m.api,
      repo,
      'github.com',
      { 'size-limit-gb': 40 },
      { dryRun: true }
    )
    const md = renderLimitsSummary(r)
    expect(md).toContain('## Cache limits of repository o/r (dry run): would change 1 setting')
    expect(md).toContain(
      '| cache size limit per repository (GB) (`size-limit-gb`) | 10 | 40 | would change |'
    )
    expect(md).toContain('| cache retention (days) (`retention-days`) | 7 | 7 |  |')
    expect(JSON.parse(limitsOutputs(r).limits)).toEqual({
      scope: 'repository',
      name: 'o/r',
      server: 'github.com',
      dry_run: true,
      before: { retention_days: 7, size_limit_gb: 10 },
      after: { retention_days: 7, size_limit_gb: 40 },
      changed: ['size-limit-gb']
    })
    expect(renderLimitsText(r)).toEqual([
      'Cache limits of repository o/r on github.com (dry run): would change 1 setting',
      'setting         before  would be',
      'retention-days       7         7',
      'size-limit-gb       10        40  would change'
    ])
  })
})
