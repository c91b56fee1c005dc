// The `rules` input: YAML -> schema -> the same parsers as the flat inputs ->
// one Policy. And readSettings: flat inputs and `rules` go through one builder.
import type { Cache } from '../../src/engine/cache.js'
import { InputError } from '../../src/engine/errors.js'
import type { EventScope } from '../../src/engine/event.js'
import { Input, type InputName } from '../../src/engine/inputs.js'
import { readSettings as readSettingsWith } from '../../src/engine/prune-settings.js'
import { decide } from '../../src/engine/policy.js'
import {
  didYouMean,
  readRulesDocument as readRulesDocumentWith,
  ruleLabel
} from '../../src/engine/rules.js'
import { RULE_FIELDS } from '../../src/engine/rules-schema.js'
import { rulesSyntax } from '../../src/engine/rules-syntax.js'
import { inputError } from '../support/input-error.js'

// The YAML parser and the validator are handed in (a run loads them only with `rules`).
const readRulesDocument = (
  text: string,
  scope: EventScope
): ReturnType<typeof readRulesDocumentWith> => readRulesDocumentWith(text, scope, rulesSyntax)
const readSettings = (
  get: (name: InputName) => string,
  scope: EventScope
): ReturnType<typeof readSettingsWith> => readSettingsWith(get, scope, rulesSyntax)

const anyEvent: EventScope = { description: 'schedule: every ref', readOnlyToken: false }
const closedPull: EventScope = {
  refs: ['refs/pull/12/merge'],
  description: 'pull request #12 was closed',
  readOnlyToken: false,
  pullRequest: 12
}

const DAY = 86_400_000
const NOW = Date.UTC(2025, 0, 31)
let nextId = 1
const cache = (key: string, ref: string, idleDays: number, size = 1000): Cache => ({
  id: nextId++,
  key,
  ref,
  version: 'v',
  sizeInBytes: size,
  lastAccessedAt: NOW - idleDays * DAY,
  createdAt: NOW - idleDays * DAY - DAY
})

describe('readRulesDocument: valid documents', () => {
  it('reads a bare list of rules, with default names', () => {
    const { policy, maxDeletions } = readRulesDocument(
      `
- keys: node-*
  older-than: 7d
- name: big ones
  larger-than: 1GB
  keep-latest: 1
`,
      anyEvent
    )
    expect(policy.rules.map(r => r.name)).toEqual(['rule 1', 'rule 2 (big ones)'])
    expect(policy.rules[0].olderThanMs).toBe(7 * DAY)
    expect(policy.rules[0].keys?.include).toEqual(['node-*'])
    expect(policy.rules[1].largerThan).toBe(2 ** 30)
    expect(policy.rules[1].keepLatest).toBe(1)
    expect(policy.maxTotalSize).toBeUndefined()
    expect(maxDeletions).toBeUndefined()
  })

  it('reads global settings beside the rules', () => {
    const { policy, maxDeletions } = readRulesDocument(
      `
rules:
  - stale-refs: true
  - keys: ['Linux-*', '!Linux-keep-*']
    refs: |
      feature/*
      refs/tags/*
    age-by: created
max-total-size: 8GB
max-deletions: 250
protect:
  keys: release-*
  refs: [main]
`,
      anyEvent
    )
    expect(maxDeletions).toBe(250)
    expect(policy.maxTotalSize).toBe(8 * 2 ** 30)
    expect(policy.rules[0].staleRefs).toBe(true)
    expect(policy.rules[1].keys?.exclude).toEqual(['Linux-keep-*'])
    expect(policy.rules[1].refs?.include).toEqual(['refs/heads/feature/*', 'refs/tags/*'])
    expect(policy.rules[1].ageBy).toBe('created')
    expect(policy.protect?.keys?.matches('release-1')).toBe(true)
    expect(policy.protect?.refs?.matches('refs/heads/main')).toBe(true)
  })

  it.each([
    ['a size in bytes as a number', '- larger-than: 1048576', 'largerThan', 1048576],
    ['keep-latest as text', "- keys: a\n  keep-latest: '3'", 'keepLatest', 3],
    ['stale-refs as text', "- stale-refs: 'yes'", 'staleRefs', true],
    ['a fractional duration', '- older-than: 1.5d', 'olderThanMs', 1.5 * DAY]
  ])('accepts %s', (_what, yaml, field, value) => {
    const rule = readRulesDocument(yaml, anyEvent).policy.rules[0] as unknown as Record<
      string,
      unknown
    >
    expect(rule[field]).toBe(value)
  })

  it("gives the event's refs to rules without refs, and leaves a rule's own refs alone", () => {
    const { policy } = readRulesDocument("- keys: '*'\n- refs: main\n  older-than: 1d", closedPull)
    expect(policy.rules[0].refs?.include).toEqual(['refs/pull/12/merge'])
    expect(policy.rules[1].refs?.include).toEqual(['refs/heads/main'])
  })

  it("counts the event's refs as narrowing: a rule of only a name is the event's cleanup", () => {
    const { policy } = readRulesDocument('- name: this pull request', closedPull)
    expect(policy.rules[0].refs?.include).toEqual(['refs/pull/12/merge'])
    expect(policy.rules[0].name).toBe('rule 1 (this pull request)')
  })

  it('lets a rule without thresholds offer its candidates to the budget', () => {
    const { policy } = readRulesDocument('rules:\n  - {}\nmax-total-size: 1KB', anyEvent)
    expect(policy.rules).toHaveLength(1)
    expect(policy.maxTotalSize).toBe(1024)
  })
})

describe('readRulesDocument: every mistake points at the rule and the field', () => {
  it.each([
    [
      'a field without a unit',
      '- keys: a\n- older-than: 7',
      "rule 2, field 'older-than': '7' has no unit; write it like '7d'"
    ],
    [
      'an unknown field, with a suggestion',
      '- older_than: 7d',
      "rule 1: unknown field 'older_than' (did you mean 'older-than'?)"
    ],
    [
      'a misspelt field',
      '- keys: a\n  keep-lastest: 2',
      "rule 1: unknown field 'keep-lastest' (did you mean 'keep-latest'?)"
    ],
    [
      'an unknown field, listing the fields',
      '- keys: a\n  colour: red',
      "the fields are 'name', 'keys'"
    ],
    [
      'an unknown global setting',
      'rules: [{keys: a}]\nmax_deletions: 3',
      "unknown setting 'max_deletions' (did you mean 'max-deletions'?)"
    ],
    [
      'an unknown protect field',
      'rules: [{keys: a}]\nprotect: {key: x}',
      "'protect': unknown field 'key' (did you mean 'keys'?)"
    ],
    [
      'a wrong type',
      '- keys: a\n  older-than: [7d]',
      "rule 1, field 'older-than': must be text or a number, not a list"
    ],
    [
      'a wrong item type',
      '- keys: [a, [b]]',
      "rule 1, field 'keys', item 2: must be text, not a list"
    ],
    [
      'a boolean for a pattern',
      '- keys: true',
      "rule 1, field 'keys': must be a pattern or a list of patterns, not true"
    ],
    [
      'a rule that is not a mapping',
      '- keys: a\n- just text',
      "rule 2: must be a mapping, not 'just text'"
    ],
    [
      'a bad age-by',
      '- keys: a\n  age-by: newest',
      "rule 1, field 'age-by': 'newest' is not one of 'last-accessed', 'created'"
    ],
    [
      'a bad stale-refs',
      "- stale-refs: 'perhaps'",
      "rule 1, field 'stale-refs': 'perhaps' is not a boolean"
    ],
    [
      'a bad duration unit',
      '- older-than: 3y',
      "rule 1, field 'older-than': '3y' has an unknown unit 'y'"
    ],
    [
      'a bad size',
      '- larger-than: 12XB',
      "rule 1, field 'larger-than': '12XB' has an unknown unit 'XB'"
    ],
    [
      'a negative keep-latest',
      '- keys: a\n  keep-latest: -1',
      "rule 1, field 'keep-latest': '-1' is not a whole number"
    ],
    [
      'a bad glob',
      "- keys: 'Linux-[node'",
      "rule 1, field 'keys': pattern 'Linux-[node' has an unclosed '['"
    ],
    [
      'a bad ref glob',
      "- refs: ['feature/{a,b']",
      "rule 1, field 'refs': pattern 'feature/{a,b' has an unclosed '{'"
    ],
    [
      'sizes that exclude each other',
      '- larger-than: 2MB\n  smaller-than: 1MB',
      "rule 1, field 'smaller-than': no cache can be larger"
    ],
    [
      'a rule that narrows nothing',
      '- keys: a\n- name: all\n  age-by: created',
      'rule 2 (all) narrows nothing'
    ],
    ['an empty rule list', 'rules: []', 'has no rules'],
    ['an empty list', '[]', 'has no rules'],
    ['a document without rules', 'max-total-size: 8GB', "has no 'rules'"],
    ['an empty pattern list', '- keys: []', "rule 1, field 'keys': is an empty list"],
    ['an empty name', "- name: ''\n  keys: a", "rule 1, field 'name': must not be empty"],
    [
      'a bad global size',
      'rules: [{keys: a}]\nmax-total-size: 10 parsecs',
      "'max-total-size': '10 parsecs' has an unknown unit"
    ],
    [
      'a zero max-deletions',
      'rules: [{keys: a}]\nmax-deletions: 0',
      "'max-deletions': '0' is too small: it must be at least 1"
    ],
    [
      'a bad protect glob',
      "rules: [{keys: a}]\nprotect: {refs: '[x'}",
      "protect, field 'refs': pattern"
    ],
    ['text instead of YAML rules', 'delete old caches please', 'must be a YAML list of rules'],
    ['broken YAML', '- keys: [a, b', 'is not valid YAML'],
    ['a duplicate key', '- keys: a\n  keys: b', 'is not valid YAML'],
    ['only a comment', '# nothing yet', 'is empty']
  ])('%s', (_what, yaml, message) => {
    const e = inputError(() => readRulesDocument(yaml, anyEvent))
    expect(e.input).toBe('rules')
    expect(e.message.startsWith("Input 'rules': ")).toBe(true)
    expect(e.message).toContain(message)
  })
})

describe('didYouMean', () => {
  it.each([
    ['older_than', 'older-than'],
    ['Older Than', 'older-than'],
    ['key', 'keys'],
    ['ref', 'refs'],
    ['stale_refs', 'stale-refs'],
    ['keeplatest', 'keep-latest'],
    ['colour', undefined],
    ['maximum', undefined]
  ])('%s -> %s', (typo, guess) => {
    expect(didYouMean(typo, RULE_FIELDS)).toBe(guess)
  })
})

describe('ruleLabel', () => {
  it('numbers from 1 and adds the name', () => {
    expect(ruleLabel(0)).toBe('rule 1')
    expect(ruleLabel(1, 'old PRs')).toBe('rule 2 (old PRs)')
  })
})

// ---------------------------------------------------------------------------

function getter(values: Partial<Record<InputName, string>>) {
  const defaults: Partial<Record<InputName, string>> = {
    [Input.Token]: 't',
    [Input.Repository]: 'o/r',
    [Input.AgeBy]: 'last-accessed',
    [Input.StaleRefs]: 'false',
    [Input.DryRun]: 'false'
  }
  return (name: InputName): string => values[name] ?? defaults[name] ?? ''
}

describe('readSettings with rules', () => {
  it('reads the policy from rules, with the default-filled flat inputs ignored', () => {
    const s = readSettings(
      getter({ [Input.Rules]: '- keys: a\n  older-than: 1d\n- stale-refs: true' }),
      anyEvent
    )
    expect(s.policy.rules.map(r => r.name)).toEqual(['rule 1', 'rule 2'])
    expect(s.policy.rules[1].staleRefs).toBe(true)
  })

  it.each([
    [Input.Keys, 'a*'],
    [Input.Refs, 'main'],
    [Input.OlderThan, '7d'],
    [Input.AgeBy, 'created'],
    [Input.LargerThan, '1MB'],
    [Input.SmallerThan, '1MB'],
    [Input.KeepLatest, '2'],
    [Input.StaleRefs, 'true'],
    [Input.MaxTotalSize, '8GB']
  ])('refuses rules together with %s, naming both', (name, value) => {
    const e = inputError(() =>
      readSettings(getter({ [Input.Rules]: '- keys: a', [name]: value }), anyEvent)
    )
    expect(e.input).toBe('rules')
    expect(e.message).toContain(`'${name}'`)
  })

  it('takes max-deletions from the input or the document, not both', () => {
    const rules = '- keys: a'
    expect(
      readSettings(getter({ [Input.Rules]: rules, [Input.MaxDeletions]: '7' }), anyEvent)
        .maxDeletions
    ).toBe(7)
    expect(
      readSettings(getter({ [Input.Rules]: `rules: [{keys: a}]\nmax-deletions: 9` }), anyEvent)
        .maxDeletions
    ).toBe(9)
    const e = inputError(() =>
      readSettings(
        getter({
          [Input.Rules]: `rules: [{keys: a}]\nmax-deletions: 9`,
          [Input.MaxDeletions]: '7'
        }),
        anyEvent
      )
    )
    expect(e.message).toMatch(/'max-deletions'.*'max-deletions'/)
  })

  it("never hands an event's refs to the rules of an organization-wide run", () => {
    const s = readSettings(
      getter({ [Input.Rules]: '- older-than: 1d', [Input.Repository]: 'o/*' }),
      closedPull
    )
    expect(s.policy.rules[0].refs).toBeUndefined()
  })
})

describe('one builder: flat inputs and the same one-rule document decide alike', () => {
  const caches = [
    cache('Linux-node-1', 'refs/heads/main', 10),
    cache('Linux-node-2', 'refs/heads/main', 1),
    cache('Linux-node-3', 'refs/heads/main', 12, 5_000_000),
    cache('Linux-cargo-1', 'refs/heads/dev', 30),
    cache('Windows-node-1', 'refs/pull/12/merge', 20, 10)
  ]
  it.each([
    [{ [Input.Keys]: 'Linux-*', [Input.OlderThan]: '7d' }, '- keys: Linux-*\n  older-than: 7d'],
    [
      { [Input.Refs]: 'main', [Input.KeepLatest]: '1', [Input.AgeBy]: 'created' },
      '- refs: main\n  keep-latest: 1\n  age-by: created'
    ],
    [
      { [Input.Keys]: '*', [Input.LargerThan]: '1KB', [Input.SmallerThan]: '1MB' },
      "- keys: '*'\n  larger-than: 1KB\n  smaller-than: 1MB"
    ],
    [{ [Input.MaxTotalSize]: '3MB' }, 'rules: [{}]\nmax-total-size: 3MB']
  ])('%j', (flat, yaml) => {
    for (const scope of [anyEvent, closedPull]) {
      const a = readSettings(getter(flat), scope).policy
      const b = readSettings(getter({ [Input.Rules]: yaml }), scope).policy
      const plan = (p: typeof a) =>
        decide(caches, p, NOW).decisions.map(d => [d.cache.id, d.delete, d.reason])
      expect(plan(b)).toEqual(plan(a))
      expect(b.rules[0].refs?.include).toEqual(a.rules[0].refs?.include)
    }
  })

  it("refuses a flat policy that narrows nothing, pointing at keys: '*'", () => {
    const e = inputError(() => readSettings(getter({}), anyEvent))
    expect(e.input).toBe('keys')
    expect(e.message).toContain("keys: '*'")
  })

  it('accepts stale-refs alone as a flat policy', () => {
    const s = readSettings(getter({ [Input.StaleRefs]: 'true' }), anyEvent)
    expect(s.policy.rules[0]).toMatchObject({ name: 'inputs', staleRefs: true })
  })

  it('needs the YAML parser and validator only for a rules document', () => {
    // flat inputs: read without them (a run without `rules` never loads them)
    expect(readSettingsWith(getter({ [Input.Keys]: 'a' }), anyEvent).policy.rules).toHaveLength(1)
    // a document without them is the caller's mistake, not the user's: no InputError
    const withRules = getter({ [Input.Rules]: '- keys: a' })
    expect(() => readSettingsWith(withRules, anyEvent)).toThrow(/no RulesSyntax/)
    expect(() => readSettingsWith(withRules, anyEvent)).not.toThrow(InputError)
  })
})
