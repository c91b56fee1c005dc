// run(): the one place that decides the step's verdict. It reads the event
// and the inputs, then hands over to the command.

import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { ApiError } from './api.js'
import { fullName } from './cache.js'
import { InputError } from './errors.js'
import { scopeFromEvent, type EventScope } from './event.js'
import { readCommand, readSettings, type InputName } from './inputs.js'
import { limitsCommand } from './limits-command.js'
import { explainApiError } from './messages.js'
import { prune } from './prune-command.js'
import { runtimeFromEnv, type RunEnvironment } from './runtime.js'
import { usageCommand } from './usage-command.js'

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

export async function run(runtime: RunEnvironment = runtimeFromEnv(process.env)): Promise<void> {
  const { env, clock } = runtime
  const started = clock.now()
  try {
    const command = readCommand(name => core.getInput(name))
    if (command === 'usage') return await usageCommand(runtime)
    if (command === 'limits') return await limitsCommand(runtime)
    const settings = await core.group('Inputs', async () => {
      const scope = readEvent(env)
      const s = readSettings(name => core.getInput(name as InputName), scope)
      core.setSecret(s.token)
      core.info(`repository: ${s.repoPattern ? s.repoPattern.lines.join(', ') : fullName(s.repo)}`)
      core.info(`event: ${scope.description}`)
      core.info(`dry run: ${s.dryRun}`)
      return s
    })
    await prune(settings, runtime, started)
  } catch (error) {
    if (error instanceof InputError) core.setFailed(error.message)
    else if (error instanceof ApiError) core.setFailed(explainApiError(error))
    else core.setFailed(`cache-steward failed: ${(error as Error)?.stack ?? String(error)}`)
  }
}
