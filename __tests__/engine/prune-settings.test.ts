// readSettings: a prune's inputs, as the runner hands them over (action.yml's
// defaults filled in), into one frozen Settings. Each test states one thing a
// reader could get wrong: a default, a cap, what counts as "set", which error.
import type { EventScope } from '../../src/engine/event.js'
import { Input, INPUTS, type InputName } from '../../src/engine/inputs.js'
import { readSettings as readSettingsWith } from '../../src/engine/prune-settings.js'
import { rulesSyntax } from '../../src/engine/rules-syntax.js'
import { inputError } from '../support/input-error.js'

/** readSettings with the YAML parser and schema validator the action loads for `rules`. */
const readSettings = (
  get: Parameters<typeof readSettingsWith>[0],
  scope: Parameters<typeof readSettingsWith>[1]
): ReturnType<typeof readSettingsWith> => readSettingsWith(get, scope, rulesSyntax)

const anyEvent: EventScope = { description: 'schedule: every ref', readOnlyToken: false }
const closedPull: EventScope = {
  refs: ['refs/pull/12/merge'],
  description: 'pull request #12 was closed',
  readOnlyToken: false,
  pullRequest: 12
}

/** The inputs as the runner gives them: action.yml's default for each one not set. */
function inputs(values: Partial<Record<InputName, string>>) {
  const filled: Partial<Record<InputName, string>> = { token: 't', repository: 'o/r' }
  return (name: InputName): string =>
    values[name] ??
    filled[name] ??
    (INPUTS[name].default.includes('${{') ? '' : INPUTS[name].default)
}

const settings = (values: Partial<Record<InputName, string>>, scope = anyEvent) =>
  readSettings(inputs({ keys: 'a-*', ...values }), scope)

describe('readSettings: the defaults', () => {
  it('reads a plain prune with every default, and freezes it', () => {
    const s = settings({})
    expect(s).toMatchObject({
      token: 't',
      repo: { owner: 'o', repo: 'r' },
      scope: anyEvent,
      dryRun: false,
      deleteByKey: false,
      reserve: 100,
      deletesPerMinute: 150
    })
    for (const unset of ['repoPattern', 'maxDeletions', 'deadlineMs'])
      expect(s).not.toHaveProperty(unset)
    expect(Object.isFrozen(s)).toBe(true)
    expect(s.policy.rules).toHaveLength(1)
    expect(s.policy.rules[0]).toMatchObject({ name: 'inputs', ageBy: 'last-accessed' })
    expect(s.policy).not.toHaveProperty('maxTotalSize')
  })

  it('reads what is set', () => {
    const s = settings({
      [Input.DryRun]: 'true',
      [Input.DeleteByKey]: 'yes',
      [Input.RateLimitReserve]: '7',
      [Input.Deadline]: '30m',
      [Input.DeletesPerMinute]: '180',
      [Input.MaxDeletions]: '25',
      [Input.MaxTotalSize]: '1KB',
      [Input.AgeBy]: 'Created'
    })
    expect(s).toMatchObject({
      dryRun: true,
      deleteByKey: true,
      reserve: 7,
      deadlineMs: 30 * 60_000,
      deletesPerMinute: 180,
      maxDeletions: 25
    })
    expect(s.policy.maxTotalSize).toBe(1024)
    expect(s.policy.rules[0].ageBy).toBe('created')
  })

  it('refuses an empty token, naming the input', () => {
    expect(inputError(() => settings({ [Input.Token]: ' ' })).input).toBe('token')
  })
})

describe('readSettings: the caps', () => {
  it.each([
    [Input.MaxDeletions, '0', 'must be at least 1'],
    [Input.DeletesPerMinute, '181', "above GitHub's ceiling of 180"],
    [Input.DeletesPerMinute, '0', 'at least 1'],
    [Input.Deadline, '0s', 'longer than zero'],
    [Input.RateLimitReserve, '-1', 'not a whole number']
  ])('refuses %s %s', (name, value, message) => {
    const e = inputError(() => settings({ [name]: value }))
    expect(e.input).toBe(name)
    expect(e.message).toContain(message)
  })
})

describe('readSettings: the repository', () => {
  it.each([
    ['o/*', '*'],
    ['o/svc-*\n!o/svc-old', 'svc-*'],
    ['!o/svc-old\no/svc-*', 'svc-*'],
    ['o/a\no/b', 'a']
  ])('keeps the pattern %j and names its first included line in repo', (text, name) => {
    const s = settings({ [Input.Repository]: text })
    expect(s.repo).toEqual({ owner: 'o', repo: name })
    expect(s.repoPattern?.lines).toEqual(text.split('\n'))
  })

  it("gives one repository's rules the event's refs, and the settings the event itself", () => {
    const s = readSettings(inputs({}), closedPull)
    expect(s.policy.rules[0].refs?.include).toEqual(['refs/pull/12/merge'])
    expect(s.policy.rules[0].name).toBe('pull request #12 was closed')
    expect(s.scope).toBe(closedPull)
  })

  it("gives an organization's rules no event refs, but keeps the event in the settings", () => {
    const s = readSettings(
      inputs({ [Input.Repository]: 'o/*', [Input.OlderThan]: '1d' }),
      closedPull
    )
    expect(s.policy.rules[0].refs).toBeUndefined()
    expect(s.policy.rules[0].name).toBe('inputs')
    expect(s.scope).toBe(closedPull)
  })
})

describe('readSettings: the flat policy', () => {
  it('reads each field into one rule, keys and refs one a line', () => {
    const s = settings({
      [Input.Keys]: 'a-*\n\n b-* ',
      [Input.Refs]: 'main\nfeature/*',
      [Input.OlderThan]: '2d',
      [Input.LargerThan]: '1KB',
      [Input.SmallerThan]: '1MB',
      [Input.KeepLatest]: '3',
      [Input.StaleRefs]: 'true'
    })
    const [rule] = s.policy.rules
    expect(rule.keys?.include).toEqual(['a-*', 'b-*'])
    expect(rule.refs?.include).toEqual(['refs/heads/main', 'refs/heads/feature/*'])
    expect(rule).toMatchObject({
      olderThanMs: 2 * 86_400_000,
      largerThan: 1024,
      smallerThan: 2 ** 20,
      keepLatest: 3,
      staleRefs: true
    })
  })

  it("blames a bad value on the input itself, not on 'rules'", () => {
    const e = inputError(() => settings({ [Input.OlderThan]: '7' }))
    expect(e.input).toBe('older-than')
    expect(e.message).toBe(
      "Input 'older-than': '7' has no unit; write it like '7d' (units: s (seconds), m (minutes), h (hours), d (days), w (weeks))"
    )
  })

  it('refuses a policy that narrows nothing, on keys', () => {
    const e = inputError(() => readSettings(inputs({}), anyEvent))
    expect(e.input).toBe('keys')
    expect(e.message).toContain('nothing narrows the selection')
  })

  it('takes max-total-size alone as narrowing', () => {
    const s = readSettings(inputs({ [Input.MaxTotalSize]: '2GB' }), anyEvent)
    expect(s.policy.maxTotalSize).toBe(2 * 2 ** 30)
    expect(s.policy.rules[0].name).toBe('inputs')
  })
})

describe('readSettings: policy: recommended', () => {
  it('reads the named policy, in any case, with max-deletions beside it', () => {
    const s = readSettings(
      inputs({ [Input.Policy]: 'Recommended', [Input.MaxDeletions]: '40' }),
      anyEvent
    )
    expect(s.policy.preset?.name).toBe('recommended')
    expect(s.maxDeletions).toBe(40)
    expect(readSettings(inputs({ [Input.Policy]: 'recommended' }), anyEvent)).not.toHaveProperty(
      'maxDeletions'
    )
  })

  it("ignores the inputs left at action.yml's defaults, however they are written", () => {
    for (const [name, value] of [
      [Input.AgeBy, 'last-accessed'],
      [Input.StaleRefs, 'false'],
      [Input.StaleRefs, 'No'],
      [Input.StaleRefs, '0'],
      [Input.Keys, '  ']
    ] as const) {
      const s = readSettings(inputs({ [Input.Policy]: 'recommended', [name]: value }), anyEvent)
      expect(s.policy.preset?.name).toBe('recommended')
    }
  })

  it.each([
    [Input.Keys, 'a'],
    [Input.AgeBy, 'created'],
    [Input.StaleRefs, 'yes'],
    [Input.MaxTotalSize, '1GB'],
    [Input.Rules, '- keys: a']
  ])('refuses it beside %s, naming that input', (name, value) => {
    const e = inputError(() =>
      readSettings(inputs({ [Input.Policy]: 'recommended', [name]: value }), anyEvent)
    )
    expect(e.input).toBe('policy')
    expect(e.message).toContain(`combined with the input '${name}'`)
  })

  it('refuses an unknown named policy', () => {
    const e = inputError(() => readSettings(inputs({ [Input.Policy]: 'aggressive' }), anyEvent))
    expect(e.input).toBe('policy')
  })
})

describe('readSettings: rules', () => {
  it('accepts rules beside flat inputs left at their defaults, however they are written', () => {
    for (const [name, value] of [
      [Input.AgeBy, 'last-accessed'],
      [Input.StaleRefs, 'NO'],
      [Input.Keys, '']
    ] as const) {
      const s = readSettings(inputs({ [Input.Rules]: '- keys: z', [name]: value }), anyEvent)
      expect(s.policy.rules[0].keys?.include).toEqual(['z'])
    }
  })

  it('reads blank rules as no rules: the flat inputs apply', () => {
    const s = readSettings(inputs({ [Input.Rules]: ' \n ', [Input.Keys]: 'k' }), anyEvent)
    expect(s.policy.rules[0]).toMatchObject({ name: 'inputs' })
  })

  it("offers the recommended policy to a document's preset, with its protect", () => {
    const s = readSettings(
      inputs({ [Input.Rules]: 'preset: recommended\nprotect: {refs: main}\nmax-deletions: 3' }),
      anyEvent
    )
    expect(s.policy.preset?.name).toBe('recommended')
    expect(s.policy.protect?.refs?.matches('refs/heads/main')).toBe(true)
    expect(s.maxDeletions).toBe(3)
  })

  it('sets no max-deletions when neither the document nor the input does', () => {
    expect(readSettings(inputs({ [Input.Rules]: '- keys: a' }), anyEvent)).not.toHaveProperty(
      'maxDeletions'
    )
  })

  it('says how to move a flat input into the document', () => {
    const e = inputError(() =>
      readSettings(inputs({ [Input.Rules]: '- keys: a', [Input.KeepLatest]: '2' }), anyEvent)
    )
    expect(e.message).toContain(
      "cannot be combined with the input 'keep-latest': with 'rules', write 'keep-latest' in the rules document"
    )
  })
})

describe('readSettings: what only a slip would change', () => {
  it('reads an empty dry-run and delete-by-key as false', () => {
    const s = settings({ [Input.DryRun]: '', [Input.DeleteByKey]: '' })
    expect(s.dryRun).toBe(false)
    expect(s.deleteByKey).toBe(false)
  })

  it('counts an empty age-by or stale-refs as not set, beside rules or a named policy', () => {
    for (const name of [Input.AgeBy, Input.StaleRefs]) {
      const withRules = readSettings(inputs({ [Input.Rules]: '- keys: z', [name]: '' }), anyEvent)
      expect(withRules.policy.rules[0].keys?.include).toEqual(['z'])
      const named = readSettings(inputs({ [Input.Policy]: 'recommended', [name]: '' }), anyEvent)
      expect(named.policy.preset?.name).toBe('recommended')
    }
  })

  it("reads 'no' and '0' as unset only for stale-refs, not for other inputs", () => {
    for (const value of ['no', '0', 'false']) {
      const e = inputError(() =>
        readSettings(inputs({ [Input.Rules]: '- keys: z', [Input.OlderThan]: value }), anyEvent)
      )
      expect(e.input).toBe('rules')
      expect(e.message).toContain("combined with the input 'older-than'")
    }
  })

  it('refuses max-deletions in both the document and the input', () => {
    const e = inputError(() =>
      readSettings(
        inputs({
          [Input.Rules]: 'rules: [{keys: a}]\nmax-deletions: 2',
          [Input.MaxDeletions]: '3'
        }),
        anyEvent
      )
    )
    expect(e.input).toBe('rules')
    expect(e.message).toContain(
      "sets 'max-deletions', and so does the input 'max-deletions'; keep only one of them"
    )
    const fromInput = readSettings(
      inputs({ [Input.Rules]: '- keys: a', [Input.MaxDeletions]: '3' }),
      anyEvent
    )
    expect(fromInput.maxDeletions).toBe(3)
  })

  it('is a programming error, not an input error, to read rules without a RulesSyntax', () => {
    const read = () => readSettingsWith(inputs({ [Input.Rules]: '- keys: a' }), anyEvent)
    expect(read).toThrow("readSettings: the 'rules' input is set but no RulesSyntax was given")
    expect(read).toThrow(expect.not.objectContaining({ input: 'rules' }))
  })
})
