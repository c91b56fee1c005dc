// Cache limits as rules: which settings exist where, validation of requested
// values (table-driven) and planning against the current values.
import { InputError } from '../../src/engine/errors.js'
import {
  planLimits,
  settingsFor,
  validateLimitRequest,
  type LimitRequestText
} from '../../src/engine/limits.js'
import type { AdminTarget } from '../../src/engine/targets.js'

const repo: AdminTarget = { kind: 'repo', owner: 'o', repo: 'r' }
const org: AdminTarget = { kind: 'org', org: 'o' }
const ent: AdminTarget = { kind: 'enterprise', enterprise: 'e' }

const text = (t: Partial<LimitRequestText>): LimitRequestText => ({
  'retention-days': '',
  'size-limit-gb': '',
  'max-size-limit-gb': '',
  ...t
})

describe('settingsFor', () => {
  it.each([
    [repo, 'github.com', ['retention-days', 'size-limit-gb']],
    [org, 'github.com', ['retention-days', 'size-limit-gb']],
    [ent, 'github.com', ['retention-days', 'size-limit-gb']],
    [repo, 'ghes', ['size-limit-gb']],
    [org, 'ghes', []],
    [ent, 'ghes', ['size-limit-gb', 'max-size-limit-gb']]
  ] as const)('%j on %s', (target, family, settings) => {
    expect(settingsFor(target, family)).toEqual(settings)
  })
})

describe('validateLimitRequest', () => {
  it.each([
    ['nothing asked', repo, 'github.com', {}, {}],
    [
      'retention 1 (the least)',
      repo,
      'github.com',
      { 'retention-days': '1' },
      { 'retention-days': 1 }
    ],
    [
      'retention 365 (the most)',
      org,
      'github.com',
      { 'retention-days': '365' },
      { 'retention-days': 365 }
    ],
    [
      'storage 10000 GB (10 TB)',
      ent,
      'github.com',
      { 'size-limit-gb': ' 10000 ' },
      { 'size-limit-gb': 10000 }
    ],
    ['GHES repository size', repo, 'ghes', { 'size-limit-gb': '25' }, { 'size-limit-gb': 25 }],
    [
      'GHES enterprise default and maximum',
      ent,
      'ghes',
      { 'size-limit-gb': '30', 'max-size-limit-gb': '30' },
      { 'size-limit-gb': 30, 'max-size-limit-gb': 30 }
    ]
  ] as const)('accepts %s', (_name, target, family, raw, expected) => {
    expect(validateLimitRequest(text(raw), target, family)).toEqual(expected)
  })

  it.each([
    [
      'retention 0',
      repo,
      'github.com',
      { 'retention-days': '0' },
      'retention-days',
      'out of range'
    ],
    [
      'retention 366',
      repo,
      'github.com',
      { 'retention-days': '366' },
      'retention-days',
      'between 1 and 365 days'
    ],
    [
      'retention 7d',
      repo,
      'github.com',
      { 'retention-days': '7d' },
      'retention-days',
      'not a whole number'
    ],
    [
      'retention -1',
      repo,
      'github.com',
      { 'retention-days': '-1' },
      'retention-days',
      'not a whole number'
    ],
    [
      'size 1.5',
      repo,
      'github.com',
      { 'size-limit-gb': '1.5' },
      'size-limit-gb',
      'not a whole number'
    ],
    [
      'size 10001',
      repo,
      'github.com',
      { 'size-limit-gb': '10001' },
      'size-limit-gb',
      'between 1 and 10,000 GB'
    ],
    ['size 0', ent, 'ghes', { 'size-limit-gb': '0' }, 'size-limit-gb', 'out of range'],
    [
      'retention on GHES',
      repo,
      'ghes',
      { 'retention-days': '7' },
      'retention-days',
      'no cache retention setting'
    ],
    [
      'max on github.com',
      ent,
      'github.com',
      { 'max-size-limit-gb': '9' },
      'max-size-limit-gb',
      'github.com has no separate maximum'
    ],
    [
      'max for a GHES repository',
      repo,
      'ghes',
      { 'max-size-limit-gb': '9' },
      'max-size-limit-gb',
      'only an enterprise has one'
    ],
    ['an organization on GHES', org, 'ghes', {}, 'org', 'no organization cache limits'],
    [
      'default above maximum',
      ent,
      'ghes',
      { 'size-limit-gb': '41', 'max-size-limit-gb': '40' },
      'size-limit-gb',
      'more than max-size-limit-gb (40 GB)'
    ]
  ] as const)('refuses %s, naming the input', (_name, target, family, raw, input, message) => {
    let error: unknown
    try {
      validateLimitRequest(text(raw), target, family)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe(input)
    expect((error as InputError).message).toContain(message)
  })
})

describe('planLimits', () => {
  it.each([
    ['no request', { 'retention-days': 7 }, {}, [], []],
    ['same value', { 'retention-days': 7 }, { 'retention-days': 7 }, [], ['retention-days']],
    [
      'one change, one unchanged',
      { 'retention-days': 7, 'size-limit-gb': 10 },
      { 'retention-days': 30, 'size-limit-gb': 10 },
      [{ setting: 'retention-days', before: 7, after: 30 }],
      ['size-limit-gb']
    ],
    [
      'GHES enterprise within the current maximum',
      { 'size-limit-gb': 10, 'max-size-limit-gb': 25 },
      { 'size-limit-gb': 25 },
      [{ setting: 'size-limit-gb', before: 10, after: 25 }],
      []
    ]
  ] as const)('%s', (_name, current, requested, changes, unchanged) => {
    const plan = planLimits(current, requested)
    expect(plan.changes).toEqual(changes)
    expect(plan.unchanged).toEqual(unchanged)
  })

  it.each([
    ['a default above the current maximum', { 'size-limit-gb': 26 }, 'size-limit-gb'],
    ['a maximum below the current default', { 'max-size-limit-gb': 5 }, 'max-size-limit-gb']
  ])('refuses %s', (_name, requested, input) => {
    expect(() => planLimits({ 'size-limit-gb': 10, 'max-size-limit-gb': 25 }, requested)).toThrow(
      `Input '${input}'`
    )
  })
})

/** Limits in memory; records reads and writes. */
