// End-to-end: the committed bundle, run as the runner runs it, against the
// project's fake GitHub API seeded with a few thousand realistic caches.
import { startFakeGitHub, type FakeGitHub } from '../../testing/fake/server.js'
import { seedRepo } from '../../testing/fake/seed.js'
import { examplePayload, runAction, type RunOptions } from '../../testing/action-runner.js'
import { addCaches, DAY, family, HOUR, ids, type Seeded } from '../../testing/scenario.js'

const REPO = 'Codertocat/Hello-World' // the repository of GitHub's example payloads
const FAST = { CACHE_STEWARD_TIME_SCALE: '0.001' }

let fake: FakeGitHub
afterEach(async () => {
  await fake?.close()
})

let current = { deleteByKeyMatch: 'exact' as 'exact' | 'prefix', byKey: 'false' }

async function start(options: Parameters<typeof startFakeGitHub>[0] = {}): Promise<FakeGitHub> {
  fake = await startFakeGitHub({ deleteByKeyMatch: current.deleteByKeyMatch, ...options })
  fake.store.addRepo(REPO)
  // Background: a few thousand realistic caches on other refs and keys.
  seedRepo(fake.store, REPO, { count: 2500, seed: 7, now: Date.now() })
  return fake
}

const run = (o: Partial<RunOptions>) =>
  runAction({
    apiUrl: fake.url,
    repository: REPO,
    ...o,
    inputs: { 'delete-by-key': current.byKey, ...o.inputs },
    env: { ...FAST, ...o.env }
  })
const deletedIds = (): number[] => fake.deletions.map(d => d.id).sort((a, b) => a - b)
const listRequests = () =>
  fake.requests.filter(r => r.method === 'GET' && /\/actions\/caches$/.test(r.path))

function closedPull(number: number, merged = true): Record<string, unknown> {
  const payload = examplePayload('pull_request', 'closed') as {
    number: number
    pull_request: Record<string, unknown> & { number: number }
  }
  payload.number = number
  payload.pull_request.number = number
  payload.pull_request.merged = merged
  return payload
}

// The whole suite runs three times: deleting by id (the default), and with
// delete-by-key on against a server that matches keys exactly and one that
// matches them by prefix. In every variant the set deleted equals the plan.
describe.each([
  { deleteByKeyMatch: 'exact' as const, byKey: 'false' },
  { deleteByKeyMatch: 'exact' as const, byKey: 'true' },
  { deleteByKeyMatch: 'prefix' as const, byKey: 'true' }
])('server matches delete-by-key $deleteByKeyMatch, delete-by-key: $byKey', variant => {
  beforeEach(() => {
    current = variant
  })

  describe('pull request closed', () => {
    it('deletes exactly the pull request merge-ref caches of a merged PR, never the base branch, with pagination past 100', async () => {
      await start()
      const pr = addCaches(fake, REPO, family('refs/pull/4242/merge', 130))
      const main = addCaches(fake, REPO, family('refs/heads/main', 20))
      const result = await run({
        eventName: 'pull_request',
        payload: closedPull(4242),
        ref: 'refs/heads/main'
      })
      expect(result.errors).toEqual([])
      expect(result.code).toBe(0)
      expect(deletedIds()).toEqual(ids(pr))
      for (const c of main) expect(fake.store.caches(REPO).some(s => s.id === c.id)).toBe(true)
      expect(result.outputs['matched-count']).toBe('130')
      expect(result.outputs['deleted-count']).toBe('130')
      expect(result.outputs['deleted-bytes']).toBe(
        String(pr.reduce((n, c) => n + c.size_in_bytes, 0))
      )
      expect(result.outputs['failed-count']).toBe('0')
      expect(result.outputs['pending-count']).toBe('0')
      expect(listRequests().every(r => r.query.ref === 'refs/pull/4242/merge')).toBe(true)
      expect(listRequests()).toHaveLength(2)
      const deleted = JSON.parse(result.outputs.deleted) as Array<Record<string, unknown>>
      expect(deleted).toHaveLength(130)
      expect(Object.keys(deleted[0]).sort()).toEqual([
        'id',
        'key',
        'reason',
        'ref',
        'size_in_bytes',
        'version'
      ])
    })

    it('takes a single list request for a typical pull request, and summarises what it did', async () => {
      await start()
      const pr = addCaches(fake, REPO, family('refs/pull/7/merge', 12))
      const result = await run({ eventName: 'pull_request_target', payload: closedPull(7, false) })
      expect(result.code).toBe(0)
      expect(listRequests()).toHaveLength(1)
      expect(deletedIds()).toEqual(ids(pr))
      expect(result.summary).toContain('refs/pull/7/merge')
      expect(result.summary).toMatch(/deleted 12 caches \([\d.]+ MiB\)/)
      expect(result.summary).toContain('### Kept')
      expect(result.outputs['remaining-count']).toBe('0')
    })

    it('warns instead of failing for a fork, naming pull_request_target, and deletes nothing', async () => {
      await start()
      addCaches(fake, REPO, family('refs/pull/9/merge', 5))
      const payload = closedPull(9) as { pull_request: { head: { repo: { full_name: string } } } }
      payload.pull_request.head.repo.full_name = 'someone/Hello-World'
      const result = await run({ eventName: 'pull_request', payload, token: 'ghs_read' })
      expect(result.code).toBe(0)
      expect(result.warnings.join('\n')).toContain('pull_request_target')
      expect(fake.deletions).toEqual([])
    })

    it('warns for Dependabot pull requests too', async () => {
      await start()
      addCaches(fake, REPO, family('refs/pull/10/merge', 3))
      const payload = closedPull(10) as { pull_request: { user: { login: string } } }
      payload.pull_request.user.login = 'dependabot[bot]'
      const result = await run({
        eventName: 'pull_request',
        payload,
        token: 'ghs_read',
        actor: 'dependabot[bot]'
      })
      expect(result.code).toBe(0)
      expect(result.warnings.join('\n')).toContain('pull_request_target')
      expect(fake.deletions).toEqual([])
    })
  })

  describe('delete event', () => {
    it('deletes the caches of the deleted branch only', async () => {
      await start()
      const branch = addCaches(fake, REPO, family('refs/heads/feature/login', 8))
      addCaches(fake, REPO, family('refs/heads/feature/login-v2', 4))
      const payload = { ...examplePayload('delete'), ref: 'feature/login', ref_type: 'branch' }
      const result = await run({ eventName: 'delete', payload })
      expect(result.code).toBe(0)
      expect(deletedIds()).toEqual(ids(branch))
    })

    it("deletes the caches of a deleted tag, from GitHub's own payload", async () => {
      await start()
      const tag = addCaches(fake, REPO, family('refs/tags/simple-tag', 3))
      addCaches(fake, REPO, family('refs/heads/simple-tag', 2))
      const result = await run({ eventName: 'delete', payload: examplePayload('delete') })
      expect(result.code).toBe(0)
      expect(deletedIds()).toEqual(ids(tag))
    })
  })

  describe('a step or a schedule', () => {
    it('deletes by key glob and age, exactly', async () => {
      await start()
      const mine = addCaches(fake, REPO, [
        ...family('refs/heads/main', 40),
        ...family('refs/pull/3/merge', 40, { from: 40 })
      ])
      const expected = mine.filter(
        c =>
          c.key.startsWith('Linux-node-') && Date.now() - Date.parse(c.last_accessed_at) > 3 * DAY
      )
      const background = fake.store.caches(REPO).filter(c => !mine.some(m => m.id === c.id))
      const bgExpected = background.filter(
        c =>
          /^Linux-node-/.test(c.key) && Date.now() - Date.parse(c.last_accessed_at) > 3 * DAY + HOUR
      )
      const result = await run({
        eventName: 'schedule',
        inputs: { keys: 'Linux-node-*', 'older-than': '3d' }
      })
      expect(result.code).toBe(0)
      expect(expected.length).toBeGreaterThan(3)
      const deleted = new Set(deletedIds())
      for (const c of expected) expect(deleted.has(c.id)).toBe(true)
      for (const c of bgExpected) expect(deleted.has(c.id)).toBe(true)
      for (const d of fake.deletions) expect(d.key.startsWith('Linux-node-')).toBe(true)
    })

    it('keeps the newest N per key family and ref', async () => {
      await start({})
      fake.store.addRepo('octo/keep')
      const specs = [0, 1, 2, 3].flatMap(i => [
        { key: `Linux-node-${i}aaa`, ref: 'refs/heads/main', idleHours: 10 * i },
        { key: `Linux-node-${i}bbb`, ref: 'refs/heads/dev', idleHours: 10 * i + 1 },
        { key: `Linux-pip-${i}ccc`, ref: 'refs/heads/main', idleHours: 10 * i + 2 }
      ])
      const made = addCaches(fake, 'octo/keep', specs)
      const result = await runAction({
        apiUrl: fake.url,
        repository: 'octo/keep',
        env: FAST,
        inputs: { 'keep-latest': '2', 'delete-by-key': current.byKey }
      })
      expect(result.code).toBe(0)
      // In each of the three groups, the two most recently used (i = 0, 1) stay.
      const expected = made.filter((_, j) => Math.floor(j / 3) >= 2)
      expect(deletedIds()).toEqual(ids(expected))
    })

    it('fits a budget by deleting the least recently used', async () => {
      await start({})
      fake.store.addRepo('octo/budget')
      const GB = 1_000_000_000
      const made = addCaches(
        fake,
        'octo/budget',
        Array.from({ length: 10 }, (_, i) => ({
          key: `k-${i}`,
          ref: 'refs/heads/main',
          idleHours: i * 5,
          size: GB
        }))
      )
      const result = await runAction({
        apiUrl: fake.url,
        repository: 'octo/budget',
        env: FAST,
        inputs: { 'max-total-size': '7GB', 'delete-by-key': current.byKey }
      })
      expect(result.code).toBe(0)
      expect(deletedIds()).toEqual(ids(made.slice(7)))
      expect(result.outputs['remaining-bytes']).toBe(String(7 * GB))
      expect(
        JSON.parse(result.outputs.deleted).every(
          (d: { reason: string }) => d.reason === 'over-budget'
        )
      ).toBe(true)
    })

    it('stops at max-deletions and reports the rest as pending', async () => {
      await start()
      addCaches(fake, REPO, family('refs/pull/5/merge', 25))
      const result = await run({ inputs: { refs: 'refs/pull/5/merge', 'max-deletions': '10' } })
      expect(result.code).toBe(0)
      expect(fake.deletions).toHaveLength(10)
      expect(result.outputs['pending-count']).toBe('15')
      expect(result.outputs['matched-count']).toBe('25')
    })

    it('honours GITHUB_API_URL on GHES (/api/v3)', async () => {
      await start({ mode: 'ghes' })
      expect(fake.url).toMatch(/\/api\/v3$/)
      const pr = addCaches(fake, REPO, family('refs/pull/11/merge', 4))
      const result = await run({ eventName: 'pull_request', payload: closedPull(11) })
      expect(result.code).toBe(0)
      expect(deletedIds()).toEqual(ids(pr))
    })
  })

  describe('dry run', () => {
    it('makes zero mutating requests and reports what a real run reports, marked would delete', async () => {
      const inputs = { keys: 'Linux-*\n!Linux-cargo-*', 'older-than': '2d', 'keep-latest': '1' }
      await start()
      addCaches(fake, REPO, family('refs/heads/main', 60))
      const dry = await run({ inputs: { ...inputs, 'dry-run': 'true' } })
      expect(dry.code).toBe(0)
      expect(fake.mutations()).toBe(0)
      expect(dry.summary).toMatch(/would delete/i)
      await fake.close()
      await start()
      addCaches(fake, REPO, family('refs/heads/main', 60))
      const real = await run({ inputs })
      expect(real.code).toBe(0)
      for (const name of [
        'matched-count',
        'deleted-count',
        'deleted-bytes',
        'remaining-count',
        'remaining-bytes'
      ]) {
        expect(`${name}=${dry.outputs[name]}`).toBe(`${name}=${real.outputs[name]}`)
      }
      const strip = (json: string) =>
        (JSON.parse(json) as Seeded[])
          .map(({ key, ref, size_in_bytes }) => `${ref} ${key} ${size_in_bytes}`)
          .sort()
      expect(strip(dry.outputs.deleted)).toEqual(strip(real.outputs.deleted))
      expect(Number(dry.outputs['deleted-count'])).toBeGreaterThan(0)
    })
  })

  describe('permissions', () => {
    it('fails with one clear error naming permissions: actions: write for a read-only token', async () => {
      await start()
      addCaches(fake, REPO, family('refs/pull/8/merge', 3))
      const result = await run({ token: 'ghs_read', inputs: { refs: 'refs/pull/8/merge' } })
      expect(result.code).toBe(1)
      expect(result.errors).toHaveLength(1)
      expect(result.errors[0]).toContain('actions: write')
      expect(fake.deletions).toEqual([])
    })

    it('registers the token as a secret and never prints it, even with debug logs and errors', async () => {
      await start()
      addCaches(fake, REPO, family('refs/pull/8/merge', 2))
      const result = await run({
        token: 'ghs_read',
        inputs: { refs: 'refs/pull/8/merge' },
        env: { RUNNER_DEBUG: '1' }
      })
      expect(result.code).toBe(1)
      const lines = result.stdout.split('\n')
      expect(lines.filter(l => l === '::add-mask::ghs_read')).toHaveLength(1)
      const printed =
        lines.filter(l => !l.startsWith('::add-mask::')).join('\n') + result.stderr + result.summary
      expect(printed).not.toContain('ghs_read')
    })
  })

  describe('delete by key', () => {
    it.each(['exact', 'prefix'] as const)(
      'deletes exactly the plan when the server matches keys by %s',
      async mode => {
        await start({ deleteByKeyMatch: mode })
        const versions = ['1', '2', '3'].map(v => v.repeat(64))
        const planned = addCaches(fake, REPO, [
          ...versions.map(version => ({
            key: 'Linux-node-abc',
            ref: 'refs/pull/12/merge',
            idleHours: 1,
            version
          })),
          ...versions.map(version => ({
            key: 'Linux-node',
            ref: 'refs/pull/12/merge',
            idleHours: 1,
            version
          }))
        ])
        // Same ref, key starting with a planned key, but not selected: a prefix delete must not reach it.
        const bystander = addCaches(fake, REPO, [
          { key: 'Linux-node-abcdef', ref: 'refs/pull/12/merge', idleHours: 1 }
        ])
        const result = await run({
          inputs: {
            refs: 'refs/pull/12/merge',
            keys: 'Linux-node\nLinux-node-abc',
            'delete-by-key': 'true'
          }
        })
        expect(result.code).toBe(0)
        expect(deletedIds()).toEqual(ids(planned))
        expect(fake.store.caches(REPO).some(c => c.id === bystander[0].id)).toBe(true)
      }
    )
  })
})

describe('bad input fails before any request', () => {
  it.each([
    ['older-than', { 'older-than': '7' }, /older-than.*7d/s],
    ['older-than', { 'older-than': '7y' }, /older-than/],
    ['older-than', { 'older-than': '-3d' }, /older-than/],
    ['larger-than', { 'larger-than': '12XB' }, /larger-than/],
    ['larger-than', { 'larger-than': '-5MB' }, /larger-than/],
    ['smaller-than', { 'smaller-than': 'big' }, /smaller-than/],
    ['age-by', { 'age-by': 'accessed', keys: '*' }, /age-by/],
    ['keys', { keys: 'Linux-[node' }, /keys/],
    ['refs', { refs: 'feature/{a,b' }, /refs/],
    ['repository', { repository: 'not-a-repo' }, /repository/],
    ['keep-latest', { 'keep-latest': '-1' }, /keep-latest/],
    ['max-deletions', { 'max-deletions': 'ten', keys: '*' }, /max-deletions/],
    ['max-total-size', { 'max-total-size': '10 parsecs' }, /max-total-size/],
    ['dry-run', { 'dry-run': 'maybe', keys: '*' }, /dry-run/],
    ['keys (nothing narrows)', {}, /keys: '\*'/]
  ])('%s', async (_name, inputs, message) => {
    await start()
    const result = await run({ inputs: inputs as Record<string, string> })
    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(message)
    expect(fake.requests).toEqual([])
  })
})
