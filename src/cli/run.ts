// One run of the command line: parse, read the inputs through the same
// readers as the action (readSettings for prune), run the same command code,
// print, and return the exit code. The token comes from GH_TOKEN or
// GITHUB_TOKEN; GITHUB_EVENT_PATH is never read, so refs come only from --refs.

import { ApiError } from '../github/ports.js'
import { fullName } from '../engine/cache.js'
import { CliUsageError, parseCli, type CliArgs } from './args.js'
import { exitCodeFor, ExitCode, type ExitCodeValue } from './exit.js'
import { flagOf, INPUT_FLAGS } from './flags.js'
import { helpText } from './help.js'
import { VERSION } from '../engine/version.js'
import { renderStdout, type CommandReport } from './output.js'
import type { ProgressStream } from './progress.js'
import { terminalUi, type TerminalUi } from './ui.js'
import { describeGovernorEvent } from '../github/client.js'
import { InputError } from '../engine/errors.js'
import type { EventScope } from '../engine/event.js'
import { readSettings, type Command, type InputGetter } from '../engine/inputs.js'
import { runLimits } from '../commands/limits/command.js'
import { explainApiError } from '../commands/messages.js'
import { runPrune, type ClientContext } from '../commands/prune/command.js'
import { runtimeFromEnv } from '../github/runtime.js'
import type { Outcome } from '../run/ui.js'
import { runUsage } from '../commands/usage/command.js'

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

export const TOKEN_VARIABLES = ['GH_TOKEN', 'GITHUB_TOKEN'] as const

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
    return args.values[name] ?? INPUT_FLAGS[name].default
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

function inputErrorMessage(error: InputError, args: CliArgs): string {
  const prefix = `Input '${error.input}': `
  const rest = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message
  const flag =
    error.input === 'rules' && args.rulesFile !== undefined
      ? `--rules-file ${args.rulesFile}`
      : flagOf(error.input)
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
  const started = runtime.clock.now()
  const ui = terminalUi(io.stderr, { debug: io.env.CACHE_STEWARD_DEBUG === '1' })
  const context: ClientContext = {
    runtime,
    apiUrl: args.apiUrl ?? io.env.GITHUB_API_URL,
    onEvent: e => ui.info(describeGovernorEvent(e))
  }
  try {
    if (command === 'usage') {
      const outcome = await runUsage(get, context, ui)
      return finish(io, ui, json, outcome, report => ({ command, report }))
    }
    if (command === 'limits') {
      const outcome = await runLimits(get, context, ui)
      return finish(io, ui, json, outcome, report => ({ command, report }))
    }
    const settings = readSettings(get, COMMAND_LINE_SCOPE)
    ui.info(
      `repository: ${settings.repoPattern ? settings.repoPattern.lines.join(', ') : fullName(settings.repo)}${settings.dryRun ? ' (dry run: nothing is deleted)' : ''}`
    )
    const outcome = await runPrune(settings, context, started, ui, {
      listingProgress: io.stderr.isTTY === true
    })
    return finish(io, ui, json, outcome, report => ({ command: 'prune', report }))
  } catch (error) {
    ui.finish()
    if (error instanceof InputError) {
      return fail(io, json, ExitCode.Usage, inputErrorMessage(error, args), {
        input: error.input,
        flag: flagOf(error.input)
      })
    }
    if (error instanceof ApiError) return fail(io, json, ExitCode.Failed, explainApiError(error))
    return fail(io, json, ExitCode.Failed, `failed: ${(error as Error)?.stack ?? String(error)}`)
  }
}

function finish<R>(
  io: CliIo,
  ui: TerminalUi,
  json: boolean,
  outcome: Outcome<R>,
  toReport: (report: R) => CommandReport
): ExitCodeValue {
  ui.finish()
  io.stdout.write(renderStdout(outcome, json, toReport))
  for (const notice of outcome.notices) {
    const label = notice.level === 'info' ? '' : `${notice.level}: `
    io.stderr.write(`${label}${notice.message}\n`)
  }
  return exitCodeFor(outcome.notices)
}
