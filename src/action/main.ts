// run(): the one place that decides the step's verdict. It reads the event
// and the inputs, hands over to the command, and renders the command's
// Outcome the runner's way: outputs, a grouped log, the job summary, and
// setFailed / warnings. The commands themselves know nothing of @actions/core.

import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { ApiError } from '../github/ports.js'
import { fullName } from '../engine/cache.js'
import { describeGovernorEvent } from '../github/client.js'
import { InputError } from '../engine/errors.js'
import { scopeFromEvent, type EventScope } from '../engine/event.js'
import type { GovernorEvent } from '../github/governor.js'
import { Input, readCommand, readSettings, type InputName } from '../engine/inputs.js'
import { runLimits } from '../commands/limits/command.js'
import { explainApiError } from '../commands/messages.js'
import { runPrune, type ClientContext } from '../commands/prune/command.js'
import { runtimeFromEnv, type RunEnvironment } from '../github/runtime.js'
import type { Outcome, Ui } from '../run/ui.js'
import { runUsage } from '../commands/usage/command.js'

export function logGovernorEvent(e: GovernorEvent): void {
  core.info(describeGovernorEvent(e))
}

/** The runner's log as a Ui: one group per phase, progress lines on long runs. */
export const actionUi: Ui = {
  group: (name, fn) => core.group(name, fn),
  info: message => core.info(message),
  warning: message => core.warning(message),
  debug: message => core.debug(message),
  progress: (phase, done, total) => core.info(`${phase} ${done} of ${total}`)
}

function readEvent(env: NodeJS.ProcessEnv): EventScope {
  const path = env.GITHUB_EVENT_PATH
  let payload: unknown = {}
  if (path) {
    try {
      payload = JSON.parse(readFileSync(path, 'utf8'))
    } catch (error) {
      core.warning(`Could not read the event payload at ${path}: ${(error as Error).message}`)
    }
  }
  return scopeFromEvent(env.GITHUB_EVENT_NAME ?? '', payload, env.GITHUB_ACTOR ?? '')
}

/** The inputs; the token is masked in the log the moment it is read. */
function getInput(name: InputName): string {
  const value = core.getInput(name)
  if (name === Input.Token && value.trim() !== '') core.setSecret(value.trim())
  return value
}

/** Outputs, the closing log block, the job summary, then the verdict. */
async function publish<R>(outcome: Outcome<R>, env: NodeJS.ProcessEnv): Promise<void> {
  for (const [name, value] of Object.entries(outcome.outputs)) core.setOutput(name, value)
  const { title, lines } = outcome.log
  if (title !== undefined) {
    await core.group(title, async () => {
      for (const line of lines) core.info(line)
    })
  } else {
    for (const line of lines) core.info(line)
  }
  if (outcome.summary !== undefined && env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(outcome.summary).write()
  }
  for (const notice of outcome.notices) {
    if (notice.level === 'error') core.setFailed(notice.message)
    else if (notice.level === 'warning') core.warning(notice.message)
    else core.info(notice.message)
  }
}

export async function run(runtime: RunEnvironment = runtimeFromEnv(process.env)): Promise<void> {
  const { env, clock } = runtime
  const started = clock.now()
  const context: ClientContext = { runtime, apiUrl: env.GITHUB_API_URL, onEvent: logGovernorEvent }
  try {
    const command = readCommand(getInput)
    if (command === 'usage') return await publish(await runUsage(getInput, context, actionUi), env)
    if (command === 'limits') {
      return await publish(await runLimits(getInput, context, actionUi), env)
    }
    const settings = await core.group('Inputs', async () => {
      const scope = readEvent(env)
      const s = readSettings(getInput, scope)
      core.info(`repository: ${s.repoPattern ? s.repoPattern.lines.join(', ') : fullName(s.repo)}`)
      core.info(`event: ${scope.description}`)
      core.info(`dry run: ${s.dryRun}`)
      return s
    })
    await publish(await runPrune(settings, context, started, actionUi), env)
  } catch (error) {
    if (error instanceof InputError) core.setFailed(error.message)
    else if (error instanceof ApiError) core.setFailed(explainApiError(error))
    else core.setFailed(`cache-steward failed: ${(error as Error)?.stack ?? String(error)}`)
  }
}
