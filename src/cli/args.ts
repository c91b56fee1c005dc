// Parsing the command line with node:util's parseArgs into the action's
// inputs: each flag is an input of the same name, repeated --keys/--refs
// become the input's lines, boolean flags take no value. Every mistake is a
// CliUsageError naming the flag, found before any request.

import { parseArgs } from 'node:util'
import { COMMANDS, INPUTS, type Command } from '../engine/inputs.js'
import { CLI_FLAGS, INPUT_FLAGS, type FlagInput } from './flags.js'
import { nearest } from '../engine/suggest.js'

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CliUsageError'
  }
}

export interface CliArgs {
  /** undefined only with --help and no command */
  readonly command?: Command
  readonly help: boolean
  /** --version: print it and do nothing else */
  readonly version: boolean
  readonly json: boolean
  readonly apiUrl?: string
  /** the inputs given on the command line; the rest take action.yml's defaults */
  readonly values: Readonly<Partial<Record<FlagInput, string>>>
  /** where --rules came from, when it was read from a file */
  readonly rulesFile?: string
}

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options']

const INPUT_NAMES = Object.keys(INPUT_FLAGS) as FlagInput[]

function parserOptions(): ParseOptions {
  const options: NonNullable<ParseOptions> = {}
  for (const name of INPUT_NAMES) {
    options[name] = INPUT_FLAGS[name].boolean
      ? { type: 'boolean' }
      : { type: 'string', multiple: true }
  }
  options.repo = { type: 'string', multiple: true }
  options['rules-file'] = { type: 'string', multiple: true }
  options['api-url'] = { type: 'string', multiple: true }
  options.json = { type: 'boolean' }
  options.help = { type: 'boolean', short: 'h' }
  options.version = { type: 'boolean', short: 'V' }
  return options
}

const ALL_FLAGS = [...INPUT_NAMES, ...Object.keys(CLI_FLAGS)]

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
    if (/does not take an argument/.test(e.message ?? '')) {
      return new CliUsageError(
        `${flag} takes no value: write ${flag} to turn it on, and leave it out to keep it off`
      )
    }
    if (/ambiguous/.test(e.message ?? '')) {
      return new CliUsageError(
        `${flag} needs a value, and the next word starts with '-'; to give a value that starts with '-', write ${flag}=VALUE`
      )
    }
    return new CliUsageError(`${flag} needs a value`)
  }
  return new CliUsageError(e.message ?? String(error))
}

const isCommand = (word: string): word is Command => (COMMANDS as readonly string[]).includes(word)

/** Where a flag applies: the commands of its input; the CLI's own flags apply everywhere (--rules-file to prune). */
function commandsOf(flag: string): readonly Command[] {
  if (flag === 'repo') return INPUTS.repository.commands
  if (flag === 'rules-file') return INPUTS.rules.commands
  if (flag in INPUT_FLAGS) return INPUTS[flag as FlagInput].commands
  return COMMANDS
}

export function parseCli(argv: readonly string[], readFile: (path: string) => string): CliArgs {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: [...argv],
      options: parserOptions(),
      strict: true,
      allowPositionals: true
    })
  } catch (error) {
    throw translate(error)
  }
  const given = parsed.values as Record<string, string[] | boolean | undefined>
  const help = given.help === true
  const version = given.version === true
  const [word, ...extra] = parsed.positionals
  let command: Command | undefined
  if (word !== undefined) {
    if (!isCommand(word)) {
      throw new CliUsageError(
        `unknown command '${word}'; the commands are ${COMMANDS.join(', ')} (see cache-steward --help)`
      )
    }
    command = word
  }
  if (extra.length > 0) {
    throw new CliUsageError(
      `unexpected argument '${extra[0]}': flags take their value as --flag VALUE, and repeated flags (--keys, --refs, --repo) take one value each`
    )
  }
  if (command === undefined) {
    if (help || version) return { help, version, json: given.json === true, values: {} }
    throw new CliUsageError(
      `name a command: ${COMMANDS.join(', ')}, as in cache-steward prune --repo owner/name --older-than 7d --dry-run (see cache-steward --help)`
    )
  }

  for (const [flag, value] of Object.entries(given)) {
    if (value === undefined || flag === 'help' || flag === 'json') continue
    const commands = commandsOf(flag)
    if (!commands.includes(command)) {
      throw new CliUsageError(
        `--${flag} does not apply to ${command}; it is for ${commands.join(' and ')} (see cache-steward ${command} --help)`
      )
    }
    const repeatable = flag === 'repo' || INPUT_FLAGS[flag as FlagInput]?.repeatable === true
    if (Array.isArray(value) && value.length > 1 && !repeatable) {
      throw new CliUsageError(
        `--${flag} is given ${value.length} times; give it once (--${flag} ${JSON.stringify(value[value.length - 1])})`
      )
    }
  }

  const values: Partial<Record<FlagInput, string>> = {}
  for (const name of INPUT_NAMES) {
    const v = given[name]
    if (v === true) values[name] = 'true'
    else if (Array.isArray(v)) values[name] = v.join('\n')
  }
  const repo = given.repo
  if (Array.isArray(repo)) {
    values.repository = [values.repository, ...repo].filter(x => x !== undefined).join('\n')
  }

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
    json: given.json === true,
    ...(apiUrl !== undefined ? { apiUrl } : {}),
    values,
    ...(rulesFile !== undefined ? { rulesFile } : {})
  }
}
