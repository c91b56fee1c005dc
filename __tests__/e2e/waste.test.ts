// End-to-end: `command: usage` for a repository sorts its bytes into dead,
// superseded, never restored and live, ranks its key families and forecasts
// the days left until the size limit, in the summary, the log and the output.
import { runAction } from '../../testing/action-runner.js'
import { startFakeGitHub, type FakeGitHub } from '../../testing/fake/server.js'
import { addCaches } from '../../testing/scenario.js'

const REPO = 'octo/app'
const FAST = { CACHE_STEWARD_TIME_SCALE: '0.001' }
const MiB = 2 ** 20

let fake: FakeGitHub
afterEach(async () => {
  await fake?.close()
})

async function seed(): Promise<void> {
  fake = await startFakeGitHub()
  fake.store.addRepo(REPO)
  fake.store.addPull(REPO, { number: 3, state: 'closed' })
  const main = 'refs/heads/main'
  addCaches(fake, REPO, [
    // superseded: 30 MiB; live: the newest npm (10 MiB) and a restored cargo (40 MiB)
    { key: 'npm-linux-aaa', ref: main, idleHours: 50, ageHours: 60, size: 30 * MiB },
    { key: 'npm-linux-bbb', ref: main, idleHours: 1, ageHours: 40, size: 10 * MiB },
    { key: 'cargo-linux-1', ref: main, idleHours: 2, ageHours: 100, size: 40 * MiB },
    // dead: a closed pull request's, 15 MiB
    { key: 'npm-linux-ccc', ref: 'refs/pull/3/merge', idleHours: 4, size: 15 * MiB }
  ])
  // never restored: created and last used at the same moment, three days ago (5 MiB)
  const at = new Date(Date.now() - 72 * 3600_000 - 1800_000).toISOString()
  fake.store.addCache(REPO, {
    key: 'pip-linux-9',
    ref: main,
    size_in_bytes: 5 * MiB,
    created_at: at,
    last_accessed_at: at
  })
}

describe('the waste report', () => {
  it('sorts the bytes, ranks the families and reads the refs when stale-refs is set', async () => {
    await seed()
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { command: 'usage', 'stale-refs': 'true' },
      env: FAST
    })
    expect(r.errors).toEqual([])
    const usage = JSON.parse(r.outputs.usage) as { waste: Record<string, unknown> }
    expect(usage.waste).toMatchObject({
      dead: { count: 1, bytes: 15 * MiB },
      superseded: { count: 1, bytes: 30 * MiB },
      never_restored: { count: 1, bytes: 5 * MiB },
      live: { count: 2, bytes: 50 * MiB }
    })
    expect(r.summary).toContain('### Where the bytes go')
    expect(r.summary).toMatch(
      /\| dead: their ref no longer exists \| 1 \| 15 MiB \| 15% \| [█▏▎▍▌▋▊▉░]+ \|/
    )
    expect(r.summary).toContain('### Largest key families')
    expect(r.summary).toMatch(/the size limit is reached in about \d+ days/)
    expect(r.stdout).toMatch(/superseded\s+1\s+30 MiB\s+30%/)
  })

  it('does not judge refs without stale-refs, and says so', async () => {
    await seed()
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { command: 'usage' },
      env: FAST
    })
    expect(r.errors).toEqual([])
    const usage = JSON.parse(r.outputs.usage) as { waste: Record<string, unknown> }
    expect(usage.waste.dead).toBeNull()
    expect(r.summary).toContain('not checked: set `stale-refs: true`')
    expect(fake.requests.some(q => q.path.includes('/pulls'))).toBe(false)
  })
})
