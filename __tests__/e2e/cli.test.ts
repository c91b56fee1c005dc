// End-to-end: the bundled command line, dist/cli.js, against the project's
// fake GitHub API. The parity table runs the same scenarios through the
// action's bundle and the CLI's, against fakes seeded identically, and
// demands the same deletions, the same outputs and the same input errors.
// Then: the exit codes 0/1/2/3 each from a real run, the token, --json,
// --help, usage and limits.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions
} from '../../testing/fake/server.js'
import { Input } from '../../src/engine/inputs.js'
import { examplePayload, runAction, type RunOptions } from '../../testing/action-runner.js'
import { inputsToArgs, runCli, type CliRunResult } from '../../testing/cli-runner.js'
import { addCaches, family } from '../../testing/scenario.js'

const REPO = 'octo/parity'
// Slower than the other e2e suites' 0.001: two bundles run per scenario and
// their results must agree, so a request timeout under load must not differ.
const TIME = { CACHE_STEWARD_TIME_SCALE: '0.02' }

let fake: FakeGitHub | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

let tmp: string
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cache-steward-cli-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Caches on five refs (half-hour aligned timestamps), with pull #42 closed, #7 open and feature/a deleted. */
function seedRepository(f: FakeGitHub): void {
  f.store.addRepo(REPO)
  addCaches(f, REPO, family('refs/pull/42/merge', 130))
  addCaches(f, REPO, family('refs/heads/main', 40, { from: 130 }))
  addCaches(f, REPO, family('refs/heads/feature/a', 30, { from: 170 }))
  addCaches(f, REPO, family('refs/pull/7/merge', 20, { from: 200 }))
  addCaches(f, REPO, family('refs/tags/v1', 5, { from: 220 }))
  f.store.addPull(REPO, { number: 7, headRef: 'feature/b' })
  f.store.addPull(REPO, { number: 42, state: 'closed', merged: true })
  f.store.addBranch(REPO, 'main')
  f.store.addBranch(REPO, 'feature/b')
  f.store.addTag(REPO, 'v1')
}

/** Five repositories of octo-org with old and fresh caches, one excluded by the pattern. */
function seedOrganization(f: FakeGitHub): void {
  for (const name of ['api', 'web', 'cli', 'docs', 'legacy']) {
    const repo = `octo-org/${name}`
    addCaches(f, repo, [
      { key: `old-${name}-1`, ref: 'refs/heads/main', idleHours: 200 },
      { key: `old-${name}-2`, ref: 'refs/heads/main', idleHours: 120 },
      { key: `fresh-${name}`, ref: 'refs/heads/main', idleHours: 3 }
    ])
  }
}

const RULES = `rules:
  - name: closed pull request
    refs: refs/pull/42/merge
  - name: old feature branches
    refs: feature/*
    older-than: 2d
    keep-latest: 1
  - name: big on main
    refs: main
    larger-than: 35MB
protect:
  keys: ['Windows-*']
max-total-size: 4GB
`

interface Scenario {
  readonly name: string
  /** the action's inputs; the CLI gets them as flags */
  readonly inputs: Record<string, string>
  /** the CLI's flags, when they differ from the inputs (the event's ref, a rules file) */
  readonly args?: readonly string[]
  readonly action?: Partial<RunOptions>
  readonly token?: string
  readonly seed?: (f: FakeGitHub) => void
  /** deletions expected: some, none (and then whether anything was requested) */
  readonly deletes: 'some' | 'none'
  /** an input error names this input (the action) and --flag (the CLI) */
  readonly inputError?: string
}

function closedPull(number: number): Record<string, unknown> {
  const payload = examplePayload('pull_request', 'closed') as {
    number: number
    pull_request: Record<string, unknown> & { number: number }
  }
  payload.number = number
  payload.pull_request.number = number
  return payload
}

const SCENARIOS: Scenario[] = [
  {
    name: 'a closed pull request: the event on the action, --refs on the command line',
    inputs: {},
    action: { eventName: 'pull_request', payload: closedPull(42) },
    args: ['--refs', 'refs/pull/42/merge'],
    deletes: 'some'
  },
  {
    name: 'older-than with keep-latest',
    inputs: { 'older-than': '3d', 'keep-latest': '2' },
    deletes: 'some'
  },
  {
    name: 'larger-than on two ref patterns',
    inputs: { 'larger-than': '30MB', refs: 'main\nfeature/*' },
    deletes: 'some'
  },
  { name: 'a max-total-size budget', inputs: { 'max-total-size': '2GB' }, deletes: 'some' },
  {
    name: 'a max-deletions cap leaves the rest pending',
    inputs: { 'older-than': '1d', 'max-deletions': '25' },
    deletes: 'some'
  },
  {
    name: 'a three-rule policy (a rules file on the command line)',
    inputs: { rules: RULES },
    args: ['--rules-file', 'RULES_FILE'],
    deletes: 'some'
  },
  { name: 'stale refs', inputs: { 'stale-refs': 'true' }, deletes: 'some' },
  {
    name: 'delete-by-key on one ref',
    inputs: { refs: 'refs/pull/7/merge', keys: 'Linux-*', 'delete-by-key': 'true' },
    deletes: 'some'
  },
  {
    name: 'a dry run deletes nothing and reports the same',
    inputs: { 'older-than': '2d', 'dry-run': 'true' },
    deletes: 'none'
  },
  {
    name: 'an organization pattern',
    inputs: { repository: 'octo-org/*\n!octo-org/legacy', 'older-than': '3d' },
    token: 'ghp_admin',
    seed: seedOrganization,
    deletes: 'some'
  },
  {
    name: 'input error: a duration without a unit',
    inputs: { 'older-than': '7' },
    deletes: 'none',
    inputError: 'older-than'
  },
  {
    name: 'input error: rules combined with a flat input',
    inputs: { rules: '- keys: x', keys: 'y' },
    deletes: 'none',
    inputError: 'rules'
  },
  {
    name: 'input error: nothing narrows the selection',
    inputs: {},
    deletes: 'none',
    inputError: 'keys'
  }
]

interface Observed {
  code: number
  deletions: Array<{ repo: string; id: number; key: string; ref: string }>
  requests: number
}

async function observe(
  seed: (f: FakeGitHub) => void,
  go: (f: FakeGitHub) => Promise<{ code: number }>
): Promise<Observed> {
  const f = await startFakeGitHub({})
  fake = f
  try {
    seed(f)
    const { code } = await go(f)
    const deletions = f.deletions
      .map(({ repo, id, key, ref }) => ({ repo, id, key, ref }))
      .sort((a, b) => a.id - b.id)
    return { code, deletions, requests: f.requests.length }
  } finally {
    await f.close()
    fake = undefined
  }
}

const byId = (list: Array<{ id: number }>) => [...list].sort((a, b) => a.id - b.id)

describe('the same scenarios through the action and the command line', () => {
  it.each(SCENARIOS)('$name', async scenario => {
    const seed = scenario.seed ?? seedRepository
    const token = scenario.token ?? 'ghs_write'
    const repository: Record<string, string> = scenario.inputs.repository
      ? {}
      : { repository: REPO }

    let actionRun: Awaited<ReturnType<typeof runAction>> | undefined
    const viaAction = await observe(seed, async f => {
      actionRun = await runAction({
        apiUrl: f.url,
        repository: REPO,
        token,
        inputs: scenario.inputs,
        env: TIME,
        ...scenario.action
      })
      return actionRun
    })

    const rulesFile = join(tmp, 'rules.yml')
    writeFileSync(rulesFile, RULES)
    const flags = (scenario.args ?? inputsToArgs({ ...repository, ...scenario.inputs })).map(a =>
      a === 'RULES_FILE' ? rulesFile : a
    )
    const args = ['prune', ...(scenario.args ? inputsToArgs(repository) : []), ...flags, '--json']
    let cliRun: CliRunResult | undefined
    const viaCli = await observe(seed, async f => {
      cliRun = await runCli({ apiUrl: f.url, token, args, env: TIME })
      return cliRun
    })
    const a = actionRun!
    const c = cliRun!
    const json = JSON.parse(c.stdout) as Record<string, unknown> & {
      error?: { message: string; input: string; flag: string }
    }

    if (scenario.inputError) {
      // the same input, the same words; the action exits 1, the CLI 2 (bad usage); no request
      expect(a.code).toBe(1)
      expect(c.code).toBe(2)
      expect(a.errors).toHaveLength(1)
      expect(json.error?.input).toBe(scenario.inputError)
      const flag = scenario.inputError === 'repository' ? '--repo' : `--${scenario.inputError}`
      expect(json.error?.flag).toBe(flag)
      expect(json.error?.message.startsWith(`${flag}: `)).toBe(true)
      expect(a.errors[0]).toBe(
        `Input '${scenario.inputError}': ${json.error!.message.slice(flag.length + 2)}`
      )
      expect(c.stderr).toContain(json.error!.message)
      expect(viaAction.requests).toBe(0)
      expect(viaCli.requests).toBe(0)
      return
    }

    expect(a.errors).toEqual([])
    expect(c.stderr).not.toMatch(/^(error|cache-steward):/m)
    expect(a.code).toBe(0)
    expect(c.code).toBe(0)
    // the same caches deleted, by the fake's own log
    expect(viaCli.deletions).toEqual(viaAction.deletions)
    if (scenario.deletes === 'some') expect(viaAction.deletions.length).toBeGreaterThan(0)
    else expect(viaAction.deletions).toEqual([])
    // the same outputs: --json holds the action's outputs, typed; deleted-file is a path on
    // the runner, and --json holds the whole list in `deleted` instead
    const actionOutputs = Object.entries(a.outputs).filter(([name]) => name !== 'deleted-file')
    expect(Object.keys(json).sort()).toEqual(actionOutputs.map(([name]) => name).sort())
    expect(byId(JSON.parse(a.files['deleted-file']))).toEqual(
      byId(json.deleted as Array<{ id: number }>)
    )
    for (const [name, value] of actionOutputs) {
      if (name === 'deleted-truncated') {
        expect([name, json[name]]).toEqual([name, false])
      } else if (name === 'deleted') {
        expect(byId(json.deleted as Array<{ id: number }>)).toEqual(byId(JSON.parse(value)))
      } else if (name.endsWith('-truncated')) {
        expect(json[name]).toBe(false)
        expect(value).toBe('false')
      } else {
        expect(String(json[name])).toBe(value)
        expect(typeof json[name]).toBe('number')
      }
    }
  })

  it('the cap scenario really leaves work pending, and the dry run really selects', async () => {
    // guards the table above against scenarios that would agree by doing nothing
    const run = (args: string[]) =>
      observe(seedRepository, async f => {
        const r = await runCli({
          apiUrl: f.url,
          args: ['prune', '--repo', REPO, ...args, '--json'],
          env: TIME
        })
        Object.assign(result, JSON.parse(r.stdout))
        return r
      })
    const result: Record<string, number> = {}
    await run(['--older-than', '1d', '--max-deletions', '25'])
    expect(result['deleted-count']).toBe(25)
    expect(result['pending-count']).toBeGreaterThan(0)
    const dry = await run(['--older-than', '2d', '--dry-run'])
    expect(result['matched-count']).toBeGreaterThan(0)
    expect(dry.deletions).toEqual([])
  })
})

const start = async (options: FakeGitHubOptions = {}): Promise<FakeGitHub> => {
  const f = await startFakeGitHub(options)
  fake = f
  seedRepository(f)
  return f
}

const cli = (
  args: readonly string[],
  o: { token?: string | null; env?: Record<string, string> } = {}
) => runCli({ apiUrl: fake!.url, args, token: o.token, env: { ...TIME, ...o.env } })

describe('exit codes, each from a real run', () => {
  it('0: a prune that deletes what it selected, shown as a table with totals and what was kept', async () => {
    const f = await start()
    const r = await cli(['prune', '--repo', REPO, '--older-than', '10d'])
    expect(r.code).toBe(0)
    const gone = f.deletions.length
    expect(gone).toBeGreaterThan(10)
    expect(f.store.caches(REPO)).toHaveLength(225 - gone)
    expect(r.stdout).toMatch(
      new RegExp(`^Deleted ${gone} caches \\([\\d.]+ [KMG]iB\\) in octo/parity\\.$`, 'm')
    )
    expect(r.stdout).toMatch(/^status\s+key\s+ref\s+size\s+last used\s+reason$/m)
    for (const d of f.deletions) {
      expect(r.stdout).toMatch(new RegExp(`^deleted\\s+${d.key}\\s+${d.ref}\\s`, 'm'))
    }
    expect(r.stdout).toMatch(/^before\s+225\s/m)
    expect(r.stdout).toMatch(new RegExp(`^deleted\\s+${gone}\\s`, 'm'))
    expect(r.stdout).toMatch(new RegExp(`^after\\s+${225 - gone}\\s`, 'm'))
    expect(r.stdout).toContain(`kept: ${225 - gone} caches`)
    expect(r.stdout).toMatch(/\d+\s+[\d.]+ [KMG]iB\s+not old enough \(--older-than\)/)
    // logs go to stderr, never as workflow commands
    expect(r.stderr).toContain('== Listing caches of octo/parity')
    expect(r.stdout + r.stderr).not.toMatch(/^::/m)
  })

  it('1: a cache that cannot be deleted fails the run, names the cache, and the rest are deleted', async () => {
    const f = await start()
    const victim = f.store.caches(REPO).find(c => c.ref === 'refs/pull/7/merge')!
    f.setOptions({
      faults: {
        seed: 1,
        serverErrorRate: 1,
        onlyPaths: new RegExp(`/actions/caches/${victim.id}$`)
      }
    })
    const r = await cli(['prune', '--repo', REPO, '--refs', 'refs/pull/7/merge'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error: 1 of 20 selected caches could not be deleted/m)
    expect(r.stderr).toContain(victim.key)
    expect(r.stdout).toMatch(new RegExp(`^FAILED\\s+${victim.key}\\s`, 'm'))
    expect(f.deletions).toHaveLength(19)
    const json = await cli(['prune', '--repo', REPO, '--refs', 'refs/pull/7/merge', '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)['failed-count']).toBe(1)
  })

  it('1: an API error (a read-only token cannot delete) is explained, and the token is not printed', async () => {
    const f = await start()
    const r = await cli(['prune', '--repo', REPO, '--refs', 'refs/pull/7/merge'], {
      token: 'ghs_read'
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/actions: write/)
    expect(f.deletions).toEqual([])
    expect(r.stdout + r.stderr).not.toContain('ghs_read')
  })

  it('2: an unknown flag, a flag of another command, a bad value: named, and nothing is requested', async () => {
    const f = await start()
    const unknown = await cli(['prune', '--repo', REPO, '--older-thn', '7d'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown flag --older-thn (did you mean --older-than?)')
    const other = await cli(['prune', '--repo', REPO, '--top', '3'])
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('--top does not apply to prune')
    const bad = await cli(['prune', '--repo', REPO, '--larger-than', 'huge'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^cache-steward: --larger-than: 'huge'/m)
    const value = await cli(['prune', '--repo', REPO, '--dry-run=yes'])
    expect(value.code).toBe(2)
    expect(value.stderr).toContain('--dry-run=yes: a switch is on or off')
    const repo = await cli(['prune', '--repo', 'not-a-repo', '--keys', '*'])
    expect(repo.code).toBe(2)
    expect(repo.stderr).toMatch(/^cache-steward: --repo: 'not-a-repo' is not a repository/m)
    const none = await cli([])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('name a command: prune, usage, limits, list, delete')
    expect(f.requests).toEqual([])
  })

  it('2: no token names GH_TOKEN, GITHUB_TOKEN and gh, and makes no request', async () => {
    const f = await start()
    // PATH without gh: no `gh auth token` to fall back on
    const noGh = { PATH: '/nonexistent' }
    const r = await cli(['prune', '--repo', REPO, '--keys', '*'], { token: null, env: noGh })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('GH_TOKEN')
    expect(r.stderr).toContain('GITHUB_TOKEN')
    const json = await cli(['usage', '--repo', REPO, '--json'], { token: null, env: noGh })
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout).error.message).toMatch(/GH_TOKEN or GITHUB_TOKEN/)
    expect(f.requests).toEqual([])
  })

  it('3: stopping at the rate-limit reserve leaves work pending and says the next run continues', async () => {
    const f = await start({ rateLimit: { limit: 1000, remaining: 140 } })
    const r = await cli([
      'prune',
      '--repo',
      REPO,
      '--refs',
      'refs/pull/42/merge',
      '--rate-limit-reserve',
      '100',
      '--json'
    ])
    expect(r.code).toBe(3)
    const json = JSON.parse(r.stdout)
    expect(json['pending-count']).toBeGreaterThan(30)
    expect(json['failed-count']).toBe(0)
    expect(r.stderr).toMatch(/^warning: Stopped early: .*next run continues/m)
    expect(f.rateLimitOf('ghs_write').remaining).toBeGreaterThanOrEqual(100)
  })
})

describe('the token and the environment', () => {
  it('takes GITHUB_TOKEN when GH_TOKEN is not set, and prefers GH_TOKEN when both are', async () => {
    const f = await start()
    const only = await cli(['prune', '--repo', REPO, '--refs', 'refs/tags/v1', '--dry-run'], {
      token: null,
      env: { GITHUB_TOKEN: 'ghs_read' }
    })
    expect(only.code).toBe(0)
    expect(f.requests.map(q => q.token)).toEqual(['ghs_read'])
    f.resetCounters()
    const both = await cli(['prune', '--repo', REPO, '--refs', 'refs/tags/v1', '--dry-run'], {
      token: 'ghs_write',
      env: { GITHUB_TOKEN: 'ghs_read' }
    })
    expect(both.code).toBe(0)
    expect(f.requests.map(q => q.token)).toEqual(['ghs_write'])
  })

  it('never reads GITHUB_EVENT_PATH: a closed pull request event does not narrow the selection', async () => {
    const f = await start()
    const event = join(tmp, 'event.json')
    writeFileSync(event, JSON.stringify(closedPull(42)))
    const r = await cli(['prune', '--repo', REPO], {
      env: { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request' }
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^cache-steward: --keys: nothing narrows the selection/m)
    expect(f.requests).toEqual([])
  })

  it('--api-url reaches the API without GITHUB_API_URL', async () => {
    const f = await start()
    const r = await runCli({
      args: ['usage', '--repo', REPO, '--api-url', f.url, '--json'],
      env: TIME
    })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)['total-count']).toBe(225)
  })
})

describe('--json and --help', () => {
  it('--json prints one JSON document and nothing else on stdout; the logs go to stderr', async () => {
    await start()
    const r = await cli(['prune', '--repo', REPO, '--older-than', '3d', '--dry-run', '--json'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(r.stdout.trim().startsWith('{')).toBe(true)
    expect(r.stdout.trim().endsWith('}')).toBe(true)
    expect(doc['matched-count']).toBeGreaterThan(0)
    expect(Array.isArray(doc.deleted)).toBe(true)
    expect(doc.deleted[0]).toEqual(
      expect.objectContaining({ id: expect.any(Number), key: expect.any(String) })
    )
    expect(r.stderr).toContain('== Selecting')
  })

  it('--help documents every input as a flag, the token and the exit codes', async () => {
    const r = await runCli({ args: ['--help'], token: null })
    expect(r.code).toBe(0)
    for (const name of Object.values(Input)) {
      if (name === 'command' || name === 'token') continue
      expect(r.stdout).toMatch(new RegExp(`^  (-R, --repo, )?--${name}\\b`, 'm'))
    }
    for (const flag of ['--repo', '--rules-file', '--api-url', '--json', '--help', '--version']) {
      expect(r.stdout).toContain(flag)
    }
    expect(r.stdout).toContain('GH_TOKEN, else GITHUB_TOKEN')
    for (const code of [0, 1, 2, 3, 130]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${code}  \\S`, 'm'))
    }
    const prune = await runCli({ args: ['prune', '--help'], token: null })
    expect(prune.code).toBe(0)
    expect(prune.stdout).toMatch(/^Usage: cache-steward prune/)
    expect(prune.stdout).toContain('--older-than DURATION')
    expect(prune.stdout).not.toContain('--top')
    const limits = await runCli({ args: ['limits', '-h'], token: null })
    expect(limits.stdout).toContain('--retention-days DAYS')
    expect(limits.stdout).not.toContain('--keep-latest')
  })

  it('--version prints the version package.json gives and needs no token', async () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
    ) as {
      version: string
    }
    for (const args of [['--version'], ['prune', '-V']]) {
      const r = await runCli({ args, token: null })
      expect(r.code).toBe(0)
      expect(r.stdout).toBe(`cache-steward ${pkg.version}\n`)
    }
  })
})

describe('usage and limits', () => {
  it('usage --org reads the organization and ranks its repositories', async () => {
    const f = await startFakeGitHub({})
    fake = f
    for (let i = 1; i <= 4; i++) {
      f.store.addCache(`big-org/repo-${i}`, { size_in_bytes: i * 2 ** 20 })
    }
    const r = await cli(['usage', '--org', 'big-org', '--top', '2', '--json'], {
      token: 'ghp_admin'
    })
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc['total-count']).toBe(4)
    expect(doc['total-bytes']).toBe(10 * 2 ** 20)
    expect(doc.repositories).toEqual([
      'big-org/repo-4',
      'big-org/repo-3',
      'big-org/repo-2',
      'big-org/repo-1'
    ])
    expect(doc.usage.scope).toBe('organization')
    expect(doc.usage.repositories.map((x: { full_name: string }) => x.full_name)).toEqual([
      'big-org/repo-4',
      'big-org/repo-3'
    ])
    const table = await cli(['usage', '--org', 'big-org', '--top', '2'], { token: 'ghp_admin' })
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^big-org\/repo-4\s+1\s+4 MiB\s+40%$/m)
    expect(table.stdout).toMatch(/^\(2 more\)\s+2\s+3 MiB/m)
  })

  it('limits reads a repository’s limits, and sets them only without --dry-run', async () => {
    const f = await startFakeGitHub({})
    fake = f
    f.store.addRepo('octo/app')
    const read = await cli(['limits', '--repo', 'octo/app', '--json'], { token: 'ghs_read' })
    expect(read.code).toBe(0)
    expect(JSON.parse(read.stdout).limits).toEqual({
      scope: 'repository',
      name: 'octo/app',
      server: 'github.com',
      dry_run: false,
      before: { retention_days: 7, size_limit_gb: 10 },
      after: { retention_days: 7, size_limit_gb: 10 },
      changed: []
    })
    const dry = await cli(['limits', '--repo', 'octo/app', '--retention-days', '30', '--dry-run'], {
      token: 'ghp_admin'
    })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/dry run/)
    expect(f.requests.filter(q => q.method !== 'GET')).toEqual([])
    const set = await cli(['limits', '--repo', 'octo/app', '--retention-days', '30'], {
      token: 'ghp_admin'
    })
    expect(set.code).toBe(0)
    expect(f.store.repo('octo/app')?.limits.maxCacheRetentionDays).toBe(30)
    const refused = await cli(['limits', '--repo', 'octo/app', '--retention-days', '9999'], {
      token: 'ghp_admin'
    })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/^cache-steward: --retention-days: /m)
  })
})
