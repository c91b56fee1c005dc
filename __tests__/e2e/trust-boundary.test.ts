// End-to-end: the trust boundary. Cache keys, branch names and server
// messages are chosen by others (a fork picks its keys, anyone who can push
// names branches, a proxy words its errors). A corpus of hostile strings goes
// through the bundle's sinks, and each sink must hold:
// - the job summary, rendered as GitHub-flavoured Markdown, has no element
//   the data asked for (no image, link, heading or unbalanced <details>);
// - no line of the run log is a workflow command the data wrote, in either
//   of the forms the runner parses (`::cmd::` at a line's start, `##[cmd]`
//   anywhere), and no control character reaches the log;
// - the outputs keep the data exact (they are files, not log lines);
// and a hostile server's answers (bad ids, sizes, names) are refused.
import MarkdownIt from 'markdown-it'
import { runAction, type RunResult } from '../../testing/action-runner.js'
import { startCli } from '../../testing/cli-runner.js'
import { startFakeGitHub, type FakeGitHub } from '../../testing/fake/server.js'

const REPO = 'octo/app'
const FAST = { CACHE_STEWARD_TIME_SCALE: '0.001' }

/** The hostile corpus: each is a cache key, and where a ref can hold it, a branch name too. */
const HOSTILE: readonly string[] = [
  'k\n## ✅ All caches verified',
  'k\r\n::error::forged annotation',
  'k\n::add-mask::everything',
  'k%0A::error::percent-encoded',
  'k ##[add-mask]secret ##[error]forged',
  'k\n::stop-commands::pause',
  '<a href="https://evil.example"><img src=x onerror=alert(1)></a>',
  '<details><summary>unclosed',
  '</summary></details><h1>x</h1>',
  '[click](https://evil.example) **bold** `tick` | pipe |',
  'k\u001b[2J\u001b]0;retitled\u0007\r overwrite',
  'k\u202egnp.exe\u2066',
  'https://evil.example/autolink www.evil.example',
  'x'.repeat(10 * 1024)
]

const BRANCHES: readonly string[] = [
  '</summary></details><h1>x</h1>',
  '::error::branch',
  'b ##[warning]branch'
]

let fake: FakeGitHub
afterEach(async () => {
  await fake?.close()
})

async function seed(): Promise<{ keys: string[] }> {
  fake = await startFakeGitHub()
  const s = fake.store
  s.addRepo(REPO)
  const old = new Date(Date.now() - 30 * 86_400_000).toISOString()
  const keys: string[] = []
  HOSTILE.forEach((key, i) => {
    s.addCache(REPO, { key, ref: 'refs/heads/main', created_at: old, last_accessed_at: old })
    keys.push(key)
    const ref = `refs/heads/${BRANCHES[i % BRANCHES.length]}`
    s.addCache(REPO, { key: `${key}-${i}`, ref, created_at: old, last_accessed_at: old })
    keys.push(`${key}-${i}`)
  })
  return { keys }
}

const markdown = new MarkdownIt({ html: true, linkify: true })

/** What the summary renders to, by the elements that count. */
function rendered(summary: string): { html: string; tags: (name: string) => number } {
  const html = markdown.render(summary)
  return { html, tags: name => (html.match(new RegExp(`<${name}[\\s>]`, 'g')) ?? []).length }
}

/**
 * Log lines the runner would obey that the data wrote: any line with the older
 * `##[` form, a `::stop-commands::`, an `::add-mask::` of anything but the
 * token (@actions/core masks the token itself), and an annotation whose text
 * starts with the corpus's own words (ours never do).
 */
function forgedCommands(stdout: string, token: string): string[] {
  return stdout.split('\n').filter(line => {
    const m = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line.trimStart())
    // in a line that is already a command the runner reads no second one
    if (!m) return /##\[/.test(line)
    const [, command, data] = m
    if (command === 'add-mask') return data !== token
    if (command === 'stop-commands') return true
    return /^(forged|everything|pause|percent|branch)/.test(data)
  })
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/

function checkSinks(r: RunResult, token = 'ghs_write'): void {
  // the summary: only the elements our template writes
  const { html, tags } = rendered(r.summary)
  expect(tags('img')).toBe(0)
  expect(tags('a')).toBe(0)
  expect(tags('h1')).toBe(0)
  expect(html).not.toContain('✅ All caches verified</h2>')
  expect(tags('details')).toBe((html.match(/<\/details>/g) ?? []).length)
  expect(tags('summary')).toBe((html.match(/<\/summary>/g) ?? []).length)
  expect(r.summary).not.toMatch(CONTROL)
  // the log: no forged command, no control character
  expect(forgedCommands(r.stdout, token)).toEqual([])
  expect(r.stdout).not.toMatch(CONTROL)
}

describe('hostile strings in every sink', () => {
  it('a dry run shows every hostile key and ref as data', async () => {
    const { keys } = await seed()
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { keys: '*', 'older-than': '7d', 'dry-run': 'true' },
      env: FAST
    })
    expect(r.errors).toEqual([])
    checkSinks(r)
    // the outputs keep the data exact
    const deleted = JSON.parse(r.outputs.deleted) as Array<{ key: string }>
    expect(deleted.map(d => d.key).sort()).toEqual([...keys].sort())
  })

  it('failures name hostile keys and a hostile server message without obeying either', async () => {
    await seed()
    fake.faults.configure({
      serverErrorRate: 1,
      onlyPaths: /actions\/caches\/\d+$/,
      errorMessage: 'boom\n::error::forged by the server\n##[add-mask]x <img src=x>'
    })
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { keys: '*', 'older-than': '7d' },
      env: FAST
    })
    expect(r.code).not.toBe(0)
    expect(r.outputs['failed-count']).not.toBe('0')
    checkSinks(r)
    // the error column shows the server's words as data
    expect(r.summary).toContain('forged by the server')
  })
})

describe("outputs within GitHub's limit", () => {
  it('caps deleted well under 1 MB and writes the whole list to deleted-file', async () => {
    fake = await startFakeGitHub()
    fake.store.addRepo(REPO)
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString()
    fake.store.addCaches(
      REPO,
      Array.from({ length: 3000 }, (_, i) => ({
        key: `${'k'.repeat(480)}-${i}`,
        created_at: old,
        last_accessed_at: old
      }))
    )
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { keys: '*', 'dry-run': 'true' },
      env: FAST
    })
    expect(r.errors).toEqual([])
    // all of a step's outputs count, as UTF-16: two bytes a character
    const total = Object.values(r.outputs).reduce((n, v) => n + 2 * v.length, 0)
    expect(total).toBeLessThan(512 * 1024)
    expect(r.outputs['deleted-truncated']).toBe('true')
    const head = JSON.parse(r.outputs.deleted) as unknown[]
    const whole = JSON.parse(r.files['deleted-file']) as unknown[]
    expect(whole).toHaveLength(3000)
    expect(head.length).toBeGreaterThan(0)
    expect(whole.slice(0, head.length)).toEqual(head)
  })
})

describe('a hostile server', () => {
  it.each([
    ['an id that is not a positive whole number', { id: 1.5 }],
    ['a negative id', { id: -7 }],
    ['an id of zero', { id: 0 }],
    ['an id beyond the safe integers', { id: 1e21 }],
    ['a negative size', { size_in_bytes: -1e12 }],
    ['a fractional size', { size_in_bytes: 0.5 }]
  ])('%s is a malformed response: nothing is deleted, the step fails clearly', async (_, bad) => {
    fake = await startFakeGitHub()
    fake.store.addRepo(REPO)
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString()
    const c = fake.store.addCache(REPO, { key: 'k', created_at: old, last_accessed_at: old })
    Object.assign(c, bad)
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { keys: '*', 'max-total-size': '1GB' },
      env: FAST
    })
    expect(r.code).not.toBe(0)
    expect(r.errors.join('\n')).toMatch(/unexpected response body/)
    expect(fake.requests.filter(q => q.method === 'DELETE')).toEqual([])
  })

  it('repository names from the usage report that GitHub would refuse are refused', async () => {
    fake = await startFakeGitHub()
    const repo = fake.store.addRepo('octo-org/evil')
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString()
    fake.store.addCache('octo-org/evil', { key: 'k', created_at: old, last_accessed_at: old })
    // the store refuses such a name; a hostile server sends it anyway
    ;(repo as { fullName: string }).fullName = 'octo-org/../../evil'
    const byName = (fake.store as unknown as { repoMap: Map<string, unknown> }).repoMap
    byName.set('octo-org/../../evil', repo)
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      token: 'ghp_admin',
      inputs: { command: 'usage', org: 'octo-org' },
      env: FAST
    })
    expect(r.code).not.toBe(0)
    expect(r.errors.join('\n')).toMatch(/full_name is not owner\/name/)
    expect(r.outputs.repositories).toBeUndefined()
  })

  it('a token that cannot see branches never makes the default branch stale', async () => {
    fake = await startFakeGitHub({
      tokens: {
        hidden: { actions: 'write', pullRequests: 'read', deniedAsNotFound: true }
      }
    })
    fake.store.addRepo(REPO)
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString()
    fake.store.addCache(REPO, {
      key: 'k',
      ref: 'refs/heads/main',
      created_at: old,
      last_accessed_at: old
    })
    fake.store.addCache(REPO, {
      key: 'k2',
      ref: 'refs/heads/gone',
      created_at: old,
      last_accessed_at: old
    })
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      token: 'hidden',
      inputs: { 'stale-refs': 'true' },
      env: FAST
    })
    expect(r.code).not.toBe(0)
    expect(r.errors.join('\n')).toMatch(/default branch 'main' does not exist[\s\S]*contents: read/)
    expect(fake.deletions).toEqual([])
  })

  it('every request carries the pinned API version and the JSON media type', async () => {
    await seed()
    await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { keys: '*', 'dry-run': 'true' },
      env: FAST
    })
    expect(fake.requests.length).toBeGreaterThan(0)
    for (const q of fake.requests) {
      expect([q.apiVersion, q.accept]).toEqual(['2022-11-28', 'application/vnd.github+json'])
    }
  })
})

describe('inputs checked as GitHub checks them, before any request', () => {
  it.each([
    ['repository', { repository: '../app' }],
    ['repository', { repository: 'octo/..' }],
    ['repository', { repository: '-octo/app' }],
    ['repository', { repository: 'octo/-app' }]
  ])('%s %j', async (input, inputs) => {
    fake = await startFakeGitHub()
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { keys: '*', ...inputs },
      env: FAST
    })
    expect(r.code).not.toBe(0)
    expect(r.errors.join('\n')).toContain(`Input '${input}'`)
    expect(fake.requests).toEqual([])
  })

  it('a GITHUB_API_URL that is not a URL is an error annotation, not a stack trace', async () => {
    fake = await startFakeGitHub()
    const r = await runAction({
      apiUrl: 'not a url',
      repository: REPO,
      inputs: { keys: '*' },
      env: FAST
    })
    expect(r.code).not.toBe(0)
    expect(r.errors.join('\n')).toMatch(/GITHUB_API_URL.*not a URL/)
    expect(r.stdout).not.toMatch(/at .*\.js:\d+/)
  })

  it('an input another command reads draws a warning that names it', async () => {
    fake = await startFakeGitHub()
    fake.store.addRepo(REPO)
    const r = await runAction({
      apiUrl: fake.url,
      repository: REPO,
      inputs: { keys: '*', 'dry-run': 'true', top: '5', 'size-limit-gb': '20' },
      env: FAST
    })
    expect(r.warnings.join('\n')).toMatch(/ignores 'top', 'size-limit-gb'/)
  })
})

describe('a server whose pages do not end', () => {
  // The fake's "forever" is 500 pages, then an empty last page: a client that
  // never stops (the release before issue 12) finishes, deletes made-up
  // caches (10, by max-deletions) and succeeds, so these tests fail on it
  // instead of hanging. Every made-up cache is a month old: all are selected.
  const FOREVER = 500
  const STACK = /at .*\.js:\d+/

  function endlessServer(ids: 'new' | 'same'): Promise<FakeGitHub> {
    return startFakeGitHub({
      faults: { endlessPages: { ids, totalCount: 300, upTo: FOREVER } }
    }).then(f => {
      f.store.addRepo(REPO)
      return f
    })
  }

  // What each server makes a client read, and the words it stops with. The
  // action: new caches, pages 1, 2-3 (side by side), 4 and 5 (the two spare
  // pages), whose next link is one too many; the same caches, pages 1 and
  // 2-3, where page 2 brings nothing new. The command line's list reads one
  // page after another, so it stops at page 2 of the same caches.
  const ENDLESS = [
    {
      what: 'new caches on every page',
      ids: 'new',
      action: 5,
      list: 5,
      why: /page 5 still said more follow, past the 3 pages/
    },
    {
      what: 'the same caches on every page',
      ids: 'same',
      action: 3,
      list: 2,
      why: /page 2 brought no cache that earlier pages had not/
    }
  ] as const

  it.each(ENDLESS)(
    '$what: the step fails with a clear error, deletes nothing, and stops within bounds',
    async ({ ids, action: requests, why }) => {
      fake = await endlessServer(ids)
      const r = await runAction({
        apiUrl: fake.url,
        repository: REPO,
        inputs: { keys: '*', 'older-than': '7d', 'max-deletions': '10' },
        env: FAST
      })
      expect(r.code).toBe(1)
      expect(r.errors).toHaveLength(1)
      expect(r.errors[0]).toMatch(/^The list of caches of octo\/app does not end: /)
      expect(r.errors[0]).toMatch(why)
      expect(r.errors[0]).toMatch(/nothing was deleted\.$/)
      expect(r.stdout).not.toMatch(STACK)
      expect(fake.requests.filter(q => q.method === 'DELETE')).toEqual([])
      expect(fake.requests.map(q => q.method)).toEqual(Array(requests).fill('GET'))
      expect(r.outputs['deleted-count']).toBeUndefined()
    },
    60_000
  )

  it.each(ENDLESS)(
    "$what: the command line's list stops within the listing's bounds, in its words",
    async ({ ids, list: requests, why }) => {
      fake = await endlessServer(ids)
      const run = startCli({
        apiUrl: fake.url,
        args: ['list', '--repo', REPO, '--limit', '1000'],
        env: FAST
      })
      const abort = setTimeout(() => run.child.kill('SIGKILL'), 40_000)
      const r = await run.done.finally(() => clearTimeout(abort))
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/The list of caches of octo\/app does not end: /)
      expect(r.stderr).toMatch(why)
      expect(r.stderr).not.toMatch(STACK)
      expect(r.stderr).not.toMatch(/GitHub answered/)
      expect(fake.requests).toHaveLength(requests)
    },
    60_000
  )

  it('the command line says so in one plain line and exits 1', async () => {
    fake = await endlessServer('new')
    const run = startCli({
      apiUrl: fake.url,
      args: ['prune', '--repo', REPO, '--older-than', '7d', '--max-deletions', '10'],
      env: FAST
    })
    // a client that does not stop reading is stopped here (and fails below), not by jest's timeout
    const abort = setTimeout(() => run.child.kill('SIGKILL'), 40_000)
    const r = await run.done.finally(() => clearTimeout(abort))
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /The list of caches of octo\/app does not end: page 5 still said more follow/
    )
    expect(r.stderr).not.toMatch(STACK)
    expect(r.stderr).not.toContain('::error::')
    expect(fake.requests.filter(q => q.method === 'DELETE')).toEqual([])
    expect(fake.requests).toHaveLength(5)
  }, 60_000)
})
