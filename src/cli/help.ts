// The --help text, built from the flag table so that no flag goes
// undocumented, with the token variables and the exit codes.

import {
  CLI_FLAGS,
  CLI_INPUT_FLAGS,
  INPUT_FLAGS,
  type CliFlagInput,
  type FlagInput,
  type FlagSpec
} from './flags.js'
import { EXIT_CODES } from './exit.js'
import { COMMAND_SPECS } from '../commands/registry.js'
import { CLI_INPUTS, COMMANDS, INPUTS, type Command } from '../engine/inputs.js'

const EXAMPLES: Readonly<Record<Command, readonly string[]>> = {
  prune: [
    'cache-steward prune --repo octo/app --older-than 7d --keep-latest 1 --dry-run',
    'cache-steward prune --repo octo/app --refs refs/pull/42/merge',
    "cache-steward prune --repo 'octo/*' --stale-refs --max-deletions 500 --json",
    'cache-steward prune --repo octo/app --rules-file policy.yml'
  ],
  usage: ['cache-steward usage --repo octo/app', 'cache-steward usage --org octo --top 20 --json'],
  limits: [
    'cache-steward limits --repo octo/app',
    'cache-steward limits --org octo --size-limit-gb 50 --dry-run'
  ],
  list: [
    'cache-steward list -R octo/app',
    'cache-steward ls -S size_in_bytes -L 10',
    'cache-steward list -r refs/pull/42/merge --json id,key,sizeInBytes'
  ],
  delete: [
    'cache-steward delete 1234 5678',
    'cache-steward delete Linux-node-3f2a -r refs/heads/main',
    'cache-steward delete --all -r refs/pull/42/merge --succeed-on-no-caches',
    'cache-steward delete --all --dry-run'
  ]
}

const USAGE: Readonly<Record<Command, string>> = {
  prune: 'cache-steward prune [flags]',
  usage: 'cache-steward usage [flags]',
  limits: 'cache-steward limits [flags]',
  list: 'cache-steward list [flags]   (alias: ls)',
  delete: 'cache-steward delete [<id> | <key>]... [flags]   (or --all)'
}

const WIDTH = 100

function wrap(text: string, indent: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  if (line) lines.push(line)
  return lines
}

function flagLines(label: string, help: string): string[] {
  const INDENT = 30
  const body = wrap(help, INDENT)
  const first =
    label.length <= INDENT - 4 ? `  ${label.padEnd(INDENT - 2)}${body.shift() ?? ''}` : `  ${label}`
  return [first, ...body.map(l => `${' '.repeat(INDENT)}${l}`)]
}

function inputLabel(name: FlagInput | CliFlagInput, spec: FlagSpec): string {
  const names = name === 'repository' ? '-R, --repo, --repository' : `--${name}`
  const short = spec.short && name !== 'repository' ? `-${spec.short}, ` : ''
  const value = spec.boolean ? '' : ` ${spec.value ?? 'VALUE'}`
  return `${short}${names}${value}${spec.repeatable ? ' ...' : ''}`
}

function flagsOf(command: Command | undefined): string[] {
  const lines: string[] = []
  for (const [name, spec] of Object.entries(CLI_INPUT_FLAGS) as Array<[CliFlagInput, FlagSpec]>) {
    const { commands, default: fallback } = CLI_INPUTS[name]
    if (command && !commands.includes(command)) continue
    const where = command ? '' : ` [${commands.join(', ')}]`
    const byDefault = fallback && !spec.boolean ? ` Default: ${fallback}.` : ''
    lines.push(...flagLines(inputLabel(name, spec), spec.help + byDefault + where))
  }
  for (const [name, spec] of Object.entries(INPUT_FLAGS) as Array<[FlagInput, FlagSpec]>) {
    const { commands, default: fallback } = INPUTS[name]
    if (command && !commands.includes(command)) continue
    const where = command ? '' : ` [${commands.join(', ')}]`
    // an expression such as ${{ github.repository }} is the runner's to fill in, not a default here
    const byDefault =
      fallback && !spec.boolean && !fallback.includes('${{') ? ` Default: ${fallback}.` : ''
    lines.push(...flagLines(inputLabel(name, spec), spec.help + byDefault + where))
    if (name === 'rules') {
      const f = CLI_FLAGS['rules-file']
      lines.push(...flagLines(`--rules-file ${f.value}`, f.help + (command ? '' : ' [prune]')))
    }
  }
  return lines
}

function common(): string[] {
  return [
    ...flagLines(`--api-url ${CLI_FLAGS['api-url'].value}`, CLI_FLAGS['api-url'].help),
    ...flagLines('--json [FIELDS]', CLI_FLAGS.json.help),
    ...flagLines('--verbose', CLI_FLAGS.verbose.help),
    ...flagLines('-h, --help', CLI_FLAGS.help.help),
    ...flagLines('-V, --version', CLI_FLAGS.version.help)
  ]
}

function trailer(): string[] {
  return [
    'Repository:',
    '  From -R, else GH_REPO, else GITHUB_REPOSITORY, else the origin remote of the git repository in',
    '  the current folder; a host other than github.com is GitHub Enterprise Server, whose API is',
    '  https://HOST/api/v3 (--api-url and GITHUB_API_URL win over it).',
    '',
    'Token:',
    '  From GH_TOKEN, else GITHUB_TOKEN, else `gh auth token` when the GitHub CLI is installed.',
    '  Listing needs actions: read, deleting actions: write, and stale-refs also contents: read and',
    '  pull-requests: read; usage and limits of an organization or enterprise need an admin token.',
    '  The token is never printed: wherever it would appear (a server echoing it), *** stands in.',
    '',
    'Output:',
    '  Tables for people on stdout, logs and warnings on stderr. With --json, stdout holds one JSON',
    "  document with the action's outputs (counts as numbers, 'deleted' as an array) and nothing",
    '  else (list: an array of caches). Tables fit the terminal; into a pipe they are tab-separated',
    '  values. When stderr is a terminal, a progress bar shows the listing and the deletions, with',
    '  the rate and the time left. Ctrl-C stops starting requests, lets those in flight finish,',
    '  prints what was done and what is pending, and exits with 130.',
    '',
    'Exit codes:',
    ...EXIT_CODES.map(([code, text]) => `  ${code}  ${text}`)
  ]
}

export function helpText(command?: Command): string {
  const lines: string[] = []
  if (command) {
    lines.push(
      `Usage: ${USAGE[command]}`,
      '',
      `${command[0].toUpperCase()}${command.slice(1)}: ${COMMAND_SPECS[command].summary}.`,
      ''
    )
    if (command === 'delete') {
      lines.push(
        ...wrap(
          'A word of digits is a cache id; any other word is a cache key, matched exactly (--ref narrows it to one ref). Keys are resolved to ids by listing first, so a server that matches keys by prefix cannot take more than you named; every deletion is by id. --all deletes every cache, or every cache of --ref.',
          0
        ),
        ''
      )
    }
    if (command === 'prune') {
      lines.push(
        ...wrap(
          "The policy is the action's, built by the same code: a cache is selected when it matches --keys and --refs and meets every one of --older-than, --larger-than, --smaller-than and --stale-refs that is set; --keep-latest protects the newest; --max-total-size adds the least recently used until the total fits. With nothing that narrows the selection it refuses: --keys '*' asks for every cache.",
          0
        ),
        ''
      )
    }
    lines.push('Flags:', ...flagsOf(command), ...common(), '', 'Examples:')
    lines.push(...EXAMPLES[command].map(e => `  ${e}`), '')
  } else {
    lines.push(
      'Usage: cache-steward COMMAND [flags]',
      '',
      'Keeps GitHub Actions caches lean, from a terminal: the same engine and policy as the cache-steward action, whose inputs are the flags.',
      '',
      'Commands:',
      ...COMMANDS.map(c => `  ${c.padEnd(8)}${COMMAND_SPECS[c].summary}`),
      '',
      'Flags (the commands each applies to in brackets; cache-steward COMMAND --help shows one):',
      ...flagsOf(undefined),
      ...common(),
      '',
      'Examples:',
      ...COMMANDS.map(c => `  ${EXAMPLES[c][0]}`),
      ''
    )
  }
  lines.push(...trailer())
  return lines.join('\n') + '\n'
}
