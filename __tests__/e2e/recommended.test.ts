// End-to-end: `policy: recommended` through the bundled action and the CLI,
// against the fake. The repository holds the kinds of caches the policy
// tells apart: a closed pull request's, a deleted branch's, old versions of a
// key family on main that a newer one superseded, the newest of each family
// on main (never deleted), and a live feature branch's.
import { runCli } from '../../testing/cli-runner.js'
import { runAction } from '../../testing/action-runner.js'
import { startFakeGitHub, type FakeGitHub } from '../../testing/fake/server.js'
import { addCaches, ids, type Seeded } from '../../testing/scenario.js'

const REPO = 'octo/app'
const FAST = { CACHE_STEWARD_TIME_SCALE: '0.001' }
const MiB = 2 ** 20

let fake: FakeGitHub
afterEach(async () => {
  await fake?.close()
})

interface Kinds {
  readonly closedPull: Seeded[]
  readonly deletedBranch: Seeded[]
  readonly superseded: Seeded[]
  readonly newestOnMain: Seeded[]
  readonly liveBranch: Seeded[]
}

async function scenario(): Promise<Kinds> {
  fake = await startFakeGitHub()
  const s = fake.store
  s.addRepo(REPO)
  s.addBranch(REPO, 'feature/live')
  s.addPull(REPO, { number: 7, state: 'closed', merged: true })
  s.addPull(REPO, { number: 8, headRef: 'feature/live' })
  const size = 20 * MiB
  const main = 'refs/heads/main'
  return {
    // created 40, 30 and 20 hours ago, last used before the next one came
    superseded: addCaches(fake, REPO, [
      { key: 'npm-linux-aaa', ref: main, idleHours: 31, ageHours: 40, size },
      { key: 'npm-linux-bbb', ref: main, idleHours: 21, ageHours: 30, size }
    ]),
    newestOnMain: addCaches(fake, REPO, [
      { key: 'npm-linux-ccc', ref: main, idleHours: 1, ageHours: 20, size },
      { key: 'cargo-linux-111', ref: main, idleHours: 400, ageHours: 400, size }
    ]),
    closedPull: addCaches(fake, REPO, [
      { key: 'npm-linux-ddd', ref: 'refs/pull/7/merge', idleHours: 5, size }
    ]),
    deletedBranch: addCaches(fake, REPO, [
      { key: 'npm-linux-eee', ref: 'refs/heads/feature/gone', idleHours: 3, size }
    ]),
    liveBranch: addCaches(fake, REPO, [
      { key: 'npm-linux-fff', ref: 'refs/heads/feature/live', idleHours: 2, size },
      { key: 'npm-linux-ggg', ref: 'refs/pull/8/merge', idleHours: 2, size }
    ])
  }
}

const deletedIds = (): number[] => fake.deletions.map(d => d.id).sort((a, b) => a - b)

describe('policy: recommended', () => {
  it('deletes dead refs and superseded versions, and never the newest of a family on main', async () => {
    const k = await scenario()
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      eventName: 'schedule',
      inputs: { policy: 'recommended' },
      env: FAST
    })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    const expected = [...k.closedPull, ...k.deletedBranch, ...k.superseded]
    expect(deletedIds()).toEqual(ids(expected))
    // the default branch and the size limit were read, as the policy needs them
    const paths = fake.requests.map(q => q.path)
    expect(paths).toContain(`/repos/${REPO}`)
    expect(paths).toContain(`/repos/${REPO}/actions/cache/storage-limit`)
    expect(r.summary).toContain('stale-ref')
    expect(r.summary).toContain('superseded')
    expect(r.summary).toContain('the newest of their key family on the default branch')
    expect(r.outputs['deleted-count']).toBe(String(expected.length))
  })

  it('works the same from the command line, as a dry run', async () => {
    const k = await scenario()
    const r = await runCli({
      apiUrl: fake.url,
      args: ['prune', '--repo', REPO, '--policy', 'recommended', '--dry-run', '--json']
    })
    expect(r.code).toBe(0)
    expect(fake.deletions).toEqual([])
    const doc = JSON.parse(r.stdout) as { deleted: Array<{ id: number; reason: string }> }
    const expected = [...k.closedPull, ...k.deletedBranch, ...k.superseded]
    expect(doc.deleted.map(d => d.id).sort((a, b) => a - b)).toEqual(ids(expected))
  })

  it('is a whole policy: combined with a selection input it is refused before any request', async () => {
    fake = await startFakeGitHub()
    fake.store.addRepo(REPO)
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { policy: 'recommended', 'older-than': '7d' },
      env: FAST
    })
    expect(r.code).not.toBe(0)
    expect(r.errors.join('\n')).toMatch(/Input 'policy'.*'older-than'/)
    expect(fake.requests).toEqual([])
  })

  it('is also a rules preset, with protect beside it', async () => {
    const k = await scenario()
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { rules: "preset: recommended\nprotect:\n  refs: 'refs/pull/*/merge'" },
      env: FAST
    })
    expect(r.errors).toEqual([])
    expect(deletedIds()).toEqual(ids([...k.deletedBranch, ...k.superseded]))
  })
})
