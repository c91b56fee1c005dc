// Parsing the command line with node:util's parseArgs into the commands'
// inputs: each flag is an input of the same name, repeated --keys/--refs
// become the input's lines, delete's words are its `targets`. Flags are
// typed as gh users type them: short forms (-R, -k, -r, -S, -O, -L, -a),
// --flag=value, and a boolean's --flag=false. Every mistake is a
// CliUsageError naming the flag, found before any request.

import { parseArgs } from 'node:util'
import { CLI_INPUTS, COMMANDS, INPUTS, type CliInputName, type Command } from '../engine/inputs.js'
import { CACHE_FIELDS, parseCacheFields } from '../engine/cache-fields.js'
import { InputError } from '../engine/errors.js'
import {
  CLI_FLAGS,
  CLI_INPUT_FLAGS,
  INPUT_FLAGS,
  type CliFlagInput,
  type FlagInput,
  type FlagSpec
} from './flags.js'
import { nearest } from '../engine/suggest.js'

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CliUsageError'
  }
}

/** Everything the command line can set: action inputs, and list's and delete's own. */
export type ArgInput = FlagInput | CliInputName

export interface CliArgs {
  /** undefined only with --help or --version and no command */
  readonly command?: Command
  readonly help: boolean
  /** --version: print it and do nothing else */
  readonly version: boolean
  readonly json: boolean
  /** list's --json FIELDS ('' or absent: every field) */
  readonly jsonFields?: string
  /** --verbose: debug lines on stderr */
  readonly verbose: boolean
  readonly apiUrl?: string
  /** the inputs given on the command line; the rest take their defaults */
  readonly values: Readonly<Partial<Record<ArgInput, string>>>
  /** where --rules came from, when it was read from a file */
  readonly rulesFile?: string
}

type ParseOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>

const INPUT_NAMES = Object.keys(INPUT_FLAGS) as FlagInput[]
const CLI_INPUT_NAMES = Object.keys(CLI_INPUT_FLAGS) as CliFlagInput[]

/** Every flag that takes a value, and every boolean one, by long name. */
function flagSpecs(): Map<string, FlagSpec> {
  const specs = new Map<string, FlagSpec>()
  for (const name of INPUT_NAMES) specs.set(name, INPUT_FLAGS[name])
  for (const name of CLI_INPUT_NAMES) specs.set(name, CLI_INPUT_FLAGS[name])
  specs.set('repo', { ...CLI_FLAGS.repo, repeatable: true, short: 'R' })
  specs.set('rules-file', CLI_FLAGS['rules-file'])
  specs.set('api-url', CLI_FLAGS['api-url'])
  specs.set('json', CLI_FLAGS.json)
  specs.set('verbose', { boolean: true, help: CLI_FLAGS.verbose.help })
  specs.set('help', { boolean: true, short: 'h', help: CLI_FLAGS.help.help })
  specs.set('version', { boolean: true, short: 'V', help: CLI_FLAGS.version.help })
  return specs
}

const SPECS = flagSpecs()
const BOOLEANS = new Set([...SPECS].filter(([, s]) => s.boolean).map(([n]) => n))
const SHORT_VALUE = new Set(
  [...SPECS].filter(([, s]) => s.short && !s.boolean).map(([, s]) => s.short as string)
)

function parserOptions(): ParseOptions {
  const options: ParseOptions = {}
  for (const [name, spec] of SPECS) {
    options[name] = spec.boolean
      ? { type: 'boolean', ...(spec.short ? { short: spec.short } : {}) }
      : { type: 'string', multiple: true, ...(spec.short ? { short: spec.short } : {}) }
  }
  return options
}

const ALL_FLAGS = [...SPECS.keys()]

function suggest(flag: string): string {
  const name = flag.replace(/^-+/, '').replace(/_/g, '-').toLowerCase()
  const best = nearest(name, ALL_FLAGS, Math.max(1, Math.floor(name.length / 3)))
  return best ? ` (did you mean --${best}?)` : ''
}

/** parseArgs' own errors, reworded to name the flag and what to do. */
function translate(error: unknown): CliUsageError {
  const e = error as { code?: string; message?: string }
  const flag = /'(-[^' ]*)/.exec(e.message ?? '')?.[1] ?? ''
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new CliUsageError(`unknown flag ${flag}${suggest(flag)}; see cache-steward --help`)
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/ambiguous/.test(e.message ?? '')) {
      return new CliUsageError(
        `${flag} needs a value, and the next word starts with '-'; to give a value that starts with '-', write ${flag}=VALUE`
      )
    }
    return new CliUsageError(`${flag} needs a value`)
  }
  return new CliUsageError(e.message ?? String(error))
}

/** gh's spellings of a boolean's value (Go's ParseBool), any case. */
function booleanValue(flag: string, text: string): boolean {
  const t = text.toLowerCase()
  if (t === 'true' || t === '1' || t === 't') return true
  if (t === 'false' || t === '0' || t === 'f') return false
  throw new CliUsageError(
    `--${flag}=${text}: a switch is on or off; write --${flag} (or --${flag}=true) to turn it on, --${flag}=false to turn it off`
  )
}

/** A field list for list's --json: `id,key` (known names, or a comma between names). */
function isFieldList(word: string): boolean {
  if (!/^[A-Za-z]+(\s*,\s*[A-Za-z]+)*$/.test(word)) return false
  return word.includes(',') || (CACHE_FIELDS as readonly string[]).includes(word)
}

interface Prepared {
  readonly argv: string[]
  /** the last value of each long boolean flag given (as --x, --x=true or --x=false) */
  readonly booleans: Map<string, boolean>
}

/**
 * Rewrites what parseArgs cannot read: `--flag=false` for a boolean (taken out
 * and kept aside; the last one of a flag wins), and --json's optional value
 * (`--json id,key`). Words that are a flag's value are never touched.
 */
function prepare(argv: readonly string[]): Prepared {
  const out: string[] = []
  const booleans = new Map<string, boolean>()
  let valueNext = false
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]
    if (valueNext) {
      valueNext = false
      out.push(word)
      continue
    }
    if (word === '--') {
      out.push(...argv.slice(i))
      break
    }
    const long = /^--([^=]+)(?:=(.*))?$/s.exec(word)
    if (long) {
      const [, name, inline] = long
      if (name === 'json') {
        if (inline !== undefined) out.push(word)
        else if (i + 1 < argv.length && isFieldList(argv[i + 1])) out.push(`--json=${argv[++i]}`)
        else out.push('--json=')
        continue
      }
      if (BOOLEANS.has(name)) {
        booleans.set(name, inline === undefined ? true : booleanValue(name, inline))
        continue
      }
      if (inline === undefined && SPECS.has(name)) valueNext = true
      out.push(word)
      continue
    }
    if (/^-[A-Za-z]$/.test(word) && SHORT_VALUE.has(word[1])) valueNext = true
    out.push(word)
  }
  return { argv: out, booleans }
}

const COMMAND_WORDS: Readonly<Record<string, Command>> = {
  ...Object.fromEntries(COMMANDS.map(c => [c, c])),
  ls: 'list'
}

/** Where a flag applies: the commands of its input; the CLI's own flags apply everywhere. */
function commandsOf(flag: string): readonly Command[] {
  if (flag === 'repo') return INPUTS.repository.commands
  if (flag === 'rules-file') return INPUTS.rules.commands
  if (flag in INPUT_FLAGS) return INPUTS[flag as FlagInput].commands
  if (flag in CLI_INPUTS) return CLI_INPUTS[flag as CliInputName].commands
  return COMMANDS
}

export function parseCli(argv: readonly string[], readFile: (path: string) => string): CliArgs {
  const prepared = prepare(argv)
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: prepared.argv,
      options: parserOptions(),
      strict: true,
      allowPositionals: true
    })
  } catch (error) {
    throw translate(error)
  }
  const given = { ...parsed.values } as Record<string, string[] | boolean | undefined>
  for (const [name, value] of prepared.booleans) given[name] = value
  const help = given.help === true
  const version = given.version === true
  const verbose = given.verbose === true
  const jsonValue = (given.json as string[] | undefined)?.at(-1)
  const json = jsonValue !== undefined
  const [word, ...extra] = parsed.positionals
  let command: Command | undefined
  if (word !== undefined) {
    command = COMMAND_WORDS[word]
    if (command === undefined) {
      throw new CliUsageError(
        `unknown command '${word}'; the commands are ${COMMANDS.join(', ')} (see cache-steward --help)`
      )
    }
  }
  if (extra.length > 0 && command !== 'delete') {
    const fields = command === 'list' && /^[A-Za-z,]+$/.test(extra[0])
    throw new CliUsageError(
      fields
        ? `unexpected argument '${extra[0]}': --json takes its fields as --json id,key (the fields are ${CACHE_FIELDS.join(', ')})`
        : `unexpected argument '${extra[0]}': flags take their value as --flag VALUE, and repeated flags (--keys, --refs, --repo) take one value each`
    )
  }
  if (command === undefined) {
    if (help || version) return { help, version, json, verbose, values: {} }
    throw new CliUsageError(
      `name a command: ${COMMANDS.join(', ')}, as in cache-steward list -R owner/name, or cache-steward prune --repo owner/name --older-than 7d --dry-run (see cache-steward --help)`
    )
  }
  if (jsonValue !== undefined && jsonValue.trim() !== '') {
    if (command !== 'list') {
      throw new CliUsageError(
        `--json ${jsonValue}: fields are for list; ${command} prints its whole document with --json`
      )
    }
    try {
      parseCacheFields(jsonValue, 'json')
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      throw new CliUsageError(`--json: ${error.message.replace(/^Input 'json': /, '')}`)
    }
  }

  for (const [flag, value] of Object.entries(given)) {
    if (value === undefined || flag === 'help' || flag === 'json' || flag === 'verbose') continue
    const commands = commandsOf(flag)
    if (!commands.includes(command)) {
      const near =
        flag === 'key' || flag === 'ref'
          ? ` (prune's pattern flag is --${flag}s)`
          : flag === 'keys' || flag === 'refs'
            ? ` (list's and delete's is --${flag.slice(0, -1)})`
            : ''
      throw new CliUsageError(
        `--${flag} does not apply to ${command}; it is for ${commands.join(' and ')}${near} (see cache-steward ${command} --help)`
      )
    }
    const repeatable = flag === 'repo' || SPECS.get(flag)?.repeatable === true
    if (Array.isArray(value) && value.length > 1 && !repeatable) {
      throw new CliUsageError(
        `--${flag} is given ${value.length} times; give it once (--${flag} ${JSON.stringify(value[value.length - 1])})`
      )
    }
  }

  const values: Partial<Record<ArgInput, string>> = {}
  for (const name of [...INPUT_NAMES, ...CLI_INPUT_NAMES]) {
    const v = given[name]
    if (typeof v === 'boolean') values[name] = String(v)
    else if (Array.isArray(v)) values[name] = v.join('\n')
  }
  const repo = given.repo
  if (Array.isArray(repo)) {
    values.repository = [values.repository, ...repo].filter(x => x !== undefined).join('\n')
  }
  // a key may hold a line break (actions/cache accepts one): the words travel as a JSON array
  if (command === 'delete' && extra.length > 0) values.targets = JSON.stringify(extra)

  let rulesFile: string | undefined
  const file = given['rules-file']
  if (Array.isArray(file)) {
    if (values.rules !== undefined) {
      throw new CliUsageError('--rules and --rules-file are both given; give one of them')
    }
    rulesFile = file[0]
    try {
      values.rules = readFile(rulesFile)
    } catch (error) {
      throw new CliUsageError(
        `--rules-file: cannot read '${rulesFile}': ${(error as Error).message}`
      )
    }
    if (values.rules.trim() === '') {
      throw new CliUsageError(
        `--rules-file: '${rulesFile}' is empty; it should hold a rules document`
      )
    }
  }

  const apiUrl = (given['api-url'] as string[] | undefined)?.[0]
  if (apiUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(apiUrl)) {
    throw new CliUsageError(
      `--api-url: '${apiUrl}' is not an http(s) URL, like https://api.github.com or https://ghes.example.com/api/v3`
    )
  }
  return {
    command,
    help,
    version,
    json,
    ...(json && command === 'list' ? { jsonFields: jsonValue ?? '' } : {}),
    verbose,
    ...(apiUrl !== undefined ? { apiUrl } : {}),
    values,
    ...(rulesFile !== undefined ? { rulesFile } : {})
  }
}
