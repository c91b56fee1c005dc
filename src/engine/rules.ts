// Building the policy. One builder for both ways of writing it: the flat
// inputs are one rule's fields (inputs.ts maps them), and the `rules` input is
// a YAML document of several rules with global settings beside them. Either
// way every field goes through the same parsers, so the engine sees one kind
// of Policy and a mistake gets one kind of message. Pure: no I/O, every
// mistake an InputError raised before any request. The YAML parser and the
// schema validator are not imported here: they come in as a RulesSyntax
// (rules-syntax.ts), loaded only by runs that have a `rules` document.

import type { ErrorObject } from 'ajv'
import { InputError } from './errors.js'
import type { EventScope } from './event.js'
import {
  parseBoolean,
  parseChoice,
  parseCount,
  parseDuration,
  parseLines,
  parseSize
} from './parse.js'
import { compilePatterns, type Matcher } from './patterns.js'
import type { AgeBy, Policy, Rule } from './policy.js'
import { GLOBAL_FIELDS, PROTECT_FIELDS, RULE_FIELDS } from './rules-schema.js'
import { nearest } from './suggest.js'

type RuleField = (typeof RULE_FIELDS)[number]

/** One rule's fields as text, the way the flat inputs give them. Empty: unset. */
export interface RuleFields {
  readonly keys?: readonly string[]
  readonly refs?: readonly string[]
  readonly 'older-than'?: string
  readonly 'age-by'?: string
  readonly 'larger-than'?: string
  readonly 'smaller-than'?: string
  readonly 'keep-latest'?: string
  readonly 'stale-refs'?: string
}

/** Where a rule came from: how its mistakes are worded and what it is called. */
export interface RuleSource {
  /** the error for a bad value, from the parser's (which names the field) */
  blame(field: RuleField, error: InputError): InputError
  /** the error for a rule that would select every cache */
  narrowsNothing(): InputError
  /** eventRefs: the event's refs stand in for the rule's missing `refs` */
  name(eventRefs: boolean): string
}

const AGE_BY: readonly AgeBy[] = ['last-accessed', 'created']

/** The text after "Input 'x': " of an InputError. */
const reason = (e: InputError): string => e.message.slice(`Input '${e.input}': `.length)

function blamed<T>(source: RuleSource, field: RuleField, read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof InputError) throw source.blame(field, error)
    throw error
  }
}

/**
 * One Rule from its fields. A rule without `refs` takes the event's refs (a
 * closed pull request, a deleted branch or tag), if the event gives any.
 * `budgeted`: the policy has a max-total-size, which narrows by itself.
 */
export function buildRule(
  fields: RuleFields,
  source: RuleSource,
  scope: EventScope,
  budgeted: boolean
): Rule {
  const read = <T>(field: RuleField, f: (field: RuleField) => T): T =>
    blamed(source, field, () => f(field))
  const keys = read('keys', f => compilePatterns(fields.keys ?? [], 'key', f))
  const ownRefs = read('refs', f => compilePatterns(fields.refs ?? [], 'ref', f))
  const eventRefs = ownRefs === undefined && scope.refs !== undefined
  const refs = eventRefs ? read('refs', f => compilePatterns(scope.refs ?? [], 'ref', f)) : ownRefs
  const olderThanMs = read('older-than', f => parseDuration(fields['older-than'] ?? '', f))
  const ageBy = read('age-by', f => parseChoice(fields['age-by'] ?? '', f, AGE_BY, 'last-accessed'))
  const largerThan = read('larger-than', f => parseSize(fields['larger-than'] ?? '', f))
  const smallerThan = read('smaller-than', f => parseSize(fields['smaller-than'] ?? '', f))
  const keepLatest = read('keep-latest', f => parseCount(fields['keep-latest'] ?? '', f))
  const staleRefs = read('stale-refs', f => parseBoolean(fields['stale-refs'] ?? '', f, false))

  if (largerThan !== undefined && smallerThan !== undefined && largerThan >= smallerThan - 1) {
    throw source.blame(
      'smaller-than',
      new InputError(
        'smaller-than',
        `no cache can be larger than ${largerThan} bytes and smaller than ${smallerThan} bytes at once`
      )
    )
  }
  const narrowed =
    keys !== undefined ||
    refs !== undefined ||
    olderThanMs !== undefined ||
    largerThan !== undefined ||
    smallerThan !== undefined ||
    budgeted ||
    (keepLatest ?? 0) > 0 ||
    staleRefs
  if (!narrowed) throw source.narrowsNothing()

  return {
    name: source.name(eventRefs),
    ...(keys ? { keys } : {}),
    ...(refs ? { refs } : {}),
    ...(olderThanMs !== undefined ? { olderThanMs } : {}),
    ageBy,
    ...(largerThan !== undefined ? { largerThan } : {}),
    ...(smallerThan !== undefined ? { smallerThan } : {}),
    ...(keepLatest !== undefined ? { keepLatest } : {}),
    ...(staleRefs ? { staleRefs } : {})
  }
}

export interface PolicyGlobals {
  readonly maxTotalSize?: number
  readonly protect?: { readonly keys?: Matcher; readonly refs?: Matcher }
}

export function buildPolicy(rules: readonly Rule[], globals: PolicyGlobals = {}): Policy {
  const protect =
    globals.protect && (globals.protect.keys || globals.protect.refs)
      ? {
          ...(globals.protect.keys ? { keys: globals.protect.keys } : {}),
          ...(globals.protect.refs ? { refs: globals.protect.refs } : {})
        }
      : undefined
  return {
    rules,
    ...(protect ? { protect } : {}),
    ...(globals.maxTotalSize !== undefined ? { maxTotalSize: globals.maxTotalSize } : {})
  }
}

// ---------------------------------------------------------------------------
// The `rules` input

const RULES_INPUT = 'rules'

const fail = (message: string): InputError => new InputError(RULES_INPUT, message)

/** `rule 2` or `rule 2 (old PR caches)` */
export const ruleLabel = (index: number, name?: string): string =>
  `rule ${index + 1}${name ? ` (${name})` : ''}`

/** The known field a mistyped one most likely means, if any. */
export function didYouMean(unknown: string, known: readonly string[]): string | undefined {
  const folded = unknown
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, '-')
  return nearest(folded, known, 2)
}

/** A YAML document's value, or the parser's first error (its first line). */
export type YamlResult = { readonly value: unknown } | { readonly error: string }

/**
 * What reading a `rules` document needs beyond the engine: a YAML parser and
 * the validator of POLICY_SCHEMA. Passed in, so that the libraries load only
 * when a run has a document (rules-syntax.ts has the real ones).
 */
export interface RulesSyntax {
  readYaml(text: string): YamlResult
  /** the schema's errors for `value`; none: valid */
  validate(value: unknown): readonly ErrorObject[]
}

function show(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string')
    return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`
  return String(value)
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'empty'
}

function describeTypes(type: unknown): string {
  const types = Array.isArray(type) ? type : [type]
  if (types.includes('array') && types.includes('string')) return 'a pattern or a list of patterns'
  return types.map(t => TYPE_WORDS[String(t)] ?? String(t)).join(' or ')
}

/** Where in the document a schema error is, in the words of the messages. */
function place(path: readonly string[]): { where: string; list: readonly string[] } {
  const [first, second, third, fourth] = path
  if (first === undefined) return { where: 'the document', list: GLOBAL_FIELDS }
  if (first === 'rules') {
    if (second === undefined) return { where: "'rules'", list: RULE_FIELDS }
    const rule = `rule ${Number(second) + 1}`
    if (third === undefined) return { where: rule, list: RULE_FIELDS }
    const item = fourth !== undefined ? `, item ${Number(fourth) + 1}` : ''
    return { where: `${rule}, field '${third}'${item}`, list: RULE_FIELDS }
  }
  if (first === 'protect') {
    if (second === undefined) return { where: "'protect'", list: PROTECT_FIELDS }
    const item = third !== undefined ? `, item ${Number(third) + 1}` : ''
    return { where: `protect, field '${second}'${item}`, list: PROTECT_FIELDS }
  }
  return { where: `'${first}'`, list: GLOBAL_FIELDS }
}

function explain(e: ErrorObject): string {
  // The schema's own names, and list indexes: none needs a pointer's ~0 or ~1
  // undone (an unknown name is a parameter of its parent's error, not a path).
  const path = e.instancePath.split('/').slice(1)
  const { where, list } = place(path)
  switch (e.keyword) {
    case 'additionalProperties': {
      const unknown = String((e.params as { additionalProperty: string }).additionalProperty)
      const guess = didYouMean(unknown, list)
      const hint = guess
        ? `did you mean '${guess}'?`
        : `the ${where === 'the document' ? 'settings' : 'fields'} are ${list.map(f => `'${f}'`).join(', ')}`
      const what = where === 'the document' ? 'setting' : 'field'
      return `${where === 'the document' ? '' : `${where}: `}unknown ${what} '${unknown}' (${hint})`
    }
    case 'minItems':
      return path.length === 1 && path[0] === 'rules'
        ? "has no rules; give at least one, for example '- keys: node-*' with 'older-than: 7d' under it"
        : `${where}: is an empty list; leave the field out, or list at least one pattern`
    case 'type':
      return `${where}: must be ${describeTypes((e.params as { type: unknown }).type)}, not ${show(e.data)}`
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues
      return `${where}: ${show(e.data)} is not one of ${allowed.map(a => `'${String(a)}'`).join(', ')}`
    }
    case 'minLength':
      return `${where}: must not be empty`
    default:
      return `${where}: ${e.message ?? 'is not valid'}`
  }
}

/** Reads the YAML; a bare list is shorthand for `{ rules: [...] }`. */
function readYaml(text: string, syntax: RulesSyntax): unknown {
  const read = syntax.readYaml(text)
  if ('error' in read) throw fail(`is not valid YAML: ${read.error}`)
  const { value } = read
  if (value === null || value === undefined) {
    throw fail("is empty; write a list of rules, like '- keys: node-*' with 'older-than: 7d'")
  }
  if (Array.isArray(value)) return { rules: value }
  if (typeof value !== 'object') {
    throw fail(
      `must be a YAML list of rules, or a mapping with 'rules:' and the global settings, not ${show(value)}`
    )
  }
  return value
}

const asText = (v: unknown): string | undefined => (v === undefined ? undefined : String(v))

const asLines = (v: unknown): string[] | undefined =>
  v === undefined
    ? undefined
    : typeof v === 'string'
      ? parseLines(v)
      : (v as string[]).flatMap(item => parseLines(item))

type RawRule = Readonly<Record<string, unknown>>

function ruleSource(index: number, name: string | undefined): RuleSource {
  const label = ruleLabel(index, name)
  return {
    blame: (field, error) => fail(`${label}, field '${field}': ${reason(error)}`),
    narrowsNothing: () =>
      fail(
        `${label} narrows nothing, so it would delete every cache of the repository. Give it keys, refs, older-than, larger-than, smaller-than, keep-latest or stale-refs; to ask for every cache, write keys: '*'`
      ),
    name: () => label
  }
}

export interface RulesDocument {
  readonly policy: Policy
  readonly maxDeletions?: number
}

/** Named policies a document may ask for with `preset:`, given the document's `protect`. */
export type Presets = Readonly<Record<string, (globals: Pick<PolicyGlobals, 'protect'>) => Policy>>

/**
 * Parses and validates the `rules` input into a Policy (and the run's
 * max-deletions, if the document sets it). Every mistake is an InputError on
 * 'rules' that points at the rule and the field.
 */
export function readRulesDocument(
  text: string,
  scope: EventScope,
  syntax: RulesSyntax,
  presets: Presets = {}
): RulesDocument {
  const value = readYaml(text, syntax)
  const errors = syntax.validate(value)
  if (errors.length > 0) {
    const messages = [...new Set(errors.map(explain))]
    const shown = messages.slice(0, 5)
    const more =
      messages.length > shown.length ? `; and ${messages.length - shown.length} more` : ''
    throw fail(shown.join('; ') + more)
  }
  const doc = value as unknown as Readonly<Record<string, unknown>>
  const global = (
    field: string,
    read: (input: string) => number | undefined
  ): number | undefined => {
    try {
      return read(field)
    } catch (error) {
      if (error instanceof InputError) throw fail(`'${field}': ${reason(error)}`)
      throw error
    }
  }
  const maxTotalSize = global('max-total-size', f => parseSize(asText(doc[f]) ?? '', f))
  const maxDeletions = global('max-deletions', f => parseCount(asText(doc[f]) ?? '', f, { min: 1 }))
  const protectRaw = (doc.protect ?? {}) as RawRule
  const protectPatterns = (field: 'keys' | 'refs'): Matcher | undefined => {
    try {
      return compilePatterns(
        asLines(protectRaw[field]) ?? [],
        field === 'keys' ? 'key' : 'ref',
        field
      )
    } catch (error) {
      if (error instanceof InputError) throw fail(`protect, field '${field}': ${reason(error)}`)
      throw error
    }
  }
  const protect = { keys: protectPatterns('keys'), refs: protectPatterns('refs') }

  if (doc.preset !== undefined) {
    if (doc.rules !== undefined || maxTotalSize !== undefined) {
      throw fail(
        `'preset: ${String(doc.preset)}' is a whole policy: it takes 'protect' and 'max-deletions' beside it, not 'rules' or 'max-total-size'`
      )
    }
    const preset = presets[String(doc.preset)]
    if (!preset) throw fail(`'preset: ${String(doc.preset)}' is not available here`)
    return {
      policy: preset({ protect }),
      ...(maxDeletions !== undefined ? { maxDeletions } : {})
    }
  }
  if (doc.rules === undefined) {
    throw fail(
      "has no 'rules'; write a list of rules, or 'rules:' with the list and the global settings (max-total-size, max-deletions, protect) beside it, or 'preset: recommended'"
    )
  }

  const rules = (doc.rules as RawRule[]).map((raw, i) => {
    const fields: RuleFields = {
      keys: asLines(raw.keys),
      refs: asLines(raw.refs),
      'older-than': asText(raw['older-than']),
      'age-by': asText(raw['age-by']),
      'larger-than': asText(raw['larger-than']),
      'smaller-than': asText(raw['smaller-than']),
      'keep-latest': asText(raw['keep-latest']),
      'stale-refs': asText(raw['stale-refs'])
    }
    const name = typeof raw.name === 'string' ? raw.name.trim() : undefined
    return buildRule(fields, ruleSource(i, name), scope, maxTotalSize !== undefined)
  })
  return {
    policy: buildPolicy(rules, { maxTotalSize, protect }),
    ...(maxDeletions !== undefined ? { maxDeletions } : {})
  }
}
