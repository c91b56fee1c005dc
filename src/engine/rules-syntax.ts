// The two libraries the `rules` input needs and no other run does: the YAML
// parser and the JSON-schema validator. Kept apart from rules.ts so that a run
// without `rules` never loads them: the command that reads a prune's inputs
// imports this module with a dynamic import() only when `rules` is set, and
// hands the result to readSettings. Pure, like the rest of the engine.

import { Ajv, type ValidateFunction } from 'ajv'
import { parseDocument } from 'yaml'
import type { RulesSyntax, YamlResult } from './rules.js'
import { POLICY_SCHEMA } from './rules-schema.js'

function readYaml(text: string): YamlResult {
  let doc
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true })
  } catch (error) {
    return { error: (error as Error).message }
  }
  if (doc.errors.length > 0) {
    return { error: doc.errors[0].message.split('\n')[0].replace(/:\s*$/, '') }
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) as unknown }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

// Compiled on first use, once per process.
let compiled: ValidateFunction | undefined
const policyValidator = (): ValidateFunction =>
  (compiled ??= new Ajv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    verbose: true
  }).compile(POLICY_SCHEMA))

/** The YAML parser and the policy schema's validator, for readRulesDocument. */
export const rulesSyntax: RulesSyntax = {
  readYaml,
  validate(value) {
    const validate = policyValidator()
    return validate(value) ? [] : (validate.errors ?? [])
  }
}
