// The lint rules that keep the parts apart, tested by planting a violation of
// each in a scratch tree (dependency-cruiser, with the project's own config)
// or in the linted text of an engine file (ESLint, with the project's config).
// A clean tree must pass, and each planted file must be caught by its rule.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ESLint } from 'eslint'

const root = new URL('../../', import.meta.url).pathname

interface Violation {
  readonly rule: { readonly name: string }
  readonly from: string
}

/** A tree that respects every rule: one file per part, importing only what it may. */
const CLEAN: Readonly<Record<string, string>> = {
  'src/engine/cache.ts': 'export const engine = 1\n',
  'src/engine/patterns.ts': "import { minimatch } from 'minimatch'\nexport const m = minimatch\n",
  'src/github/ports.ts':
    "import { engine } from '../engine/cache.js'\nexport const port = engine\n",
  'src/github/octokit.ts':
    "import { Octokit } from '@octokit/core'\nimport { port } from './ports.js'\nexport const o = [Octokit, port]\n",
  'src/run/listing.ts': "import { port } from '../github/ports.js'\nexport const run = port\n",
  'src/commands/prune.ts':
    "import { o } from '../github/octokit.js'\nimport { run } from '../run/listing.js'\nexport const command = [o, run]\n",
  'src/action/main.ts':
    "import * as core from '@actions/core'\nimport { command } from '../commands/prune.js'\nexport const action = [core, command]\n",
  'src/cli/run.ts': "import { command } from '../commands/prune.js'\nexport const cli = command\n",
  'testing/fake/server.ts': 'export const fake = 1\n'
}

/** One planted file per rule: path -> [source, the rule it must break]. */
const PLANTED: ReadonlyArray<readonly [string, string, string]> = [
  [
    'src/engine/cycle-a.ts',
    "import { b } from './cycle-b.js'\nexport const a = () => b\n",
    'no-circular'
  ],
  ['src/engine/cycle-b.ts', "import { a } from './cycle-a.js'\nexport const b = () => a\n", ''],
  [
    'src/engine/reaches-out.ts',
    "import { run } from '../run/listing.js'\nexport const x = run\n",
    'engine-is-pure'
  ],
  [
    'src/engine/reads-files.ts',
    "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n",
    'engine-no-node-builtins'
  ],
  [
    'src/run/octokit.ts',
    "import { Octokit } from '@octokit/core'\nexport const x = Octokit\n",
    'octokit-only-in-github'
  ],
  [
    'src/commands/core.ts',
    "import * as core from '@actions/core'\nexport const x = core\n",
    'actions-core-only-in-action'
  ],
  [
    'src/github/upward.ts',
    "import { run } from '../run/listing.js'\nexport const x = run\n",
    'github-imports-no-caller'
  ],
  [
    'src/run/adapter.ts',
    "import { o } from '../github/octokit.js'\nexport const x = o\n",
    'run-reaches-github-through-ports'
  ],
  [
    'src/run/upward.ts',
    "import { command } from '../commands/prune.js'\nexport const x = command\n",
    'run-imports-no-caller'
  ],
  [
    'src/commands/front.ts',
    "import { cli } from '../cli/run.js'\nexport const x = cli\n",
    'commands-import-no-front-end'
  ],
  [
    'src/action/cli.ts',
    "import { cli } from '../cli/run.js'\nexport const x = cli\n",
    'action-and-cli-apart'
  ],
  [
    'src/cli/action.ts',
    "import { action } from '../action/main.js'\nexport const x = action\n",
    'cli-and-action-apart'
  ],
  [
    'src/commands/fake.ts',
    "import { fake } from '../../testing/fake/server.js'\nexport const x = fake\n",
    'product-imports-no-test-support'
  ],
  [
    'testing/fake/product.ts',
    "import { engine } from '../../src/engine/cache.js'\nexport const x = engine\n",
    'fake-owns-its-wire'
  ]
]

function scratch(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cache-steward-boundaries-'))
  for (const name of ['.dependency-cruiser.cjs', 'tsconfig.json', 'tsconfig.test.json']) {
    copyFileSync(join(root, name), join(dir, name))
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

function cruise(dir: string): Violation[] {
  let out: string
  try {
    out = execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'src',
        'testing',
        '--config',
        '.dependency-cruiser.cjs',
        '--output-type',
        'json'
      ],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
    )
  } catch (error) {
    // depcruise exits non-zero when it finds violations; its report is still on stdout
    out = (error as { stdout: string }).stdout
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations
}

describe('dependency-cruiser keeps the parts apart', () => {
  let clean: string
  let dirty: string
  beforeAll(() => {
    clean = scratch(CLEAN)
    dirty = scratch({ ...CLEAN, ...Object.fromEntries(PLANTED.map(([p, text]) => [p, text])) })
  })
  afterAll(() => {
    for (const dir of [clean, dirty]) rmSync(dir, { recursive: true, force: true })
  })

  it('passes a tree where every part imports only what it may', () => {
    expect(cruise(clean)).toEqual([])
  }, 60_000)

  it('catches a planted violation of every rule, in the file that breaks it', () => {
    const found = cruise(dirty).map(v => `${v.rule.name} ${v.from}`)
    for (const [path, , rule] of PLANTED.filter(([, , r]) => r !== '')) {
      expect(found).toContain(`${rule} ${path}`)
    }
  }, 60_000)
})

describe('ESLint keeps the engine pure', () => {
  const eslint = new ESLint({ cwd: root })
  const lint = async (code: string, filePath: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: join(root, filePath) })
    return result.messages.map(m => m.message)
  }

  it.each([
    ['Date.now()', /now/],
    ['new Date()', /clock/],
    ['Math.random()', /deterministic/],
    ['setTimeout(() => undefined, 1)', /timers/],
    ['process.env.X', /environment/],
    ['performance.now()', /clock/]
  ])('refuses %s in src/engine/', async (expression, why) => {
    const messages = await lint(`export const x = ${expression}\n`, 'src/engine/planted.ts')
    expect(messages.join('\n')).toMatch(why)
  })

  it('allows the same outside the engine, and a pure engine file', async () => {
    expect(await lint('export const x = Date.now()\n', 'src/run/planted.ts')).toEqual([])
    expect(await lint("export const x = Date.parse('2026-01-01')\n", 'src/engine/p.ts')).toEqual([])
  })
})
