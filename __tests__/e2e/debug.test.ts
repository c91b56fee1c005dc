// End-to-end: with the runner's debug logging (ACTIONS_STEP_DEBUG makes the
// runner set RUNNER_DEBUG=1) the action writes a debug line for each request
// and, in a dry run, for each cache's decision; without it, none.
import { runAction } from '../../testing/action-runner.js'
import { startFakeGitHub, type FakeGitHub } from '../../testing/fake/server.js'
import { addCaches } from '../../testing/scenario.js'

const REPO = 'octo/app'
const FAST = { CACHE_STEWARD_TIME_SCALE: '0.001' }

let fake: FakeGitHub
afterEach(async () => {
  await fake?.close()
})

async function run(env: Record<string, string>) {
  fake = await startFakeGitHub({ rateLimit: { limit: 1000 } })
  fake.store.addRepo(REPO)
  addCaches(fake, REPO, [
    { key: 'npm-old', ref: 'refs/heads/main', idleHours: 200 },
    { key: 'npm-new', ref: 'refs/heads/main', idleHours: 1 }
  ])
  return runAction({
    apiUrl: fake.url,
    repository: REPO,
    inputs: { keys: '*', 'older-than': '7d', 'dry-run': 'true' },
    env: { ...FAST, ...env }
  })
}

const debugLines = (stdout: string): string[] =>
  stdout.split('\n').filter(l => l.startsWith('::debug::'))

describe('debug logs', () => {
  it('with RUNNER_DEBUG=1: each request with its status and rate limit, each decision', async () => {
    const r = await run({ RUNNER_DEBUG: '1' })
    expect(r.errors).toEqual([])
    const lines = debugLines(r.stdout)
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^::debug::GET \/repos\/octo\/app\/actions\/caches\?\S* -> 200 in \d+ ms, rate limit left \d+$/
      )
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^::debug::would delete \d+ "npm-old" on refs\/heads\/main: older-than: /
      )
    )
    expect(lines).toContainEqual(
      expect.stringMatching(/^::debug::keep \d+ "npm-new" on refs\/heads\/main: too-recent: /)
    )
  })

  it('with RUNNER_DEBUG=1: the window’s short waits too; a long one is in the log for everyone', async () => {
    fake = await startFakeGitHub({ rateLimit: { limit: 1000 }, latencyMs: { min: 5, max: 30 } })
    fake.store.addRepo(REPO)
    addCaches(
      fake,
      REPO,
      Array.from({ length: 8 }, (_, i) => ({
        key: `npm-${i}`,
        ref: 'refs/heads/main',
        idleHours: 200
      }))
    )
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { keys: '*', 'older-than': '7d', 'deletes-per-minute': '4' },
      env: { CACHE_STEWARD_TIME_SCALE: '0.01', RUNNER_DEBUG: '1' }
    })
    expect(r.code).toBe(0)
    expect(r.outputs['deleted-count']).toBe('8')
    // the fifth delete waits about a minute for the first one's place: said to everyone
    expect(r.stdout).toMatch(
      /^4 deletions and \d+ points in the last 60 s: waiting (5\d|60)(\.\d)? s for room before delete cache \d+$/m
    )
    // the sixth to eighth wait only for the next answers' places to free: debug lines
    expect(debugLines(r.stdout)).toContainEqual(
      expect.stringMatching(
        /^::debug::4 deletions and \d+ points in the last 60 s: waiting [0-4](\.\d)? s for room/
      )
    )
  })

  it('without it: no debug line', async () => {
    const r = await run({})
    expect(debugLines(r.stdout)).toEqual([])
  })
})
