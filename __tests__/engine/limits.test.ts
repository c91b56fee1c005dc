// Unit tests of src/limits.ts: which settings exist where, validation of
// requested values (table-driven), planning against the current values,
// reading and applying through an in-memory AdminApi, and the renderers.
import type {
  AdminApi,
  AdminTarget,
  ApiFamily,
  LimitKind,
  UsagePolicy
} from '../../src/github/admin-api.js'
import { InputError } from '../../src/engine/errors.js'
import {
  applyLimits,
  limitsOutputs,
  planLimits,
  renderLimitsSummary,
  renderLimitsText,
  settingsFor,
  validateLimitRequest,
  type LimitRequestText
} from '../../src/engine/limits.js'

const repo: AdminTarget = { kind: 'repo', owner: 'o', repo: 'r' }
const org: AdminTarget = { kind: 'org', org: 'o' }
const ent: AdminTarget = { kind: 'enterprise', enterprise: 'e' }

const text = (t: Partial<LimitRequestText>): LimitRequestText => ({
  'retention-days': '',
  'size-limit-gb': '',
  'max-size-limit-gb': '',
  ...t
})

describe('settingsFor', () => {
  it.each([
    [repo, 'github.com', ['retention-days', 'size-limit-gb']],
    [org, 'github.com', ['retention-days', 'size-limit-gb']],
    [ent, 'github.com', ['retention-days', 'size-limit-gb']],
    [repo, 'ghes', ['size-limit-gb']],
    [org, 'ghes', []],
    [ent, 'ghes', ['size-limit-gb', 'max-size-limit-gb']]
  ] as const)('%j on %s', (target, family, settings) => {
    expect(settingsFor(target, family)).toEqual(settings)
  })
})

describe('validateLimitRequest', () => {
  it.each([
    ['nothing asked', repo, 'github.com', {}, {}],
    [
      'retention 1 (the least)',
      repo,
      'github.com',
      { 'retention-days': '1' },
      { 'retention-days': 1 }
    ],
    [
      'retention 365 (the most)',
      org,
      'github.com',
      { 'retention-days': '365' },
      { 'retention-days': 365 }
    ],
    [
      'storage 10000 GB (10 TB)',
      ent,
      'github.com',
      { 'size-limit-gb': ' 10000 ' },
      { 'size-limit-gb': 10000 }
    ],
    ['GHES repository size', repo, 'ghes', { 'size-limit-gb': '25' }, { 'size-limit-gb': 25 }],
    [
      'GHES enterprise default and maximum',
      ent,
      'ghes',
      { 'size-limit-gb': '30', 'max-size-limit-gb': '30' },
      { 'size-limit-gb': 30, 'max-size-limit-gb': 30 }
    ]
  ] as const)('accepts %s', (_name, target, family, raw, expected) => {
    expect(validateLimitRequest(text(raw), target, family)).toEqual(expected)
  })

  it.each([
    [
      'retention 0',
      repo,
      'github.com',
      { 'retention-days': '0' },
      'retention-days',
      'out of range'
    ],
    [
      'retention 366',
      repo,
      'github.com',
      { 'retention-days': '366' },
      'retention-days',
      'between 1 and 365 days'
    ],
    [
      'retention 7d',
      repo,
      'github.com',
      { 'retention-days': '7d' },
      'retention-days',
      'not a whole number'
    ],
    [
      'retention -1',
      repo,
      'github.com',
      { 'retention-days': '-1' },
      'retention-days',
      'not a whole number'
    ],
    [
      'size 1.5',
      repo,
      'github.com',
      { 'size-limit-gb': '1.5' },
      'size-limit-gb',
      'not a whole number'
    ],
    [
      'size 10001',
      repo,
      'github.com',
      { 'size-limit-gb': '10001' },
      'size-limit-gb',
      'between 1 and 10,000 GB'
    ],
    ['size 0', ent, 'ghes', { 'size-limit-gb': '0' }, 'size-limit-gb', 'out of range'],
    [
      'retention on GHES',
      repo,
      'ghes',
      { 'retention-days': '7' },
      'retention-days',
      'no cache retention setting'
    ],
    [
      'max on github.com',
      ent,
      'github.com',
      { 'max-size-limit-gb': '9' },
      'max-size-limit-gb',
      'github.com has no separate maximum'
    ],
    [
      'max for a GHES repository',
      repo,
      'ghes',
      { 'max-size-limit-gb': '9' },
      'max-size-limit-gb',
      'only an enterprise has one'
    ],
    ['an organization on GHES', org, 'ghes', {}, 'org', 'no organization cache limits'],
    [
      'default above maximum',
      ent,
      'ghes',
      { 'size-limit-gb': '41', 'max-size-limit-gb': '40' },
      'size-limit-gb',
      'more than max-size-limit-gb (40 GB)'
    ]
  ] as const)('refuses %s, naming the input', (_name, target, family, raw, input, message) => {
    let error: unknown
    try {
      validateLimitRequest(text(raw), target, family)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe(input)
    expect((error as InputError).message).toContain(message)
  })
})

describe('planLimits', () => {
  it.each([
    ['no request', { 'retention-days': 7 }, {}, [], []],
    ['same value', { 'retention-days': 7 }, { 'retention-days': 7 }, [], ['retention-days']],
    [
      'one change, one unchanged',
      { 'retention-days': 7, 'size-limit-gb': 10 },
      { 'retention-days': 30, 'size-limit-gb': 10 },
      [{ setting: 'retention-days', before: 7, after: 30 }],
      ['size-limit-gb']
    ],
    [
      'GHES enterprise within the current maximum',
      { 'size-limit-gb': 10, 'max-size-limit-gb': 25 },
      { 'size-limit-gb': 25 },
      [{ setting: 'size-limit-gb', before: 10, after: 25 }],
      []
    ]
  ] as const)('%s', (_name, current, requested, changes, unchanged) => {
    const plan = planLimits(current, requested)
    expect(plan.changes).toEqual(changes)
    expect(plan.unchanged).toEqual(unchanged)
  })

  it.each([
    ['a default above the current maximum', { 'size-limit-gb': 26 }, 'size-limit-gb'],
    ['a maximum below the current default', { 'max-size-limit-gb': 5 }, 'max-size-limit-gb']
  ])('refuses %s', (_name, requested, input) => {
    expect(() => planLimits({ 'size-limit-gb': 10, 'max-size-limit-gb': 25 }, requested)).toThrow(
      `Input '${input}'`
    )
  })
})

/** Limits in memory; records reads and writes. */
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
