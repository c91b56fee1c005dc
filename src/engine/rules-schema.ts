// The JSON schema of the `rules` input, after its YAML is read. A bare list of
// rules is shorthand for `{ rules: [...] }`, so the schema describes the
// mapping form only. The schema checks shapes (which fields, which types);
// the values are then read by the same parsers as the flat inputs, so a bad
// duration, size or glob gets the same message in both places.

/** The fields of one rule, in the order the docs list them. */
export const RULE_FIELDS = [
  'name',
  'keys',
  'refs',
  'older-than',
  'age-by',
  'larger-than',
  'smaller-than',
  'keep-latest',
  'stale-refs'
] as const

/** The settings beside `rules`. */
export const GLOBAL_FIELDS = [
  'rules',
  'preset',
  'max-total-size',
  'max-deletions',
  'protect'
] as const

export const PROTECT_FIELDS = ['keys', 'refs'] as const

const patterns = {
  type: ['string', 'array'],
  items: { type: 'string' },
  minItems: 1
} as const

const text = { type: ['string', 'number'] } as const

const count = { type: ['integer', 'string'] } as const

const RULE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    keys: patterns,
    refs: patterns,
    'older-than': text,
    'age-by': { type: 'string', enum: ['last-accessed', 'created'] },
    'larger-than': text,
    'smaller-than': text,
    'keep-latest': count,
    'stale-refs': { type: ['boolean', 'string'] }
  }
} as const

export const POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: { type: 'array', minItems: 1, items: RULE_SCHEMA },
    // a named policy instead of rules (policy: recommended, as a document)
    preset: { type: 'string', enum: ['recommended'] },
    'max-total-size': text,
    'max-deletions': count,
    protect: {
      type: 'object',
      additionalProperties: false,
      properties: { keys: patterns, refs: patterns }
    }
  }
} as const
