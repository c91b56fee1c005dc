// Where the command line finds the repository and the token, with git and gh
// faked; the safe writer (token masked, no workflow command); and tables
// fitted to a terminal or tab-separated into a pipe.
import { findRepository, findToken, type Run } from '../../src/cli/environment.js'
import { jsonSafe, SafeStream, Secrets } from '../../src/cli/sink.js'
import { renderTable } from '../../src/cli/table.js'
import { displayWidth } from '../../src/engine/width.js'

/** A fake git and gh: answers by program, and records every call. */
function runner(answers: Record<string, string | undefined>) {
  const calls: string[] = []
  const run: Run = async (program, args) => {
    calls.push([program, ...args].join(' '))
    return answers[program]
  }
  return { run, calls }
}

describe('findRepository', () => {
  it('takes -R first, then GH_REPO, then GITHUB_REPOSITORY, and asks git only when none is set', async () => {
    const git = runner({ git: 'git@github.com:from/remote.git\n' })
    const env = { GH_REPO: 'from/gh-repo', GITHUB_REPOSITORY: 'from/actions' }
    expect(await findRepository('from/flag', env, git.run)).toEqual({
      repository: 'from/flag',
      source: '--repo'
    })
    expect((await findRepository(undefined, env, git.run))?.source).toBe('GH_REPO')
    expect(
      (await findRepository(undefined, { GITHUB_REPOSITORY: 'from/actions' }, git.run))?.repository
    ).toBe('from/actions')
    expect(git.calls).toEqual([])
    expect(await findRepository(undefined, {}, git.run)).toEqual({
      repository: 'from/remote',
      source: 'the origin remote'
    })
    expect(git.calls).toEqual(['git remote get-url origin'])
  })

  it('gives the API of a GHES host named by -R, GH_REPO or the remote', async () => {
    const git = runner({ git: 'https://ghes.example.com/octo/app.git' })
    expect(await findRepository(undefined, {}, git.run)).toEqual({
      repository: 'octo/app',
      source: 'the origin remote',
      apiUrl: 'https://ghes.example.com/api/v3'
    })
    expect(await findRepository('ghes.example.com/octo/app', {}, git.run)).toMatchObject({
      repository: 'octo/app',
      apiUrl: 'https://ghes.example.com/api/v3'
    })
    expect(await findRepository(undefined, { GH_REPO: 'github.com/octo/app' }, git.run)).toEqual({
      repository: 'octo/app',
      source: 'GH_REPO'
    })
  })

  it('finds nothing outside a clone, or when the remote is not on a GitHub host', async () => {
    expect(await findRepository(undefined, {}, runner({}).run)).toBeUndefined()
    expect(await findRepository(undefined, {}, runner({ git: '/srv/app.git' }).run)).toBeUndefined()
  })
})

describe('findToken', () => {
  it('takes GH_TOKEN, else GITHUB_TOKEN, else gh auth token for the API’s host', async () => {
    const gh = runner({ gh: 'gho_from_gh\n' })
    expect(await findToken({ GH_TOKEN: 'a', GITHUB_TOKEN: 'b' }, undefined, gh.run)).toEqual({
      token: 'a',
      source: 'GH_TOKEN'
    })
    expect((await findToken({ GH_TOKEN: ' ', GITHUB_TOKEN: 'b' }, undefined, gh.run))?.token).toBe(
      'b'
    )
    expect(gh.calls).toEqual([])
    expect(await findToken({}, undefined, gh.run)).toEqual({
      token: 'gho_from_gh',
      source: 'gh auth token'
    })
    await findToken({}, 'https://ghes.example.com/api/v3', gh.run)
    await findToken({}, 'https://api.octo.ghe.com', gh.run)
    expect(gh.calls).toEqual([
      'gh auth token',
      'gh auth token --hostname ghes.example.com',
      'gh auth token --hostname octo.ghe.com'
    ])
  })

  it('gives nothing when gh is missing or logged out', async () => {
    expect(await findToken({}, undefined, runner({}).run)).toBeUndefined()
    expect(await findToken({}, undefined, runner({ gh: '\n' }).run)).toBeUndefined()
  })
})

describe('SafeStream', () => {
  const capture = () => {
    const writes: string[] = []
    return { writes, write: (s: string) => writes.push(s) }
  }

  it('masks the token and keeps every line from being a workflow command', () => {
    const inner = capture()
    const secrets = new Secrets()
    secrets.add('ghp_0123456789abcdef')
    const s = new SafeStream(inner, secrets)
    s.write(
      'Bad credentials: Authorization: token ghp_0123456789abcdef\n::add-mask::x\n  ::error::y ##[group]z\n'
    )
    expect(inner.writes.join('')).toBe(
      'Bad credentials: Authorization: token ***\n» ::add-mask::x\n»   ::error::y ## [group]z\n'
    )
  })

  it('escapes JSON without changing the value it holds', () => {
    const inner = capture()
    const s = new SafeStream(inner, new Secrets())
    s.json(true)
    const doc = JSON.stringify({ key: 'x ##[add-mask]y', n: 1 }, null, 2)
    s.write(doc)
    expect(inner.writes[0]).not.toContain('##[')
    expect(JSON.parse(inner.writes[0])).toEqual({ key: 'x ##[add-mask]y', n: 1 })
    expect(jsonSafe('"##[a]##[b]"')).toBe('"##\\u005ba]##\\u005bb]"')
  })
})

describe('renderTable', () => {
  const spec = {
    head: ['ID', 'KEY', 'SIZE'],
    rows: [
      ['1', `Linux-node-${'x'.repeat(80)}-3f2a`, '1 MiB'],
      ['22', 'ビルド', '10 KiB']
    ],
    right: [2],
    shrink: [1]
  }

  it('fits the terminal by cutting long keys in the middle, lining up wide characters', () => {
    const lines = renderTable(spec, { tty: true, columns: 40 })
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40)
    expect(lines[1]).toMatch(/^1 {3}Linux-node-x+…x+-3f2a {2}\s*1 MiB$/)
    // the size column is aligned right: every line ends in the same column, wide characters or not
    expect(new Set(lines.map(displayWidth)).size).toBe(1)
  })

  it('prints tab-separated values into a pipe: no padding, nothing cut, no head unless asked', () => {
    expect(renderTable(spec, { tty: false, columns: 40 })).toEqual([
      `1\tLinux-node-${'x'.repeat(80)}-3f2a\t1 MiB`,
      '22\tビルド\t10 KiB'
    ])
    expect(renderTable({ ...spec, headInTsv: true }, { tty: false, columns: 40 })[0]).toBe(
      'ID\tKEY\tSIZE'
    )
  })
})
