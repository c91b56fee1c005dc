// End-to-end: the bundled command line's gh-style commands, list and delete,
// against the fake GitHub API: flags as gh users type them, the repository
// and the token found in the environment (GH_REPO, GITHUB_REPOSITORY, the
// origin remote, gh auth token), output for a terminal (under a
// pseudo-terminal) and for a pipe, hostile keys and an echoed token, Ctrl-C,
// --verbose. No assertion depends on how long anything takes.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions
} from '../../testing/fake/server.js'
import { runAction } from '../../testing/action-runner.js'
import { runCli, runCliInTerminal, startCli } from '../../testing/cli-runner.js'
import { addCaches, family } from '../../testing/scenario.js'
import { displayWidth } from '../../src/engine/width.js'

const REPO = 'octo/app'
const TIME = { CACHE_STEWARD_TIME_SCALE: '0.02' }
// A key chosen by a hostile pull request: it retitles the terminal (OSC), clears
// it, returns the carriage, starts a line with a workflow command and asks the
// runner to mask a word.
const HOSTILE = 'npm-\u001b]0;owned\u0007-\u001b[2J-\r-\n::error::forged ##[add-mask]x'

let fake: FakeGitHub | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

let tmp: string
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cache-steward-gh-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const f = await startFakeGitHub(options)
  fake = f
  f.store.addRepo(REPO)
  addCaches(f, REPO, family('refs/pull/42/merge', 40))
  addCaches(f, REPO, family('refs/heads/main', 20, { from: 40 }))
  return f
}

const cli = (
  args: readonly string[],
  o: { token?: string | null; env?: Record<string, string> } = {}
) => runCli({ apiUrl: fake!.url, args, token: o.token, env: { ...TIME, ...o.env } })

const listRequests = (f: FakeGitHub) =>
  f.requests.filter(q => q.method === 'GET' && q.path === `/repos/${REPO}/actions/caches`)

describe('list', () => {
  it('reads only the pages the limit needs, with the filters and order as given', async () => {
    const f = await start()
    const r = await cli(['list', '-R', REPO, '-L', '5', '-S', 'size_in_bytes', '-O', 'asc'])
    expect(r.code).toBe(0)
    expect(listRequests(f).map(q => q.query)).toEqual([
      { per_page: '5', page: '1', sort: 'size_in_bytes', direction: 'asc' }
    ])
    // into a pipe: one tab-separated row per cache, no heading, nothing padded
    const rows = r.stdout.trimEnd().split('\n')
    expect(rows).toHaveLength(5)
    const sizes = f.store
      .caches(REPO)
      .map(c => c.size_in_bytes)
      .sort((a, b) => a - b)
    for (const [i, row] of rows.entries()) {
      const cells = row.split('\t')
      expect(cells).toHaveLength(6)
      expect(cells.every(c => c === c.trim())).toBe(true)
      const cache = f.store.caches(REPO).find(c => c.id === Number(cells[0]))!
      expect([cells[1], cells[2]]).toEqual([cache.key, cache.ref])
      expect(cache.size_in_bytes).toBe(sizes[i])
      expect(cells[4]).toMatch(/^\d{4}-\d\d-\d\dT/)
    }
    f.resetCounters()
    const more = await cli(['list', '--repo=' + REPO, '--limit=150', '--json', 'id'])
    expect(JSON.parse(more.stdout)).toHaveLength(60)
    expect(listRequests(f).map(q => q.query.page)).toEqual(['1'])
    f.resetCounters()
    const paged = await cli([
      'ls',
      '-R',
      REPO,
      '-L',
      '45',
      '-r',
      'refs/pull/42/merge',
      '-k',
      'Linux',
      '--json'
    ])
    expect(listRequests(f).map(q => [q.query.per_page, q.query.ref, q.query.key])).toEqual([
      ['45', 'refs/pull/42/merge', 'Linux']
    ])
    for (const c of JSON.parse(paged.stdout)) {
      expect(c.ref).toBe('refs/pull/42/merge')
      expect(c.key.toLowerCase().startsWith('linux')).toBe(true)
    }
  })

  it('pages on to the limit and no further', async () => {
    const f = await start()
    addCaches(f, REPO, family('refs/heads/big', 180, { from: 60 }))
    const r = await cli(['list', '-R', REPO, '-L', '150', '--json', 'id,key'])
    expect(r.code).toBe(0)
    const caches = JSON.parse(r.stdout)
    expect(caches).toHaveLength(150)
    expect(Object.keys(caches[0])).toEqual(['id', 'key'])
    expect(listRequests(f).map(q => [q.query.per_page, q.query.page])).toEqual([
      ['100', '1'],
      ['100', '2']
    ])
  })

  it('--json with no fields gives every field, as gh names them; nothing found is exit 0', async () => {
    await start()
    const r = await cli(['list', '-R', REPO, '-L', '1', '--json'])
    expect(Object.keys(JSON.parse(r.stdout)[0]).sort()).toEqual([
      'createdAt',
      'id',
      'key',
      'lastAccessedAt',
      'ref',
      'sizeInBytes',
      'version'
    ])
    const none = await cli(['list', '-R', REPO, '-r', 'refs/heads/nothing'])
    expect(none.code).toBe(0)
    expect(none.stdout).toBe('')
    expect(none.stderr).toContain('No caches found in octo/app')
  })

  it('a bare branch name given to -r means the branch, which the API needs in full', async () => {
    const f = await start()
    const r = await cli(['list', '-R', REPO, '-r', 'main', '--json', 'ref'])
    expect(listRequests(f)[0].query.ref).toBe('refs/heads/main')
    expect(JSON.parse(r.stdout)).toHaveLength(20)
  })
})

describe('delete', () => {
  it('deletes by id; an id that names no cache is exit 1, as gh', async () => {
    const f = await start()
    const [a, b] = f.store.caches(REPO)
    const r = await cli(['delete', '-R', REPO, String(a.id), String(b.id)])
    expect(r.code).toBe(0)
    expect(f.deletions.map(d => [d.id, d.via])).toEqual(
      expect.arrayContaining([
        [a.id, 'id'],
        [b.id, 'id']
      ])
    )
    expect(r.stdout.split('\n')[0].split('\t').slice(0, 2)).toEqual(['deleted', String(a.id)])
    const missing = await cli(['delete', '-R', REPO, '987654'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('Could not find a cache matching 987654 in octo/app')
  })

  it('resolves a key to ids by listing, so a prefix-matching server takes no more than named', async () => {
    const f = await start({ deleteByKeyMatch: 'prefix' })
    f.store.addCache(REPO, { key: 'deps-1', ref: 'refs/heads/main' })
    f.store.addCache(REPO, { key: 'deps-1', ref: 'refs/pull/42/merge' })
    f.store.addCache(REPO, { key: 'deps-10', ref: 'refs/heads/main' })
    f.store.addCache(REPO, { key: 'DEPS-1', ref: 'refs/heads/main' })
    const onMain = await cli(['delete', '-R', REPO, 'deps-1', '-r', 'main'])
    expect(onMain.code).toBe(0)
    expect(f.deletions.map(d => [d.key, d.ref, d.via])).toEqual([
      ['deps-1', 'refs/heads/main', 'id']
    ])
    const everywhere = await cli(['delete', '-R', REPO, 'deps-1'])
    expect(everywhere.code).toBe(0)
    expect(f.deletions.map(d => d.key)).toEqual(['deps-1', 'deps-1'])
    expect(f.store.caches(REPO).map(c => c.key)).toEqual(
      expect.arrayContaining(['deps-10', 'DEPS-1'])
    )
    // no request ever deleted by key
    expect(f.requests.filter(q => q.method === 'DELETE' && q.query.key !== undefined)).toEqual([])
    const gone = await cli(['delete', '-R', REPO, 'deps-1'])
    expect(gone.code).toBe(1)
    expect(gone.stderr).toContain('Could not find a cache matching deps-1 in octo/app')
  })

  it('--all with -r deletes one ref; --all with nothing to delete is 1, or 0 with --succeed-on-no-caches', async () => {
    const f = await start()
    const r = await cli(['delete', '-R', REPO, '--all', '-r', 'refs/pull/42/merge', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)['deleted-count']).toBe(40)
    expect(new Set(f.deletions.map(d => d.ref))).toEqual(new Set(['refs/pull/42/merge']))
    expect(f.store.caches(REPO)).toHaveLength(20)
    const empty = await cli(['delete', '-R', REPO, '-a', '-r', 'refs/pull/42/merge'])
    expect(empty.code).toBe(1)
    expect(empty.stderr).toMatch(
      /^error: No caches to delete in octo\/app on refs\/pull\/42\/merge/m
    )
    const fine = await cli([
      'delete',
      '-R',
      REPO,
      '-a',
      '-r',
      'refs/pull/42/merge',
      '--succeed-on-no-caches'
    ])
    expect(fine.code).toBe(0)
  })

  it('--dry-run deletes nothing and says what would go; --dry-run=false deletes', async () => {
    const f = await start()
    const dry = await cli(['delete', '-R', REPO, '--all', '--dry-run', '--json'])
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.stdout)['deleted-count']).toBe(60)
    expect(f.requests.filter(q => q.method === 'DELETE')).toEqual([])
    const real = await cli(['delete', '-R', REPO, '--all', '-r', 'main', '--dry-run=false'])
    expect(real.code).toBe(0)
    expect(f.deletions).toHaveLength(20)
  })

  it('refuses what gh refuses, before any request', async () => {
    const f = await start()
    const both = await cli(['delete', '-R', REPO, '--all', '12'])
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/--all: and cache ids or keys are both given/)
    const none = await cli(['delete', '-R', REPO])
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/name the caches to delete/)
    const succeed = await cli(['delete', '-R', REPO, 'k', '--succeed-on-no-caches'])
    expect(succeed.stderr).toMatch(/--succeed-on-no-caches: goes with --all/)
    expect(f.requests).toEqual([])
  })

  it('the action does not offer list or delete: its command input refuses them', async () => {
    const f = await start()
    const r = await runAction({
      apiUrl: f.url,
      repository: REPO,
      inputs: { command: 'delete' },
      env: TIME
    })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(
      /^Input 'command': 'delete' is not one of 'prune', 'usage', 'limits'/
    )
    expect(f.requests).toEqual([])
  })
})

describe('the repository and the token from the environment', () => {
  it('takes GH_REPO, else GITHUB_REPOSITORY, and -R over both', async () => {
    const f = await start()
    f.store.addCache('octo/other', { key: 'x' })
    const gh = await cli(['list', '--json', 'key'], {
      env: { GH_REPO: 'octo/other', GITHUB_REPOSITORY: REPO }
    })
    expect(JSON.parse(gh.stdout)).toEqual([{ key: 'x' }])
    const actions = await cli(['list', '-L', '1', '--json', 'id'], {
      env: { GITHUB_REPOSITORY: REPO }
    })
    expect(JSON.parse(actions.stdout)).toHaveLength(1)
    const flag = await cli(['list', '-R', 'octo/other', '--json', 'key'], {
      env: { GH_REPO: REPO }
    })
    expect(JSON.parse(flag.stdout)).toEqual([{ key: 'x' }])
  })

  it("takes the origin remote of the clone it runs in; a GHES remote gives the server's API", async () => {
    const f = await start({ mode: 'ghes' })
    const clone = join(tmp, 'clone')
    mkdirSync(clone, { recursive: true })
    execFileSync('git', ['init', '-q', clone])
    execFileSync('git', ['-C', clone, 'remote', 'add', 'origin', `${f.origin}/${REPO}.git`])
    // no -R, no GITHUB_API_URL: both come from the remote
    const r = await runCli({ args: ['list', '-L', '3', '--json', 'id'], cwd: clone, env: TIME })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toHaveLength(3)
    expect(f.requests[0].path).toBe(`/repos/${REPO}/actions/caches`)
    const outside = await runCli({ args: ['list'], cwd: tmp, env: TIME })
    expect(outside.code).toBe(2)
    expect(outside.stderr).toMatch(/no repository: pass -R OWNER\/NAME, set GH_REPO/)
  })

  it('asks gh for a token when neither variable is set, and exits 2 when there is none', async () => {
    const f = await start()
    const bin = join(tmp, 'bin')
    mkdirSync(bin, { recursive: true })
    const gh = join(bin, 'gh')
    writeFileSync(gh, '#!/bin/sh\n[ "$1 $2" = "auth token" ] && echo ghs_read\n')
    chmodSync(gh, 0o755)
    const path = `${bin}:${process.env.PATH}`
    const r = await cli(['list', '-R', REPO, '-L', '1'], { token: null, env: { PATH: path } })
    expect(r.code).toBe(0)
    expect(f.requests.map(q => q.token)).toEqual(['ghs_read'])
    const none = await cli(['list', '-R', REPO], { token: null, env: { PATH: '/nonexistent' } })
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(
      /no token: set GH_TOKEN or GITHUB_TOKEN, or log in with the GitHub CLI/
    )
  })
})

describe('what the CLI prints is safe', () => {
  it('a hostile key is shown escaped in a table and in TSV, and kept whole in JSON', async () => {
    const f = await start()
    f.store.addCache(REPO, { key: HOSTILE, ref: 'refs/heads/main' })
    for (const args of [
      ['list', '-R', REPO, '-k', 'npm-'],
      ['delete', '-R', REPO, HOSTILE, '--dry-run']
    ]) {
      const r = await cli(args)
      expect(r.code).toBe(0)
      const all = r.stdout + r.stderr
      // eslint-disable-next-line no-control-regex -- no control character may reach the output
      expect(all).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
      expect(all).not.toMatch(/^\s*::/m)
      expect(all).not.toContain('##[')
      expect(r.stdout).toContain('npm-\\e]0;owned\\x07-\\e[2J-\\r-\\n::error::forged')
    }
    const json = await cli(['list', '-R', REPO, '-k', 'npm-', '--json'])
    expect(json.stdout).not.toContain('##[')
    expect(JSON.parse(json.stdout)[0].key).toBe(HOSTILE)
    const term = await runCliInTerminal({
      apiUrl: f.url,
      args: ['list', '-R', REPO, '-k', 'npm-'],
      columns: 200,
      env: TIME
    })
    expect(term.code).toBe(0)
    expect(term.screen).not.toContain('\u001b]0;')
    expect(term.screen).not.toContain('\u001b[2J')
    expect(term.screen).toContain('\\e]0;owned')
  })

  it('masks the token when a server echoes the Authorization header, in tables, JSON and debug lines', async () => {
    const token = 'ghp_echoed0123456789abcdefSECRET'
    const f = await start({
      tokens: { [token]: { actions: 'write', kind: 'pat' } },
      faults: { echoAuthorization: { status: 401 } }
    })
    for (const extra of [[], ['--json'], ['--verbose']]) {
      const r = await cli(['list', '-R', REPO, ...extra], { token })
      expect(r.code).toBe(1)
      const all = r.stdout + r.stderr
      expect(all).toContain("Authorization: token ***'")
      expect(all).not.toContain(token)
      expect(all).not.toContain('SECRET')
    }
    expect(f.faults.count('echo-authorization')).toBeGreaterThan(0)
    const prune = await cli(['prune', '-R', REPO, '--keys', '*', '--json'], { token })
    expect(prune.stdout + prune.stderr).not.toContain(token)
  })
})

describe('durations, --verbose', () => {
  it('takes --deadline in seconds', async () => {
    await start()
    const r = await cli([
      'delete',
      '-R',
      REPO,
      '--all',
      '-r',
      'main',
      '--deadline',
      '30s',
      '--json'
    ])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)['deleted-count']).toBe(20)
  })

  it('prints each request and each decision of a dry run on stderr, never on stdout', async () => {
    await start()
    const r = await cli([
      'prune',
      '-R',
      REPO,
      '--keys',
      '*',
      '--older-than',
      '2d',
      '--dry-run',
      '--verbose',
      '--json'
    ])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(
      /^ {3}debug: GET \/repos\/octo\/app\/actions\/caches\?\S+ -> 200 in \d+ ms, rate limit left \d+$/m
    )
    expect(r.stderr).toMatch(/^ {3}debug: cache \d+ \S+ on refs\/\S+: would delete \(older-than: /m)
    expect(r.stderr).toMatch(/^ {3}debug: cache \d+ \S+ on refs\/\S+: keep \(too-recent: /m)
    const decisions = r.stderr.split('\n').filter(l => l.startsWith('   debug: cache '))
    expect(decisions).toHaveLength(60)
    expect(r.stdout).not.toContain('debug:')
    const quiet = await cli(['list', '-R', REPO, '-L', '1'])
    expect(quiet.stderr).not.toContain('debug:')
    const env = await cli(['list', '-R', REPO, '-L', '1'], { env: { CACHE_STEWARD_DEBUG: '1' } })
    expect(env.stderr).toContain('debug: GET /repos/octo/app/actions/caches')
  })
})

describe('Ctrl-C', () => {
  it('stops starting requests, lets those in flight finish, prints what was deleted and what is pending, exits 130', async () => {
    const f = await start({ latencyMs: { min: 40, max: 80 } })
    addCaches(f, REPO, family('refs/heads/many', 200, { from: 60 }))
    const run = startCli({
      apiUrl: f.url,
      args: [
        'delete',
        '-R',
        REPO,
        '--all',
        '-r',
        'refs/heads/many',
        '--json',
        '--deletes-per-minute',
        '60'
      ],
      env: TIME
    })
    // wait (by the fake's own count, not by time) until deletions are under way
    while (f.deletions.length < 3) await new Promise(resolve => setTimeout(resolve, 5))
    run.child.kill('SIGINT')
    const r = await run.done
    expect(r.code).toBe(130)
    const doc = JSON.parse(r.stdout)
    // every delete that reached the server is reported deleted, or (on a machine
    // so busy that an answer came after the attempt's timeout) as pending and
    // maybe gone; nothing was sent after the stop
    const maybe = Number(/(\d+) of them may be gone already/.exec(r.stderr)?.[1] ?? 0)
    expect(doc['deleted-count']).toBeLessThanOrEqual(f.deletions.length)
    expect(doc['deleted-count'] + maybe).toBeGreaterThanOrEqual(f.deletions.length)
    expect(f.requests.filter(q => q.method === 'DELETE')).toHaveLength(f.deletions.length)
    expect(doc['pending-count']).toBeGreaterThan(0)
    expect(doc['deleted-count'] + doc['pending-count']).toBe(200)
    expect(doc.pending).toHaveLength(doc['pending-count'])
    expect(r.stderr).toMatch(/Interrupted: no new request starts/)
    expect(r.stderr).toMatch(/^warning: Stopped early: interrupted \(Ctrl-C\)/m)
  })

  it('in a table: the deleted rows and the pending ones, marked as interrupted', async () => {
    const f = await start({ latencyMs: { min: 40, max: 80 } })
    addCaches(f, REPO, family('refs/heads/many', 120, { from: 60 }))
    const run = startCli({
      apiUrl: f.url,
      args: ['prune', '-R', REPO, '--refs', 'many', '--deletes-per-minute', '60'],
      env: TIME
    })
    while (f.deletions.length < 3) await new Promise(resolve => setTimeout(resolve, 5))
    run.child.kill('SIGINT')
    const r = await run.done
    expect(r.code).toBe(130)
    expect(r.stdout).toMatch(/^deleted\t/m)
    expect(r.stdout).toMatch(/^pending\t.*left: the run was interrupted \(Ctrl-C\)/m)
    const maybe = Number(/(\d+) of them may be gone already/.exec(r.stderr)?.[1] ?? 0)
    const reported = Number(/^Deleted (\d+) caches/m.exec(r.stdout)?.[1])
    expect(reported).toBeLessThanOrEqual(f.deletions.length)
    expect(reported + maybe).toBeGreaterThanOrEqual(f.deletions.length)
  })
})

describe('on a terminal (a pseudo-terminal of a set width)', () => {
  it('fits the table to the width, cutting long keys in the middle, with gh’s heading', async () => {
    const f = await start()
    f.store.addCache(REPO, { key: `Linux-${'node-modules-'.repeat(8)}END`, ref: 'refs/heads/main' })
    f.store.addCache(REPO, { key: 'ビルド-キャッシュ', ref: 'refs/heads/main' })
    const r = await runCliInTerminal({
      apiUrl: f.url,
      args: ['list', '-R', REPO, '-L', '62'],
      columns: 100,
      env: TIME
    })
    expect(r.code).toBe(0)
    const lines = r.screen
      .replace(/\r?\n/g, '\n')
      // eslint-disable-next-line no-control-regex -- the bar's own escapes are what is stripped
      .replace(/\r\u001b\[2K[^\n\r]*/g, '')
      .split('\n')
    expect([r.screen, lines]).toEqual([
      r.screen,
      expect.arrayContaining(['Showing 62 of 62 caches in octo/app'])
    ])
    const table = lines.filter(l => /^\d+ {2}/.test(l) || l.startsWith('ID '))
    expect(table.length).toBe(63)
    for (const line of table) expect(displayWidth(line)).toBeLessThanOrEqual(100)
    expect(table.some(l => /Linux-node-modules.*….*END/.test(l))).toBe(true)
    expect(table.some(l => l.includes('ビルド-キャッシュ'))).toBe(true)
  })

  it("fits prune's report to a narrow terminal too", async () => {
    const f = await start()
    f.store.addCache(REPO, { key: `Linux-${'gradle-'.repeat(12)}END`, ref: 'refs/heads/main' })
    const r = await runCliInTerminal({
      apiUrl: f.url,
      args: ['prune', '-R', REPO, '--refs', 'main', '--keys', '*', '--dry-run'],
      columns: 80,
      env: TIME
    })
    expect(r.code).toBe(0)
    const rows = r.screen
      .split('\r\n')
      .filter(
        l =>
          (l.startsWith('would delete  ') && l.includes('refs/heads/main')) ||
          l.startsWith('status  ')
      )
    expect(rows).toHaveLength(22)
    for (const row of rows) expect(displayWidth(row)).toBeLessThanOrEqual(80)
    // the long key is cut in the middle: its end still shows
    expect(rows.some(l => /Linux-.*….*END {2}/.test(l))).toBe(true)
  })

  it('draws a progress bar with rate and time left, and clears it before the report', async () => {
    const f = await start()
    addCaches(f, REPO, family('refs/heads/many', 150, { from: 60 }))
    const r = await runCliInTerminal({
      apiUrl: f.url,
      args: ['delete', '-R', REPO, '--all', '-r', 'refs/heads/many'],
      columns: 100,
      env: TIME
    })
    expect(r.code).toBe(0)
    const report = r.screen.indexOf('✓ Deleted 150 caches')
    expect(report).toBeGreaterThan(0)
    const before = r.screen.slice(0, report)
    expect(before).toMatch(/deleted +\[[#-]{24}\] [\d,]+\/150 \d+%/)
    // the last thing drawn before the report is the clearing of the bar
    const lastBar = [...before.matchAll(/\[[#-]{24}\]/g)].pop()!.index
    expect(before.lastIndexOf('\r\u001b[2K')).toBeGreaterThan(lastBar)
    expect(r.screen.slice(report)).not.toMatch(/\[[#-]{24}\]/)
  })
})
