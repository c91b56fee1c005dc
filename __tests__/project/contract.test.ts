// action.yml, the code's name maps and the README's tables are one contract.
import { readFileSync } from 'node:fs'
import { Input, INPUTS } from '../../src/engine/inputs.js'
import { LimitsOutput } from '../../src/commands/limits/render.js'
import { Output } from '../../src/commands/prune/outputs.js'
import { UsageOutput } from '../../src/commands/usage/render.js'
import { actionYml } from '../../testing/action-runner.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

/** Rows of the markdown table that follows a heading: first cell (unquoted) -> second cell. */
function table(heading: string): Map<string, string[]> {
  const start = readme.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`README has no heading ${heading}`)
  const rows = new Map<string, string[]>()
  for (const line of readme.slice(start + heading.length + 2).split('\n')) {
    if (line.startsWith('#')) break
    const m = /^\|\s*`([^`]+)`\s*\|(.*)\|\s*$/.exec(line)
    if (m)
      rows.set(
        m[1],
        m[2].split('|').map(c => c.trim())
      )
  }
  return rows
}

describe('the action contract', () => {
  const ymlInputs = Object.keys(actionYml.inputs).sort()
  const ymlOutputs = Object.keys(actionYml.outputs).sort()

  it('declares every input the code reads, and no other', () => {
    expect(Object.values(Input).sort()).toEqual(ymlInputs)
  })

  it("keeps each input's default in one place: the code's table equals action.yml", () => {
    for (const [name, spec] of Object.entries(actionYml.inputs)) {
      expect([name, INPUTS[name as keyof typeof INPUTS].default]).toEqual([
        name,
        spec.default ?? ''
      ])
    }
  })

  it('declares every output the code writes, and no other', () => {
    const written = [Output, UsageOutput, LimitsOutput].flatMap(map => Object.values(map))
    expect(written.sort()).toEqual(ymlOutputs)
  })

  it('documents every input in the README with the default from action.yml and a meaning', () => {
    const rows = table('## Inputs')
    expect([...rows.keys()].sort()).toEqual(ymlInputs)
    for (const [name, spec] of Object.entries(actionYml.inputs)) {
      const documented = rows.get(name)?.[0] ?? ''
      const expected = spec.default ? `\`${spec.default}\`` : '(empty)'
      expect(`${name}: ${documented}`).toBe(`${name}: ${expected}`)
      expect(`${name}: ${rows.get(name)?.[1] ?? ''}`).toMatch(new RegExp(`^${name}: \\S.{10,}`))
    }
  })

  it('documents every output in the README with a meaning', () => {
    const rows = table('## Outputs')
    expect([...rows.keys()].sort()).toEqual(ymlOutputs)
    for (const name of ymlOutputs) {
      expect(`${name}: ${rows.get(name)?.[0] ?? ''}`).toMatch(new RegExp(`^${name}: \\S.{10,}`))
    }
  })

  it('runs on node24 from the committed bundle, and the README names the runner it needs', () => {
    const runs = (actionYml as unknown as { runs: { using: string; main: string } }).runs
    expect(runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    // node24 actions need Actions Runner 2.327.1 or later (matters on GHES and self-hosted runners)
    expect(readme).toMatch(/Actions Runner 2\.327\.1 or later/)
  })
})

// Marketplace refuses a description of 125 characters or more. An editor shows
// an input's description as a tooltip, so it stays short (one or two short
// sentences); the detail lives in the README tables.
const TOOLTIP_MAX = 160

/** Sentences, not counting the dots inside `code`. */
const sentences = (text: string): number =>
  text
    .replace(/`[^`]*`/g, 'code')
    .split(/[.!?](?:\s|$)/)
    .filter(s => s.trim() !== '').length

describe('action.yml descriptions', () => {
  const described = (map: Record<string, unknown>): [string, string][] =>
    Object.entries(map).map(([name, spec]) => [
      name,
      String((spec as { description?: unknown }).description ?? '')
    ])
  const top = (actionYml as unknown as { description: string }).description

  it('the action description is shorter than 125 characters (Marketplace)', () => {
    expect(top.length).toBeGreaterThan(20)
    expect(top.length).toBeLessThan(125)
  })

  it.each([...described(actionYml.inputs), ...described(actionYml.outputs)])(
    '%s is described in at most two sentences and 160 characters',
    (_name, description) => {
      expect(description.trim()).not.toBe('')
      expect(description.length).toBeLessThanOrEqual(TOOLTIP_MAX)
      expect(sentences(description)).toBeLessThanOrEqual(2)
    }
  )
})
