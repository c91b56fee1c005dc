// The readers the commands share (inputs.ts): the token, the reserve, the
// admin target, the inputs a command would silently ignore, the API's URL,
// and the defaults a front end without a runner applies.
import {
  ACTION_COMMANDS,
  COMMANDS,
  ignoredInputs,
  Input,
  INPUTS,
  literalDefault,
  readApiUrl,
  readCommand,
  readReserve,
  readTarget,
  readToken,
  type AnyInputName
} from '../../src/engine/inputs.js'
import { inputError } from '../support/input-error.js'

const get =
  (values: Partial<Record<AnyInputName, string>>) =>
  (name: AnyInputName): string =>
    values[name] ?? ''

describe('readCommand, readToken, readReserve', () => {
  it('reads prune when command is empty, and refuses the command line’s own verbs', () => {
    expect(readCommand(get({}))).toBe('prune')
    expect(readCommand(get({ command: ' Usage ' }))).toBe('usage')
    expect(inputError(() => readCommand(get({ command: 'list' }))).input).toBe('command')
  })

  it('trims the token and refuses an empty one, saying what to pass', () => {
    expect(readToken(get({ token: '  ghs_x \n' }))).toBe('ghs_x')
    const e = inputError(() => readToken(get({ token: ' ' })))
    expect(e.message).toBe("Input 'token': is empty; pass a token, for example ${{ github.token }}")
  })

  it('reserves 100 requests unless told otherwise', () => {
    expect(readReserve(get({}))).toBe(100)
    expect(readReserve(get({ 'rate-limit-reserve': '0' }))).toBe(0)
    expect(inputError(() => readReserve(get({ 'rate-limit-reserve': 'x' }))).input).toBe(
      'rate-limit-reserve'
    )
  })
})

describe('readTarget', () => {
  it('takes the enterprise, else the organization, else the repository', () => {
    expect(readTarget(get({ enterprise: ' acme ', repository: 'o/r' }))).toEqual({
      kind: 'enterprise',
      enterprise: 'acme'
    })
    expect(readTarget(get({ org: 'octo-org', repository: 'o/r' }))).toEqual({
      kind: 'org',
      org: 'octo-org'
    })
    expect(readTarget(get({ repository: 'o/r' }))).toEqual({ kind: 'repo', owner: 'o', repo: 'r' })
  })

  it('refuses both an organization and an enterprise, naming both', () => {
    const e = inputError(() => readTarget(get({ org: 'a', enterprise: 'b' })))
    expect(e.message).toBe(
      "Input 'enterprise': and 'org' are both set; set one (org: a, enterprise: b)"
    )
  })

  it('refuses a name GitHub would not give, naming the input', () => {
    for (const input of [Input.Org, Input.Enterprise] as const) {
      const e = inputError(() => readTarget(get({ [input]: 'a/b' })))
      expect(e.input).toBe(input)
      expect(e.message).toBe(
        `Input '${input}': 'a/b' is not a name: letters, digits, '-', '_' and '.' only, not starting with '-', like 'octo-org'`
      )
    }
    expect(inputError(() => readTarget(get({ repository: 'nope' }))).input).toBe('repository')
  })
})

describe('ignoredInputs', () => {
  it('lists the inputs set for another command, not those at their defaults', () => {
    const inputs = get({
      command: 'usage',
      keys: 'a-*',
      'older-than': ' ',
      'age-by': 'last-accessed',
      'dry-run': 'true',
      top: '5',
      token: 't'
    })
    expect(ignoredInputs('prune', inputs)).toEqual(['top'])
    expect(ignoredInputs('usage', inputs)).toEqual(['keys', 'dry-run'])
    expect(ignoredInputs('limits', inputs)).toEqual(['keys', 'top'])
  })

  it('never lists command itself, and lists age-by once it differs from its default', () => {
    const inputs = get({ command: 'prune', 'age-by': 'created' })
    expect(ignoredInputs('usage', inputs)).toEqual(['age-by'])
  })

  it("never lists command, even as a command line's own command that the input does not name", () => {
    expect(ignoredInputs('list', get({ command: 'list', token: 't' }))).toEqual([])
    expect(ignoredInputs('delete', get({ command: 'delete', keys: 'a' }))).toEqual(['keys'])
  })
})

describe('literalDefault', () => {
  it("gives action.yml's default, but nothing for an expression only the runner fills in", () => {
    expect(literalDefault('age-by')).toBe('last-accessed')
    expect(literalDefault('deletes-per-minute')).toBe('150')
    expect(literalDefault('repository')).toBe('')
    expect(literalDefault('token')).toBe('')
    expect(literalDefault('keys')).toBe('')
    expect(literalDefault('limit')).toBe('30')
    expect(literalDefault('sort')).toBe('last_accessed_at')
  })

  it('declares every action input for at least one command, the action’s own among them', () => {
    for (const spec of Object.values(INPUTS)) {
      expect(spec.commands.length).toBeGreaterThan(0)
      for (const c of spec.commands) expect(COMMANDS).toContain(c)
    }
    expect(INPUTS.command.commands).toEqual(ACTION_COMMANDS)
  })
})

describe('readApiUrl', () => {
  it.each([
    [undefined, undefined],
    ['  ', undefined],
    ['https://api.github.com', 'https://api.github.com'],
    [' https://ghes.example/api/v3/ ', 'https://ghes.example/api/v3'],
    ['http://127.0.0.1:8080//', 'http://127.0.0.1:8080']
  ])('reads %j as %j', (text, url) => {
    expect(readApiUrl(text, 'GITHUB_API_URL')).toBe(url)
  })

  it.each([
    [
      'api.github.com',
      "'api.github.com' is not a URL; like https://api.github.com or https://HOST/api/v3"
    ],
    ['ftp://example.com', "'ftp://example.com' is not an http(s) URL"],
    [
      'https://user:pw@example.com',
      'holds credentials; pass the token as a token, never in the URL'
    ],
    ['https://user@example.com', 'holds credentials; pass the token as a token, never in the URL'],
    ['https://:pw@example.com', 'holds credentials; pass the token as a token, never in the URL'],
    [
      'https://example.com/?a=1',
      "'https://example.com/?a=1' has a query or a fragment; give the API's base URL alone"
    ],
    [
      'https://example.com/#top',
      "'https://example.com/#top' has a query or a fragment; give the API's base URL alone"
    ],
    [
      'https://example.com/?',
      "'https://example.com/?' has a query or a fragment; give the API's base URL alone"
    ],
    [
      'https://example.com/#',
      "'https://example.com/#' has a query or a fragment; give the API's base URL alone"
    ]
  ])('refuses %j', (text, message) => {
    const e = inputError(() => readApiUrl(text, '--api-url'))
    expect(e.input).toBe('--api-url')
    expect(e.message).toBe(`Input '--api-url': ${message}`)
  })
})
