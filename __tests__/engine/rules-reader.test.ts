// The rules reader (rules.ts) beyond the tour of rules.test.ts: the parts a
// small slip would change without any other test noticing, among them
// `protect` with refs alone, the default age-by, the boundary between sizes
// that exclude each other, and the wording of the schema's complaints.
import type { ErrorObject } from 'ajv'
import { InputError } from '../../src/engine/errors.js'
import type { EventScope } from '../../src/engine/event.js'
import { compilePatterns } from '../../src/engine/patterns.js'
import type { Policy } from '../../src/engine/policy.js'
import {
  buildPolicy,
  buildRule,
  didYouMean,
  readRulesDocument as readRulesDocumentWith,
  type Presets,
  type RuleFields,
  type RulesSyntax,
  type RuleSource
} from '../../src/engine/rules.js'
import { rulesSyntax } from '../../src/engine/rules-syntax.js'
import { GLOBAL_FIELDS } from '../../src/engine/rules-schema.js'
import { inputError } from '../support/input-error.js'

const readRulesDocument = (
  text: string,
  scope: EventScope,
  presets: Presets = {}
): ReturnType<typeof readRulesDocumentWith> =>
  readRulesDocumentWith(text, scope, rulesSyntax, presets)

const anyEvent: EventScope = { description: 'schedule: every ref', readOnlyToken: false }
const closedPull: EventScope = {
  refs: ['refs/pull/12/merge'],
  description: 'pull request #12 was closed',
  readOnlyToken: false
}

/** The message after "Input 'rules': ". */
const complaint = (yaml: string, presets = {}): string => {
  const e = inputError(() => readRulesDocument(yaml, anyEvent, presets))
  expect(e.input).toBe('rules')
  return e.message.slice("Input 'rules': ".length)
}

const source: RuleSource = {
  blame: (field, error) => new InputError(`rule.${field}`, error.message),
  narrowsNothing: () => new InputError('rule', 'narrows nothing'),
  name: eventRefs => (eventRefs ? 'from the event' : 'own')
}
const rule = (fields: RuleFields, scope = anyEvent, budgeted = false) =>
  buildRule(fields, source, scope, budgeted)

describe('protect', () => {
  const protect = (yaml: string): Policy['protect'] =>
    readRulesDocument(`rules: [{keys: a}]\n${yaml}`, anyEvent).policy.protect

  it('keeps protected refs given alone', () => {
    const p = protect('protect: {refs: [main, release/*]}')
    expect(p?.refs?.matches('refs/heads/release/1')).toBe(true)
    expect(p?.refs?.matches('refs/heads/dev')).toBe(false)
    expect(p).not.toHaveProperty('keys')
  })

  it('keeps protected keys given alone', () => {
    const p = protect("protect: {keys: 'release-*'}")
    expect(p?.keys?.matches('release-1')).toBe(true)
    expect(p).not.toHaveProperty('refs')
  })

  it('reads protected patterns one a line, in text or in list items', () => {
    const p = protect('protect:\n  keys: |\n    a-*\n    b-*\n  refs: ["main\\ndev"]')
    expect(p?.keys?.include).toEqual(['a-*', 'b-*'])
    expect(p?.refs?.include).toEqual(['refs/heads/main', 'refs/heads/dev'])
  })

  it('sets no protect for an empty or absent one', () => {
    expect(
      readRulesDocument('rules: [{keys: a}]\nprotect: {}', anyEvent).policy
    ).not.toHaveProperty('protect')
    expect(readRulesDocument('- keys: a', anyEvent).policy).not.toHaveProperty('protect')
  })

  it('points at the protect field of a bad pattern', () => {
    expect(complaint("rules: [{keys: a}]\nprotect: {keys: 'a-[x'}")).toMatch(
      /^protect, field 'keys': pattern 'a-\[x' has an unclosed '\['/
    )
  })
})

describe('buildPolicy', () => {
  const keys = compilePatterns(['k'], 'key', 'keys')
  const refs = compilePatterns(['main'], 'ref', 'refs')

  it('keeps each protect list given, and nothing else', () => {
    expect(buildPolicy([], { protect: { refs } })).toEqual({ rules: [], protect: { refs } })
    expect(buildPolicy([], { protect: { keys } })).toEqual({ rules: [], protect: { keys } })
    expect(buildPolicy([], { protect: { keys, refs } })).toEqual({
      rules: [],
      protect: { keys, refs }
    })
    expect(buildPolicy([], { protect: {} })).toStrictEqual({ rules: [] })
    expect(buildPolicy([])).toStrictEqual({ rules: [] })
  })

  it('keeps a max-total-size of zero', () => {
    expect(buildPolicy([], { maxTotalSize: 0 })).toEqual({ rules: [], maxTotalSize: 0 })
  })
})

describe('buildRule', () => {
  it('ages by last access unless told otherwise', () => {
    expect(rule({ keys: ['a'] }).ageBy).toBe('last-accessed')
    expect(rule({ keys: ['a'], 'age-by': ' ' }).ageBy).toBe('last-accessed')
    expect(rule({ keys: ['a'], 'age-by': 'CREATED' }).ageBy).toBe('created')
    expect(readRulesDocument('- keys: a', anyEvent).policy.rules[0].ageBy).toBe('last-accessed')
  })

  it('holds only the fields given', () => {
    // strict: a field set to undefined is a field the rule does not have
    expect(rule({ 'older-than': '1d' })).toStrictEqual({
      name: 'own',
      olderThanMs: 86_400_000,
      ageBy: 'last-accessed'
    })
    const full = rule({
      keys: ['a'],
      refs: ['main'],
      'older-than': '1s',
      'larger-than': '0',
      'smaller-than': '2',
      'keep-latest': '0',
      'stale-refs': 'true'
    })
    expect(Object.keys(full).sort()).toEqual(
      [
        'name',
        'keys',
        'refs',
        'olderThanMs',
        'ageBy',
        'largerThan',
        'smallerThan',
        'keepLatest',
        'staleRefs'
      ].sort()
    )
    expect(full).toMatchObject({ largerThan: 0, smallerThan: 2, keepLatest: 0, staleRefs: true })
    expect(rule({ keys: ['a'], 'stale-refs': 'false' })).not.toHaveProperty('staleRefs')
    // not even as undefined
    expect(Object.keys(rule({ keys: ['a'] })).sort()).toEqual(['ageBy', 'keys', 'name'])
  })

  it("takes the event's refs only when the rule has none, and says so in its name", () => {
    const fromEvent = rule({ keys: ['a'] }, closedPull)
    expect(fromEvent.refs?.include).toEqual(['refs/pull/12/merge'])
    expect(fromEvent.name).toBe('from the event')
    const own = rule({ refs: ['dev'] }, closedPull)
    expect(own.refs?.include).toEqual(['refs/heads/dev'])
    expect(own.name).toBe('own')
  })

  it('accepts sizes with room for a whole byte between them, and refuses less', () => {
    expect(rule({ 'larger-than': '1', 'smaller-than': '3' })).toMatchObject({
      largerThan: 1,
      smallerThan: 3
    })
    for (const [larger, smaller] of [
      ['1', '2'],
      ['2', '2'],
      ['3', '2']
    ]) {
      const e = inputError(() => rule({ 'larger-than': larger, 'smaller-than': smaller }))
      expect(e.input).toBe('rule.smaller-than')
      expect(e.message).toContain(
        `Input 'smaller-than': no cache can be larger than ${larger} bytes and smaller than ${smaller} bytes at once`
      )
    }
  })

  it.each<[string, RuleFields, boolean]>([
    ['keep-latest 1', { 'keep-latest': '1' }, false],
    ['stale-refs', { 'stale-refs': 'yes' }, false],
    ['larger-than', { 'larger-than': '0' }, false],
    ['smaller-than', { 'smaller-than': '1MB' }, false],
    ['a max-total-size', {}, true]
  ])('counts %s alone as narrowing', (_what, fields, budgeted) => {
    expect(() => rule(fields, anyEvent, budgeted)).not.toThrow()
  })

  it.each<[string, RuleFields]>([
    ['nothing', {}],
    ['keep-latest 0', { 'keep-latest': '0' }],
    ['stale-refs false', { 'stale-refs': 'false' }],
    ['an age-by', { 'age-by': 'created' }],
    ['empty lists', { keys: [], refs: [] }]
  ])('refuses %s alone as narrowing nothing', (_what, fields) => {
    expect(inputError(() => rule(fields)).input).toBe('rule')
  })

  it('blames each field on its own name', () => {
    for (const [field, value] of [
      ['older-than', 'soon'],
      ['age-by', 'newest'],
      ['larger-than', 'big'],
      ['smaller-than', 'small'],
      ['keep-latest', 'many'],
      ['stale-refs', 'perhaps']
    ] as const) {
      const e = inputError(() => rule({ keys: ['a'], [field]: value }))
      expect(e.input).toBe(`rule.${field}`)
      expect(e.message).toContain(`Input '${field}': '${value}'`)
    }
    expect(inputError(() => rule({ keys: ['[x'] })).input).toBe('rule.keys')
    expect(inputError(() => rule({ refs: ['[x'] })).input).toBe('rule.refs')
  })
})

describe('readRulesDocument: values', () => {
  it('reads numbers as the text they are written as', () => {
    const [r] = readRulesDocument(
      '- larger-than: 10\n  smaller-than: 2000\n  keep-latest: 2\n  older-than: 1d',
      anyEvent
    ).policy.rules
    expect(r).toMatchObject({ largerThan: 10, smallerThan: 2000, keepLatest: 2 })
  })

  it('reads keys and refs one a line, in text or in list items', () => {
    const [r] = readRulesDocument(
      '- keys: "a-*\\n\\n  b-*"\n  refs: ["main\\ndev", tags/v1]',
      anyEvent
    ).policy.rules
    expect(r.keys?.include).toEqual(['a-*', 'b-*'])
    expect(r.refs?.include).toEqual(['refs/heads/main', 'refs/heads/dev', 'refs/heads/tags/v1'])
  })

  it('trims a rule name, and names a rule without one by its number', () => {
    const { policy } = readRulesDocument("- name: '  old  '\n  keys: a\n- keys: b", anyEvent)
    expect(policy.rules.map(r => r.name)).toEqual(['rule 1 (old)', 'rule 2'])
  })

  it("counts the document's max-total-size as narrowing each rule", () => {
    expect(complaint('rules: [{age-by: created}]')).toMatch(/^rule 1 narrows nothing/)
    const { policy } = readRulesDocument(
      'rules: [{age-by: created}]\nmax-total-size: 1GB',
      anyEvent
    )
    expect(policy.maxTotalSize).toBe(2 ** 30)
  })

  it('names the global setting of a bad value', () => {
    expect(complaint('rules: [{keys: a}]\nmax-total-size: lots')).toMatch(
      /^'max-total-size': 'lots' is not a size/
    )
    expect(complaint('rules: [{keys: a}]\nmax-deletions: many')).toMatch(
      /^'max-deletions': 'many' is not a whole number/
    )
  })

  it('words the narrowing complaint with the fields to add', () => {
    expect(complaint('- keys: a\n- name: all\n  age-by: created')).toBe(
      "rule 2 (all) narrows nothing, so it would delete every cache of the repository. Give it keys, refs, older-than, larger-than, smaller-than, keep-latest or stale-refs; to ask for every cache, write keys: '*'"
    )
  })
})

describe('readRulesDocument: preset', () => {
  const made: unknown[] = []
  const presets = {
    recommended: (globals: unknown): Policy => {
      made.push(globals)
      return { rules: [] }
    }
  }

  it('hands the preset its protect, and returns max-deletions beside it', () => {
    made.length = 0
    const doc = readRulesDocument(
      'preset: recommended\nprotect: {keys: k-*}\nmax-deletions: 4',
      anyEvent,
      presets
    )
    expect(doc).toEqual({ policy: { rules: [] }, maxDeletions: 4 })
    expect(made).toHaveLength(1)
    const [{ protect }] = made as [{ protect: { keys?: { include: string[] }; refs?: unknown } }]
    expect(protect.keys?.include).toEqual(['k-*'])
    expect(protect.refs).toBeUndefined()
    expect(readRulesDocument('preset: recommended', anyEvent, presets)).toStrictEqual({
      policy: { rules: [] }
    })
    expect(readRulesDocument('- keys: a', anyEvent)).not.toHaveProperty('maxDeletions')
  })

  it.each([
    ['rules: [{keys: a}]\npreset: recommended', 'rules'],
    ['preset: recommended\nmax-total-size: 1GB', 'max-total-size']
  ])('refuses a preset beside %j', (yaml, _field) => {
    expect(complaint(yaml, presets)).toBe(
      "'preset: recommended' is a whole policy: it takes 'protect' and 'max-deletions' beside it, not 'rules' or 'max-total-size'"
    )
  })

  it('refuses a preset the caller does not offer', () => {
    expect(complaint('preset: recommended')).toBe("'preset: recommended' is not available here")
  })

  it('asks for rules or a preset when the document has neither', () => {
    expect(complaint('protect: {keys: a}')).toBe(
      "has no 'rules'; write a list of rules, or 'rules:' with the list and the global settings (max-total-size, max-deletions, protect) beside it, or 'preset: recommended'"
    )
  })
})

describe('readRulesDocument: the words of a schema complaint', () => {
  it.each([
    ['a null rule', '- null', 'rule 1: must be a mapping, not null'],
    ['a number for a name', '- name: 5\n  keys: a', "rule 1, field 'name': must be text, not 5"],
    [
      'a mapping for a duration',
      '- older-than: {days: 7}',
      "rule 1, field 'older-than': must be text or a number, not a mapping"
    ],
    [
      'a fraction for keep-latest',
      '- keep-latest: 1.5',
      "rule 1, field 'keep-latest': must be a whole number or text, not 1.5"
    ],
    [
      'a list for stale-refs',
      '- stale-refs: [true]',
      "rule 1, field 'stale-refs': must be true or false or text, not a list"
    ],
    ['rules as text', 'rules: all', "'rules': must be a list, not 'all'"],
    [
      'protect as a list',
      'rules: [{keys: a}]\nprotect: [a]',
      "'protect': must be a mapping, not a list"
    ],
    [
      'a bad protect item',
      'rules: [{keys: a}]\nprotect: {refs: [main, 7]}',
      "protect, field 'refs', item 2: must be text, not 7"
    ],
    [
      'an empty protect list',
      'rules: [{keys: a}]\nprotect: {keys: []}',
      "protect, field 'keys': is an empty list; leave the field out, or list at least one pattern"
    ],
    ['an unknown preset', 'preset: thrifty', "'preset': 'thrifty' is not one of 'recommended'"],
    [
      'an unknown setting with no near name',
      'rules: [{keys: a}]\ncolour: red',
      "unknown setting 'colour' (the settings are 'rules', 'preset', 'max-total-size', 'max-deletions', 'protect')"
    ],
    [
      'an unknown protect field with no near name',
      'rules: [{keys: a}]\nprotect: {branches: main}',
      "'protect': unknown field 'branches' (the fields are 'keys', 'refs')"
    ],
    [
      'a long value, cut',
      `- name: ${'x'.repeat(70)}\n  keys: a\n  age-by: ${'y'.repeat(61)}`,
      `rule 1, field 'age-by': '${'y'.repeat(57)}...' is not one of 'last-accessed', 'created'`
    ],
    [
      'a value of exactly 60 characters, whole',
      `- keys: a\n  age-by: ${'y'.repeat(60)}`,
      `rule 1, field 'age-by': '${'y'.repeat(60)}' is not one of 'last-accessed', 'created'`
    ]
  ])('%s', (_what, yaml, message) => {
    expect(complaint(yaml)).toBe(message)
  })

  it('shows at most five complaints and counts the rest', () => {
    const yaml = Array.from({ length: 7 }, (_, i) => `- keys: a\n  bad${i}: x`).join('\n')
    const message = complaint(yaml)
    expect(message.split('; ').filter(m => m.includes('unknown field'))).toHaveLength(5)
    expect(message.endsWith('; and 2 more')).toBe(true)
  })

  it('says each complaint once', () => {
    expect(complaint('- keys: a\n  colour: red')).toBe(
      "rule 1: unknown field 'colour' (the fields are 'name', 'keys', 'refs', 'older-than', 'age-by', 'larger-than', 'smaller-than', 'keep-latest', 'stale-refs')"
    )
  })

  it('reads an escaped slash in a field name back', () => {
    expect(complaint('- keys: a\n  "a/b": 1')).toBe(
      "rule 1: unknown field 'a/b' (the fields are 'name', 'keys', 'refs', 'older-than', 'age-by', 'larger-than', 'smaller-than', 'keep-latest', 'stale-refs')"
    )
  })
})

describe('readRulesDocument: the YAML', () => {
  it.each([
    [
      'a number',
      '42',
      "must be a YAML list of rules, or a mapping with 'rules:' and the global settings, not 42"
    ],
    [
      'text',
      'hello',
      "must be a YAML list of rules, or a mapping with 'rules:' and the global settings, not 'hello'"
    ],
    [
      'an explicit null',
      '~',
      "is empty; write a list of rules, like '- keys: node-*' with 'older-than: 7d'"
    ],
    [
      'a blank document',
      '   \n',
      "is empty; write a list of rules, like '- keys: node-*' with 'older-than: 7d'"
    ]
  ])('refuses %s', (_what, yaml, message) => {
    expect(complaint(yaml)).toBe(message)
  })

  it('names the first YAML error on one line, without a trailing colon', () => {
    const message = complaint('- keys: [a, b')
    expect(message.startsWith('is not valid YAML: ')).toBe(true)
    expect(message).not.toContain('\n')
    expect(message).not.toMatch(/:\s*$/)
  })

  it('refuses a document that expands aliases without end', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 6 }, (_, i) => {
        const prev = i === 0 ? 'a' : `l${i - 1}`
        return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`
      })
    ].join('\n')
    expect(complaint(bomb)).toMatch(/^is not valid YAML: /)
  })
})

describe('readRulesDocument: what only a slip would change', () => {
  it('guesses a field written with other case, spaces, underscores and a typo', () => {
    // each of trim, lower case and folding a run of _ or space into one -
    // is needed to come within two edits of the name
    expect(didYouMean('  MAX__TOTAL__SISE ', GLOBAL_FIELDS)).toBe('max-total-size')
    expect(didYouMean('max total sise', GLOBAL_FIELDS)).toBe('max-total-size')
    expect(didYouMean('maxtotalsise', GLOBAL_FIELDS)).toBeUndefined()
  })

  it('holds key patterns, in a rule and in protect, to the length of a cache key', () => {
    const long = 'k'.repeat(513)
    const shown = `${'k'.repeat(60)}...`
    expect(complaint(`- keys: ${long}`)).toBe(
      `rule 1, field 'keys': pattern '${shown}' is longer than 512 characters (a cache key has at most 512)`
    )
    expect(complaint(`rules: [{refs: main}]\nprotect: {keys: ${long}}`)).toBe(
      `protect, field 'keys': pattern '${shown}' is longer than 512 characters (a cache key has at most 512)`
    )
    // a ref pattern may be that long
    expect(readRulesDocument(`- refs: ${long}`, anyEvent).policy.rules).toHaveLength(1)
  })

  // The reader's two edges that the real YAML parser and schema never reach,
  // through an implementation of its own RulesSyntax interface.
  const syntax = (value: unknown, errors: readonly ErrorObject[] = []): RulesSyntax => ({
    readYaml: () => ({ value }),
    validate: () => errors
  })
  const refusal = (s: RulesSyntax): string =>
    inputError(() => readRulesDocumentWith('x', anyEvent, s)).message.slice(
      "Input 'rules': ".length
    )

  it('calls a document with no value empty', () => {
    expect(refusal(syntax(undefined))).toBe(
      "is empty; write a list of rules, like '- keys: node-*' with 'older-than: 7d'"
    )
  })

  it("words a schema complaint it has no words for by the validator's message, or says it is not valid", () => {
    const error = (message?: string): ErrorObject => ({
      keyword: 'maximum',
      instancePath: '/max-deletions',
      schemaPath: '#/properties/max-deletions/maximum',
      params: {},
      ...(message !== undefined ? { message } : {})
    })
    expect(refusal(syntax({}, [error('must be <= 5')]))).toBe("'max-deletions': must be <= 5")
    expect(refusal(syntax({}, [error()]))).toBe("'max-deletions': is not valid")
  })
})
