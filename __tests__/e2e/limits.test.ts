// End-to-end: `command: limits` through the bundle against the fake GitHub API:
// github.com retention/storage limits at three scopes, the GHES usage policy,
// dry runs, validation before any request, and explained refusals.
import type { FakeGitHub } from '../../testing/fake/server.js'
import { fakeFixture } from '../support/fake-fixture.js'

let fake: FakeGitHub
const api = fakeFixture({ repository: 'octo/app', inputs: { command: 'limits' } })
const run = api.run

const calls = () => fake.requests.map(r => `${r.method} ${r.path}`)
const limits = (r: { outputs: Record<string, string> }) => JSON.parse(r.outputs.limits)

describe('limits on github.com', () => {
  beforeEach(async () => {
    fake = await api.start({ mode: 'dotcom' })
    fake.store.addRepo('octo/app')
  })

  it('reads a repository’s limits with a read token and changes nothing', async () => {
    const r = await run({ token: 'ghs_read' })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(limits(r)).toEqual({
      scope: 'repository',
      name: 'octo/app',
      server: 'github.com',
      dry_run: false,
      before: { retention_days: 7, size_limit_gb: 10 },
      after: { retention_days: 7, size_limit_gb: 10 },
      changed: []
    })
    expect(calls()).toEqual([
      'GET /repos/octo/app/actions/cache/retention-limit',
      'GET /repos/octo/app/actions/cache/storage-limit'
    ])
    expect(r.summary).toContain('nothing to change')
  })

  it('sets a repository’s retention and storage limits and reads them back', async () => {
    const r = await run({
      token: 'ghp_admin',
      inputs: { 'retention-days': '30', 'size-limit-gb': '50' }
    })
    expect(r.errors).toEqual([])
    expect(fake.store.repo('octo/app')?.limits).toMatchObject({
      maxCacheRetentionDays: 30,
      maxCacheSizeGb: 50
    })
    expect(limits(r)).toMatchObject({
      before: { retention_days: 7, size_limit_gb: 10 },
      after: { retention_days: 30, size_limit_gb: 50 },
      changed: ['retention-days', 'size-limit-gb']
    })
    expect(calls()).toEqual([
      'GET /repos/octo/app/actions/cache/retention-limit',
      'GET /repos/octo/app/actions/cache/storage-limit',
      'PUT /repos/octo/app/actions/cache/retention-limit',
      'PUT /repos/octo/app/actions/cache/storage-limit',
      'GET /repos/octo/app/actions/cache/retention-limit',
      'GET /repos/octo/app/actions/cache/storage-limit'
    ])
    expect(r.summary).toContain('changed 2 settings')
    expect(r.summary).toMatch(/cache retention \(days\) \(`retention-days`\) \| 7 \| 30 \| changed/)
  })

  it('sends only what differs', async () => {
    const r = await run({
      token: 'ghp_admin',
      inputs: { 'retention-days': '7', 'size-limit-gb': '12' }
    })
    expect(r.code).toBe(0)
    expect(calls().filter(c => c.startsWith('PUT'))).toEqual([
      'PUT /repos/octo/app/actions/cache/storage-limit'
    ])
    expect(r.summary).toMatch(/`retention-days`\) \| 7 \| 7 \| already set/)
  })

  it('uses /organizations/ (not /orgs/) for an organization', async () => {
    fake.store.addOrg('octo-org')
    const r = await run({
      token: 'ghp_admin',
      inputs: { org: 'octo-org', 'retention-days': '14', 'size-limit-gb': '30' }
    })
    expect(r.errors).toEqual([])
    expect(fake.store.orgLimitsOf('octo-org')).toMatchObject({
      maxCacheRetentionDays: 14,
      maxCacheSizeGb: 30
    })
    expect(calls().filter(c => c.startsWith('PUT'))).toEqual([
      'PUT /organizations/octo-org/actions/cache/retention-limit',
      'PUT /organizations/octo-org/actions/cache/storage-limit'
    ])
    expect(calls().every(c => c.includes('/organizations/octo-org/actions/cache/'))).toBe(true)
    expect(limits(r)).toMatchObject({ scope: 'organization', name: 'octo-org' })
  })

  it('sets an enterprise’s retention and storage limits', async () => {
    fake.store.addEnterprise('octo-ent')
    const r = await run({
      token: 'ghp_admin',
      inputs: { enterprise: 'octo-ent', 'retention-days': '90', 'size-limit-gb': '100' }
    })
    expect(r.errors).toEqual([])
    expect(fake.store.enterpriseLimitsOf('octo-ent')).toMatchObject({
      maxCacheRetentionDays: 90,
      maxCacheSizeGb: 100
    })
    expect(calls().filter(c => c.startsWith('PUT'))).toEqual([
      'PUT /enterprises/octo-ent/actions/cache/retention-limit',
      'PUT /enterprises/octo-ent/actions/cache/storage-limit'
    ])
    expect(limits(r).after).toEqual({ retention_days: 90, size_limit_gb: 100 })
  })

  it('dry run: shows what would change and sends no PUT', async () => {
    const r = await run({
      token: 'ghp_admin',
      inputs: { 'retention-days': '60', 'dry-run': 'true' }
    })
    expect(r.code).toBe(0)
    expect(fake.mutations()).toBe(0)
    expect(fake.store.repo('octo/app')?.limits.maxCacheRetentionDays).toBe(7)
    expect(limits(r)).toMatchObject({
      dry_run: true,
      before: { retention_days: 7 },
      after: { retention_days: 60 },
      changed: ['retention-days']
    })
    expect(r.summary).toContain('(dry run): would change 1 setting')
    expect(r.summary).toContain('| would be |')
  })

  it('explains a 403 when the token may not change limits', async () => {
    const r = await run({ token: 'ghs_read', inputs: { 'size-limit-gb': '20' } })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('403')
    expect(r.errors[0]).toContain('Administration: write')
    expect(r.errors[0]).toContain('administration=write')
    expect(fake.store.repo('octo/app')?.limits.maxCacheSizeGb).toBe(10)
  })

  it('explains GitHub refusing more than 90 days for a public repository', async () => {
    fake.store.addRepo('octo/public', { private: false })
    const r = await run({
      token: 'ghp_admin',
      inputs: { repository: 'octo/public', 'retention-days': '120' }
    })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('400')
    expect(r.errors[0]).toContain('at most 90 days')
    expect(fake.store.repo('octo/public')?.limits.maxCacheRetentionDays).toBe(7)
  })
})

describe('limits on GHES', () => {
  beforeEach(async () => {
    fake = await api.start({ mode: 'ghes' })
    fake.store.addRepo('octo/app')
    fake.store.addEnterprise('octo-ent', ['octo'])
  })

  it('reads and sets a repository’s usage policy with one PATCH', async () => {
    const r = await run({ token: 'ghp_admin', inputs: { 'size-limit-gb': '20' } })
    expect(r.errors).toEqual([])
    expect(fake.store.repo('octo/app')?.limits.repoCacheSizeLimitInGb).toBe(20)
    expect(calls()).toEqual([
      'GET /repos/octo/app/actions/cache/usage-policy',
      'PATCH /repos/octo/app/actions/cache/usage-policy',
      'GET /repos/octo/app/actions/cache/usage-policy'
    ])
    expect(limits(r)).toEqual({
      scope: 'repository',
      name: 'octo/app',
      server: 'ghes',
      dry_run: false,
      before: { size_limit_gb: 10 },
      after: { size_limit_gb: 20 },
      changed: ['size-limit-gb']
    })
    expect(r.summary).toContain('Server: GitHub Enterprise Server.')
  })

  it('sets an enterprise’s default and maximum together', async () => {
    const r = await run({
      token: 'ghp_admin',
      inputs: { enterprise: 'octo-ent', 'size-limit-gb': '15', 'max-size-limit-gb': '40' }
    })
    expect(r.errors).toEqual([])
    expect(fake.store.enterpriseLimitsOf('octo-ent')).toMatchObject({
      repoCacheSizeLimitInGb: 15,
      maxRepoCacheSizeLimitInGb: 40
    })
    expect(calls().filter(c => !c.startsWith('GET'))).toEqual([
      'PATCH /enterprises/octo-ent/actions/cache/usage-policy'
    ])
    expect(limits(r).before).toEqual({ size_limit_gb: 10, max_size_limit_gb: 25 })
    expect(limits(r).after).toEqual({ size_limit_gb: 15, max_size_limit_gb: 40 })
  })

  it('refuses an enterprise default above its current maximum before writing', async () => {
    const r = await run({
      token: 'ghp_admin',
      inputs: { enterprise: 'octo-ent', 'size-limit-gb': '30' }
    })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain("Input 'size-limit-gb'")
    expect(r.errors[0]).toContain('max-size-limit-gb (25 GB)')
    expect(fake.mutations()).toBe(0)
  })

  it('explains the server refusing a repository limit above the enterprise maximum', async () => {
    const r = await run({ token: 'ghp_admin', inputs: { 'size-limit-gb': '30' } })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('422')
    expect(r.errors[0]).toContain('max-size-limit-gb')
    expect(fake.store.repo('octo/app')?.limits.repoCacheSizeLimitInGb).toBe(10)
  })

  it('explains a 403 for the enterprise policy without an enterprise admin token', async () => {
    const r = await run({ token: 'ghs_write', inputs: { enterprise: 'octo-ent' } })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain('admin:enterprise')
  })
})

describe('limit inputs are checked before any request', () => {
  it.each([
    ['dotcom', { 'retention-days': '366' }, "Input 'retention-days': 366 is out of range"],
    ['dotcom', { 'retention-days': '0' }, "Input 'retention-days': 0 is out of range"],
    ['dotcom', { 'retention-days': '1.5' }, "Input 'retention-days': '1.5' is not a whole number"],
    ['dotcom', { 'size-limit-gb': '10001' }, "Input 'size-limit-gb': 10001 is out of range"],
    ['dotcom', { 'size-limit-gb': '-5' }, "Input 'size-limit-gb'"],
    ['dotcom', { 'max-size-limit-gb': '30' }, 'github.com has no separate maximum'],
    ['ghes', { 'retention-days': '30' }, 'GitHub Enterprise Server has no cache retention setting'],
    ['ghes', { 'max-size-limit-gb': '30' }, "Input 'max-size-limit-gb'"],
    ['ghes', { org: 'octo-org' }, 'has no organization cache limits'],
    [
      'ghes',
      { enterprise: 'octo-ent', 'size-limit-gb': '50', 'max-size-limit-gb': '40' },
      'is more than max-size-limit-gb (40 GB)'
    ],
    ['dotcom', { org: 'a', enterprise: 'b' }, "Input 'enterprise'"],
    ['dotcom', { 'dry-run': 'maybe' }, "Input 'dry-run'"]
  ] as const)('%s %j', async (mode, inputs, message) => {
    fake = await api.start({ mode })
    fake.store.addRepo('octo/app')
    const r = await run({ token: 'ghp_admin', inputs })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toContain(message)
    expect(fake.requests).toEqual([])
  })
})
