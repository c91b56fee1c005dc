// The command line's parser, its flag table against action.yml, the help
// text against the Input map, and the getter feeding readSettings.
import { parseCli, CliUsageError } from '../../src/cli/args.js'
import { EXIT_CODES, ExitCode, exitCodeFor } from '../../src/cli/exit.js'
import { INPUT_FLAGS, type FlagInput } from '../../src/cli/flags.js'
import { helpText } from '../../src/cli/help.js'
import { cliGetter, COMMAND_LINE_SCOPE } from '../../src/cli/run.js'
import { Input, INPUTS } from '../../src/engine/inputs.js'
import { readSettings } from '../../src/engine/prune-settings.js'
import { actionYml } from '../../testing/action-runner.js'

const noFile = (path: string): string => {
  throw new Error(`ENOENT: no such file, open '${path}'`)
}
const parse = (...argv: string[]) => parseCli(argv, noFile)
const usageError = (argv: string[]): string => {
  try {
    parseCli(argv, noFile)
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError)
    return (error as Error).message
  }
  throw new Error(`no error for ${argv.join(' ')}`)
}

describe('flags are the action inputs', () => {
  it('has a flag for every input but command and token, and no other', () => {
    const inputs = Object.keys(actionYml.inputs).filter(n => n !== 'command' && n !== 'token')
    expect(Object.keys(INPUT_FLAGS).sort()).toEqual(inputs.sort())
    const names = Object.values(Input).filter(n => n !== 'command' && n !== 'token')
    expect(Object.keys(INPUT_FLAGS).sort()).toEqual([...names].sort())
  })

  it('makes booleans of the boolean inputs, and only of those', () => {
    const booleans = Object.entries(INPUT_FLAGS)
      .filter(([, s]) => s.boolean)
      .map(([n]) => n)
    expect(booleans.sort()).toEqual(['delete-by-key', 'dry-run', 'stale-refs'])
    for (const name of booleans) expect(actionYml.inputs[name].default).toBe('false')
  })
})

describe('parseCli', () => {
  it('joins repeated --keys, --refs and --repo into the lines of one input', () => {
    const a = parse('prune', '--repo', 'o/*', '--repo=!o/legacy', '--keys', 'a-*', '--keys', 'b-*')
    expect(a.command).toBe('prune')
    expect(a.values).toEqual({ repository: 'o/*\n!o/legacy', keys: 'a-*\nb-*' })
    expect(parse('prune', '--repository', 'o/r', '--repo', 'o/s').values.repository).toBe(
      'o/r\no/s'
    )
  })

  it('takes booleans bare, or as --flag=true/false the way gh does; the last one wins', () => {
    expect(parse('prune', '--dry-run', '--stale-refs').values).toEqual({
      'dry-run': 'true',
      'stale-refs': 'true'
    })
    expect(parse('prune', '--dry-run=false').values).toEqual({ 'dry-run': 'false' })
    expect(parse('prune', '--dry-run=TRUE').values).toEqual({ 'dry-run': 'true' })
    expect(parse('prune', '--dry-run', '--dry-run=0').values).toEqual({ 'dry-run': 'false' })
    expect(parse('prune', '--dry-run=f', '--dry-run').values).toEqual({ 'dry-run': 'true' })
    expect(usageError(['prune', '--dry-run=yes'])).toMatch(
      /^--dry-run=yes: a switch is on or off; write --dry-run \(or --dry-run=true\) to turn it on, --dry-run=false/
    )
    // a word that is a flag's value is the value, even when it looks like a switch
    expect(parse('prune', '--keys=--dry-run=false').values).toEqual({ keys: '--dry-run=false' })
  })

  it('takes the short forms and --flag=value, as gh users type them', () => {
    const a = parse(
      'list',
      '-R',
      'o/r',
      '-k',
      'npm-',
      '-r',
      'main',
      '-S',
      'size_in_bytes',
      '-O',
      'asc',
      '-L',
      '5'
    )
    expect(a.values).toEqual({
      repository: 'o/r',
      key: 'npm-',
      ref: 'main',
      sort: 'size_in_bytes',
      order: 'asc',
      limit: '5'
    })
    expect(parse('ls', '--repo=o/r', '--limit=7').values).toEqual({ repository: 'o/r', limit: '7' })
    expect(parse('ls').command).toBe('list')
    expect(parse('delete', '-a', '-r', 'refs/pull/1/merge').values).toEqual({
      all: 'true',
      ref: 'refs/pull/1/merge'
    })
  })

  it("reads delete's words as its targets, and '--' lets a key start with '-'", () => {
    expect(parse('delete', '12', 'npm-abc', '--dry-run').values).toEqual({
      targets: '["12","npm-abc"]',
      'dry-run': 'true'
    })
    expect(parse('delete', '--', '-weird-key').values).toEqual({ targets: '["-weird-key"]' })
    expect(usageError(['list', 'extra'])).toMatch(/^unexpected argument 'extra'/)
  })

  it('takes --json bare, with fields for list, and refuses unknown fields and fields elsewhere', () => {
    expect(parse('list', '--json')).toMatchObject({ json: true, jsonFields: '' })
    expect(parse('list', '--json', 'id,key')).toMatchObject({ json: true, jsonFields: 'id,key' })
    expect(parse('list', '--json', 'key', '-L', '3')).toMatchObject({
      jsonFields: 'key',
      values: { limit: '3' }
    })
    expect(parse('list', '--json=ref')).toMatchObject({ jsonFields: 'ref' })
    expect(parse('prune', '--json', '--repo', 'o/r')).toMatchObject({ json: true })
    expect(parse('prune', '--json', '--repo', 'o/r').jsonFields).toBeUndefined()
    expect(usageError(['list', '--json', 'id,bogus'])).toMatch(
      /^--json: unknown JSON field 'bogus'; the fields are createdAt, id, key/
    )
    expect(usageError(['prune', '--json=id'])).toMatch(/^--json id: fields are for list/)
  })

  it('names which command a flag belongs to, and the near one of another command', () => {
    expect(usageError(['prune', '--key', 'x'])).toMatch(
      /^--key does not apply to prune; it is for list \(prune's pattern flag is --keys\)/
    )
    expect(usageError(['list', '--keys', 'x'])).toMatch(/list's and delete's is --key/)
    expect(usageError(['list', '--all'])).toMatch(/^--all does not apply to list; it is for delete/)
  })

  it('names unknown flags, with a suggestion when one is close', () => {
    expect(usageError(['prune', '--olderthan', '7d'])).toBe(
      'unknown flag --olderthan (did you mean --older-than?); see cache-steward --help'
    )
    expect(usageError(['prune', '--zzz'])).toBe('unknown flag --zzz; see cache-steward --help')
  })

  it('refuses a flag of another command, a flag given twice, a missing value, a stray word', () => {
    expect(usageError(['usage', '--keep-latest', '1'])).toMatch(
      /^--keep-latest does not apply to usage; it is for prune/
    )
    expect(usageError(['prune', '--older-than', '1d', '--older-than', '2d'])).toMatch(
      /^--older-than is given 2 times; give it once/
    )
    expect(usageError(['prune', '--older-than'])).toBe('--older-than needs a value')
    expect(usageError(['prune', '--keys', '-x'])).toMatch(/write --keys=VALUE/)
    expect(usageError(['prune', 'extra'])).toMatch(/^unexpected argument 'extra'/)
    expect(usageError(['purge'])).toMatch(/^unknown command 'purge'/)
    expect(usageError(['prune', '--api-url', 'api.github.com'])).toMatch(/^--api-url: /)
  })

  it('reads --rules-file, and refuses it beside --rules or when it cannot be read', () => {
    const a = parseCli(['prune', '--rules-file', 'p.yml'], path => `# ${path}\n- keys: '*'\n`)
    expect(a.values.rules).toBe("# p.yml\n- keys: '*'\n")
    expect(a.rulesFile).toBe('p.yml')
    expect(usageError(['prune', '--rules-file', 'missing.yml'])).toMatch(
      /^--rules-file: cannot read 'missing.yml': ENOENT/
    )
    expect(() => parseCli(['prune', '--rules', 'x', '--rules-file', 'p'], () => 'y')).toThrow(
      '--rules and --rules-file are both given'
    )
  })

  it('returns --version and -V with or without a command', () => {
    expect(parse('--version')).toEqual({
      help: false,
      version: true,
      json: false,
      verbose: false,
      values: {}
    })
    expect(parse('prune', '-V')).toMatchObject({ command: 'prune', version: true })
    expect(parse('prune', '--repo', 'o/r')).toMatchObject({ version: false })
  })

  it('returns help for --help with or without a command, and --json', () => {
    expect(parse('--help')).toEqual({
      help: true,
      version: false,
      json: false,
      verbose: false,
      values: {}
    })
    expect(parse('limits', '-h', '--json')).toMatchObject({
      command: 'limits',
      help: true,
      json: true
    })
  })
})

describe('the getter and readSettings', () => {
  it('feeds the same readSettings as the action, with the defaults and the token', () => {
    const args = parse('prune', '--repo', 'o/r', '--refs', 'main', '--max-deletions', '5')
    const get = cliGetter(args, 'prune', 'tok')
    expect(get(Input.Token)).toBe('tok')
    expect(get(Input.AgeBy)).toBe('last-accessed')
    expect(get(Input.RateLimitReserve)).toBe('100')
    const s = readSettings(get, COMMAND_LINE_SCOPE)
    expect(s).toMatchObject({
      token: 'tok',
      repo: { owner: 'o', repo: 'r' },
      dryRun: false,
      maxDeletions: 5,
      deleteByKey: false,
      reserve: 100,
      deletesPerMinute: 150
    })
    expect(s.scope.refs).toBeUndefined()
  })

  it('gives list and delete their defaults: gh’s limit, sort and order', () => {
    const get = cliGetter(parse('list', '-R', 'o/r'), 'list', 'tok')
    expect([get('limit'), get('sort'), get('order'), get('all')]).toEqual([
      '30',
      'last_accessed_at',
      'desc',
      'false'
    ])
  })
})

describe('help and exit codes', () => {
  it('documents every input flag in the full help and each command’s own in its help', () => {
    const all = helpText()
    for (const name of Object.keys(INPUT_FLAGS) as FlagInput[]) {
      expect(all).toMatch(new RegExp(`^  (-R, --repo, )?--${name}\\b`, 'm'))
      for (const command of ['prune', 'usage', 'limits', 'list', 'delete'] as const) {
        const own = helpText(command)
        const listed = new RegExp(`^  (-R, --repo, )?--${name}\\b`, 'm').test(own)
        expect([command, name, listed]).toEqual([
          command,
          name,
          INPUTS[name].commands.includes(command)
        ])
      }
    }
    for (const [code, text] of EXIT_CODES) expect(all).toContain(`  ${code}  ${text}`)
  })

  it('ranks a failure above an early stop', () => {
    expect(exitCodeFor([])).toBe(ExitCode.Ok)
    expect(exitCodeFor([{ level: 'info', message: 'max-deletions reached' }])).toBe(0)
    expect(exitCodeFor([{ level: 'warning', message: 'x', stopped: true }])).toBe(3)
    expect(
      exitCodeFor([
        { level: 'warning', message: 'x', stopped: true },
        { level: 'error', message: 'y' }
      ])
    ).toBe(1)
  })
})
