// The package as npm publishes it: `npm pack`, then an offline install of the
// tarball into an empty folder (the bundle carries every dependency, so the
// install needs no registry), then the installed `cache-steward` bin:
// --version, and list against the fake GitHub API.
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub } from '../../testing/fake/server.js'
import { addCaches, family } from '../../testing/scenario.js'

const root = new URL('../../', import.meta.url).pathname
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string
  private?: boolean
  dependencies?: Record<string, string>
  files: string[]
  bin: Record<string, string>
}

let tmp: string
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cache-steward-pack-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** npm, with a cache of its own and no registry look-ups (npm ci's environment left out). */
function npm(args: string[], cwd: string): string {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_'))
  )
  return execFileSync('npm', args, {
    cwd,
    env: { ...env, npm_config_cache: join(tmp, 'npm-cache'), npm_config_update_notifier: 'false' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  })
}

it('is publishable: not private, a files list, the bin, no runtime dependency to fetch', () => {
  expect(pkg.private).toBeUndefined()
  expect(pkg.bin).toEqual({ 'cache-steward': 'dist/cli.js' })
  expect(pkg.files).toContain('dist/cli.js')
  // ncc bundled them: an install needs nothing from a registry
  expect(pkg.dependencies ?? {}).toEqual({})
})

it('packs, installs offline into an empty folder, and the installed bin runs', async () => {
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], root)) as Array<{
    filename: string
    files: Array<{ path: string }>
  }>
  const tarball = join(tmp, packed[0].filename)
  expect(packed[0].files.map(f => f.path).sort()).toEqual(
    ['LICENSE', 'README.md', 'dist/cli.js', 'dist/package.json', 'package.json'].sort()
  )
  const app = join(tmp, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), '{ "name": "empty", "private": true }\n')
  npm(['install', '--offline', '--no-audit', '--no-fund', tarball], app)
  const bin = join(app, 'node_modules', '.bin', 'cache-steward')
  expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toBe(
    `cache-steward ${pkg.version}\n`
  )

  const fake = await startFakeGitHub({})
  try {
    fake.store.addRepo('octo/app')
    addCaches(fake, 'octo/app', family('refs/heads/main', 3))
    // asynchronously: the fake answers from this process
    const { stdout: out } = await promisify(execFile)(
      bin,
      ['list', '-R', 'octo/app', '--json', 'id,ref'],
      {
        cwd: app,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', GITHUB_API_URL: fake.url, GH_TOKEN: 'ghs_read' }
      }
    )
    const caches = JSON.parse(out) as Array<{ id: number; ref: string }>
    expect(caches).toHaveLength(3)
    expect(caches.every(c => c.ref === 'refs/heads/main')).toBe(true)
  } finally {
    await fake.close()
  }
}, 120_000)
