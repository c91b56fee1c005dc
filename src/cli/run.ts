// One run of the command line: parse, read the inputs through the same
// readers as the action (readSettings for prune), run the same command code,
// print, and return the exit code. The token comes from GH_TOKEN or
// GITHUB_TOKEN; GITHUB_EVENT_PATH is never read, so refs come only from --refs.

import type { CommandContext } from '../commands/context.js'
import { describeFailure } from '../commands/failure.js'
import { describeGovernorEvent } from '../commands/governor-events.js'
import { runCommand } from '../commands/registry.js'
import type { EventScope } from '../engine/event.js'
import { InputError } from '../engine/errors.js'
import { literalDefault, readApiUrl, type Command, type InputGetter } from '../engine/inputs.js'
import { VERSION } from '../engine/version.js'
import { apiUrlAsGiven } from '../github/api-url-guard.js'
import { runtimeFromEnv } from '../github/runtime.js'
import { CliUsageError, parseCli, type CliArgs } from './args.js'
import { exitCodeFor, ExitCode, type ExitCodeValue } from './exit.js'
import { flagOf } from './flags.js'
import { helpText } from './help.js'
import { renderStdout } from './output.js'
import type { ProgressStream } from './progress.js'
import { terminalUi } from './ui.js'

export interface CliIo {
  readonly argv: readonly string[]
  readonly env: NodeJS.ProcessEnv
  readonly stdout: { write(text: string): unknown }
  readonly stderr: ProgressStream
  readonly readFile: (path: string) => string
}

/** No event: nothing but the flags decides the scope. */
export const COMMAND_LINE_SCOPE: EventScope = Object.freeze({
  description: 'command line: every ref',
  readOnlyToken: false
})

const TOKEN_VARIABLES = ['GH_TOKEN', 'GITHUB_TOKEN'] as const

export function tokenFrom(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of TOKEN_VARIABLES) {
    const value = env[name]?.trim()
    if (value) return value
  }
  return undefined
}

/** The action's input getter over the command line: flags, else action.yml's defaults. */
export function cliGetter(args: CliArgs, command: Command, token: string): InputGetter {
  return name => {
    if (name === 'command') return command
    if (name === 'token') return token
    return args.values[name] ?? literalDefault(name)
  }
}

function fail(
  io: CliIo,
  json: boolean,
  code: ExitCodeValue,
  message: string,
  extra: Record<string, string> = {}
): ExitCodeValue {
  io.stderr.write(`cache-steward: ${message.replace(/\n/g, '\n  ')}\n`)
  if (json) io.stdout.write(JSON.stringify({ error: { message, ...extra } }, null, 2) + '\n')
  return code
}

function inputErrorMessage(input: string, message: string, args: CliArgs): string {
  const prefix = `Input '${input}': `
  const rest = message.startsWith(prefix) ? message.slice(prefix.length) : message
  const flag =
    input === 'rules' && args.rulesFile !== undefined
      ? `--rules-file ${args.rulesFile}`
      : flagOf(input)
  return `${flag}: ${rest}`
}

export async function runCli(io: CliIo): Promise<ExitCodeValue> {
  let args: CliArgs
  try {
    args = parseCli(io.argv, io.readFile)
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error
    return fail(io, io.argv.includes('--json'), ExitCode.Usage, error.message)
  }
  if (args.version) {
    io.stdout.write(`cache-steward ${VERSION}\n`)
    return ExitCode.Ok
  }
  if (args.help || args.command === undefined) {
    io.stdout.write(helpText(args.command))
    return ExitCode.Ok
  }
  const { command, json } = args
  const token = tokenFrom(io.env)
  if (token === undefined) {
    return fail(
      io,
      json,
      ExitCode.Usage,
      'no token: set GH_TOKEN or GITHUB_TOKEN (for example GH_TOKEN=$(gh auth token)); the token is never printed'
    )
  }
  const get = cliGetter(args, command, token)
  const runtime = runtimeFromEnv(io.env)
  const ui = terminalUi(io.stderr, { debug: io.env.CACHE_STEWARD_DEBUG === '1' })
  let apiUrl: string | undefined
  try {
    apiUrl =
      args.apiUrl !== undefined
        ? readApiUrl(args.apiUrl, 'api-url')
        : readApiUrl(apiUrlAsGiven(io.env), 'GITHUB_API_URL')
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    const where = error.input === 'api-url' ? '--api-url' : 'GITHUB_API_URL'
    return fail(
      io,
      json,
      ExitCode.Usage,
      `${where}: ${error.message.replace(/^Input '[^']*': /, '')}`
    )
  }
  const context: CommandContext = {
    runtime,
    apiUrl,
    onEvent: e => ui.info(describeGovernorEvent(e)),
    ui,
    scope: COMMAND_LINE_SCOPE,
    started: runtime.clock.now(),
    listingProgress: io.stderr.isTTY === true
  }
  try {
    const outcome = await runCommand(command, get, context)
    ui.finish()
    io.stdout.write(renderStdout(command, outcome, json))
    for (const notice of outcome.notices) {
      const label = notice.level === 'info' ? '' : `${notice.level}: `
      io.stderr.write(`${label}${notice.message}\n`)
    }
    return exitCodeFor(outcome.notices)
  } catch (error) {
    ui.finish()
    const failure = describeFailure(error)
    if (failure.kind === 'input') {
      return fail(
        io,
        json,
        ExitCode.Usage,
        inputErrorMessage(failure.input, failure.message, args),
        {
          input: failure.input,
          flag: flagOf(failure.input)
        }
      )
    }
    return fail(io, json, ExitCode.Failed, failure.message)
  }
}
