// Fuzzing every input: whatever a user types, reading the inputs either gives
// settings or throws an InputError that names an input. readSettings is pure
// (no client exists yet when it runs), so bad input can never reach the API.
import fc from 'fast-check'
import { InputError } from '../../src/engine/errors.js'
import { Input, type InputName } from '../../src/engine/inputs.js'
import { readSettings } from '../../src/engine/prune-settings.js'
import { rulesSyntax } from '../../src/engine/rules-syntax.js'

const names = Object.values(Input).filter(n => n !== Input.Command)
const scope = { description: 'test', readOnlyToken: false }
const valueArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '7d',
    '7',
    '-1',
    '1.5GiB',
    '0',
    'true',
    'maybe',
    '*',
    '!x',
    '[a',
    '{a,b}',
    'o/r',
    '9'.repeat(30)
  ),
  fc
    .array(fc.constantFrom('a*', '!b', 'refs/heads/x', '\\', '[', '{', '}', '?'), { maxLength: 4 })
    .map(a => a.join('\n'))
)

describe('readSettings under fuzzing', () => {
  it('returns settings or throws an InputError naming a real input, nothing else', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), valueArb), values => {
        const get = (name: InputName): string =>
          values[name] ?? (name === Input.Token ? 't' : name === Input.Repository ? 'o/r' : '')
        try {
          const settings = readSettings(get, scope, rulesSyntax)
          expect(settings.policy.rules.length).toBeGreaterThan(0)
        } catch (error) {
          if (!(error instanceof InputError)) throw error
          expect((names as string[]).includes(error.input) || error.input === 'rules').toBe(true)
          expect(error.message).toContain(`'${error.input}'`)
        }
      }),
      { numRuns: 400 }
    )
  })
})
