// run(): the one place that decides the step's verdict. It reads the command
// and the event, runs the command from the registry, and publishes its
// Outcome; an exception becomes one clear failure.

import * as core from '@actions/core'
import { describeFailure } from '../commands/failure.js'
import { describeGovernorEvent, describeRequest, isNotable } from '../commands/governor-events.js'
import { runCommand } from '../commands/registry.js'
import { readApiUrl, readCommand } from '../engine/inputs.js'
import { apiUrlAsGiven } from '../github/api-url-guard.js'
import { observeRequests } from '../github/octokit.js'
import { runtimeFromEnv, type RunEnvironment } from '../github/runtime.js'
import { readEvent } from './event.js'
import { getInput } from './inputs.js'
import { publish } from './publish.js'
import { actionUi } from './ui.js'

export async function run(runtime: RunEnvironment = runtimeFromEnv(process.env)): Promise<void> {
  const { env, clock } = runtime
  // with the runner's debug logging, a line for every request
  if (actionUi.verbose) observeRequests(r => actionUi.debug(describeRequest(r)))
  try {
    const command = readCommand(getInput)
    const outcome = await runCommand(command, getInput, {
      runtime,
      apiUrl: readApiUrl(apiUrlAsGiven(env), 'GITHUB_API_URL'),
      onEvent: event =>
        (isNotable(event) ? actionUi.info : actionUi.debug)(describeGovernorEvent(event)),
      ui: actionUi,
      scope: readEvent(env),
      started: clock.now()
    })
    await publish(outcome, env)
  } catch (error) {
    const failure = describeFailure(error)
    core.setFailed(failure.kind === 'bug' ? `cache-steward ${failure.message}` : failure.message)
  }
}
