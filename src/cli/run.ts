// One run of the command line: parse, find the repository and the token
// (flags, the environment, git, gh), read the inputs through the same
// readers as the action, run the same command code, print, and return the
// exit code. GITHUB_EVENT_PATH is never read, so refs come only from flags.
// Everything printed goes through a SafeStream: the token masked, no line a
// workflow command.

import type { CommandContext } from '../commands/context.js'
import { describeFailure } from '../commands/failure.js'
import { describeGovernorEvent, describeRequest, isNotable } from '../commands/governor-events.js'
import { runCommand } from '../commands/registry.js'
import type { EventScope } from '../engine/event.js'
import { InputError } from '../engine/errors.js'
import { visible } from '../engine/format.js'
import {
  literalDefault,
  readApiUrl,
  type AnyInputName,
  type Command,
  type InputGetter
} from '../engine/inputs.js'
import { VERSION } from '../engine/version.js'
import { apiUrlAsGiven } from '../github/api-url-guard.js'
import { observeRequests } from '../github/octokit.js'
import { runtimeFromEnv } from '../github/runtime.js'
import { CliUsageError, parseCli, type ArgInput, type CliArgs } from './args.js'
import { findRepository, findToken, spawnRunner, type Run } from './environment.js'
import { exitCodeFor, ExitCode, type ExitCodeValue } from './exit.js'
import { flagOf } from './flags.js'
import { helpText } from './help.js'
import { renderStdout } from './output.js'
import type { Ticker } from './progress.js'
import { SafeStream, Secrets, type Stream } from './sink.js'
import { terminalUi } from './ui.js'

export interface CliIo {
  readonly argv: readonly string[]
  readonly env: NodeJS.ProcessEnv
  readonly stdout: Stream
  readonly stderr: Stream
  readonly readFile: (path: string) => string
  /** runs git and gh (default: spawned in the current folder, with a timeout) */
  readonly run?: Run
  readonly cwd?: string
  /** aborted on Ctrl-C: no request starts after it; the partial report is printed, exit 130 */
  readonly signal?: AbortSignal
  readonly ticker?: Ticker
}

/** No event: nothing but the flags decides the scope. */
export const COMMAND_LINE_SCOPE: EventScope = Object.freeze({
  description: 'command line: every ref',
  readOnlyToken: false
})

/** The command's input getter over the command line: flags, else the defaults. */
export function cliGetter(args: CliArgs, command: Command, token: string): InputGetter {
  return (name: AnyInputName) => {
    if (name === 'command') return command
    if (name === 'token') return token
    return args.values[name as ArgInput] ?? literalDefault(name)
  }
}

function fail(
  out: SafeStream,
  err: SafeStream,
  json: boolean,
  code: ExitCodeValue,
  message: string,
  extra: Record<string, string> = {}
): ExitCodeValue {
  err.write(`cache-steward: ${message.replace(/\n/g, '\n  ')}\n`)
  if (json) {
    out.json(true)
    out.write(JSON.stringify({ error: { message, ...extra } }, null, 2) + '\n')
  }
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

/** Whether a command needs a repository that no flag named (usage and limits of an org do not). */
function needsRepository(args: CliArgs): boolean {
  if (args.command === 'usage' || args.command === 'limits') {
    return args.values.org === undefined && args.values.enterprise === undefined
  }
  return true
}

const INTERRUPTED = 130

export async function runCli(io: CliIo): Promise<number> {
  const secrets = new Secrets()
  const out = new SafeStream(io.stdout, secrets)
  const err = new SafeStream(io.stderr, secrets)
  let args: CliArgs
  try {
    args = parseCli(io.argv, io.readFile)
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error
    return fail(out, err, io.argv.includes('--json'), ExitCode.Usage, error.message)
  }
  if (args.version) {
    out.write(`cache-steward ${VERSION}\n`)
    return ExitCode.Ok
  }
  if (args.help || args.command === undefined) {
    out.write(helpText(args.command))
    return ExitCode.Ok
  }
  const { command, json } = args
  const run = io.run ?? spawnRunner(io.cwd ?? process.cwd(), io.env)
  const debug = args.verbose || io.env.CACHE_STEWARD_DEBUG === '1'
  const ui = terminalUi(err, { debug, ...(io.ticker ? { ticker: io.ticker } : {}) })

  let values = args.values
  let hostApiUrl: string | undefined
  if (values.repository === undefined && needsRepository(args)) {
    const found = await findRepository(undefined, io.env, run)
    if (!found) {
      return fail(
        out,
        err,
        json,
        ExitCode.Usage,
        'no repository: pass -R OWNER/NAME, set GH_REPO, or run this inside a clone whose origin remote is on GitHub'
      )
    }
    values = { ...values, repository: found.repository }
    hostApiUrl = found.apiUrl
    ui.debug(`repository ${found.repository} from ${found.source}`)
  } else if (values.repository !== undefined) {
    const found = await findRepository(values.repository, io.env, run)
    if (found) {
      values = { ...values, repository: found.repository }
      hostApiUrl = found.apiUrl
    }
  }
  args = { ...args, values }

  let apiUrl: string | undefined
  try {
    if (args.apiUrl !== undefined) apiUrl = readApiUrl(args.apiUrl, 'api-url')
    else if (hostApiUrl !== undefined) apiUrl = readApiUrl(hostApiUrl, 'repo')
    else apiUrl = readApiUrl(apiUrlAsGiven(io.env), 'GITHUB_API_URL')
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    const where =
      error.input === 'api-url' ? '--api-url' : error.input === 'repo' ? '--repo' : 'GITHUB_API_URL'
    return fail(
      out,
      err,
      json,
      ExitCode.Usage,
      `${where}: ${error.message.replace(/^Input '[^']*': /, '')}`
    )
  }

  const found = await findToken(io.env, apiUrl, run)
  if (found === undefined) {
    return fail(
      out,
      err,
      json,
      ExitCode.Usage,
      'no token: set GH_TOKEN or GITHUB_TOKEN, or log in with the GitHub CLI (gh auth login); the token is never printed'
    )
  }
  secrets.add(found.token)
  ui.debug(`token from ${found.source}${apiUrl ? `; API ${apiUrl}` : ''}`)
  const get = cliGetter(args, command, found.token)
  const runtime = runtimeFromEnv(io.env)
  if (debug) observeRequests(r => ui.debug(describeRequest(r)))

  const signal = io.signal
  const onInterrupt = (): void =>
    ui.warning(
      'Interrupted: no new request starts; waiting for those in flight, then the report (Ctrl-C again quits at once).'
    )
  signal?.addEventListener('abort', onInterrupt, { once: true })
  const context: CommandContext = {
    runtime,
    apiUrl,
    onEvent: e => (isNotable(e) ? ui.info : ui.debug)(describeGovernorEvent(e)),
    ui,
    scope: COMMAND_LINE_SCOPE,
    started: runtime.clock.now(),
    listingProgress: io.stderr.isTTY === true,
    ...(signal ? { signal } : {})
  }
  const layout = {
    tty: io.stdout.isTTY === true,
    columns: terminalColumns(io.stdout.columns, io.env.COLUMNS)
  }
  try {
    const outcome = await runCommand(command, get, context)
    ui.finish()
    if (debug) debugDecisions(command, outcome.report, ui.debug)
    out.json(json)
    out.write(
      renderStdout(command, outcome, {
        json,
        ...(args.jsonFields !== undefined ? { jsonFields: args.jsonFields } : {}),
        layout
      })
    )
    out.json(false)
    for (const notice of outcome.notices) {
      const label = notice.level === 'info' ? '' : `${notice.level}: `
      err.write(`${label}${notice.message}\n`)
    }
    if (signal?.aborted) return INTERRUPTED
    return exitCodeFor(outcome.notices)
  } catch (error) {
    ui.finish()
    const failure = describeFailure(error)
    if (signal?.aborted && failure.kind !== 'input') {
      return fail(out, err, json, INTERRUPTED as ExitCodeValue, `interrupted: ${failure.message}`)
    }
    if (failure.kind === 'input') {
      return fail(
        out,
        err,
        json,
        ExitCode.Usage,
        inputErrorMessage(failure.input, failure.message, args),
        {
          input: failure.input,
          flag: flagOf(failure.input)
        }
      )
    }
    return fail(out, err, json, ExitCode.Failed, failure.message)
  } finally {
    signal?.removeEventListener('abort', onInterrupt)
    if (debug) observeRequests(undefined)
  }
}

/** The terminal's width: the stream's, else $COLUMNS, else 80. */
function terminalColumns(columns: number | undefined, env: string | undefined): number {
  if (columns && columns >= 20) return columns
  const fromEnv = Number(env)
  return Number.isSafeInteger(fromEnv) && fromEnv >= 20 ? fromEnv : 80
}

/** With --verbose, each cache's decision of a dry run (prune), one debug line each. */
function debugDecisions(command: Command, report: unknown, debug: (line: string) => void): void {
  if (command !== 'prune' || !report || typeof report !== 'object' || !('plan' in report)) return
  const r = report as {
    dryRun: boolean
    plan: {
      decisions: ReadonlyArray<{
        cache: { id: number; key: string; ref: string }
        delete: boolean
        reason: string
        detail: string
      }>
    }
  }
  if (!r.dryRun) return
  for (const d of r.plan.decisions) {
    debug(
      `cache ${d.cache.id} ${visible(d.cache.key, 200)} on ${visible(d.cache.ref, 200)}: ${d.delete ? 'would delete' : 'keep'} (${d.reason}: ${visible(d.detail, 200)})`
    )
  }
}
