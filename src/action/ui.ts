// The runner's log as the executor's Ui: one group per phase, progress lines
// on long runs, warnings as annotations, debug lines behind ACTIONS_STEP_DEBUG.

import * as core from '@actions/core'
import type { Ui } from '../run/ui.js'
import { logInfo, safeLine } from './log.js'

export const actionUi: Ui = {
  group: (name, fn) => core.group(safeLine(name), fn),
  info: logInfo,
  // annotations and debug lines: @actions/core writes them as command data
  warning: message => core.warning(safeLine(message)),
  debug: message => core.debug(safeLine(message)),
  // RUNNER_DEBUG=1, which ACTIONS_STEP_DEBUG (or re-running with debug logging) sets
  verbose: core.isDebug(),
  progress: (phase, done, total) => logInfo(`${phase} ${done} of ${total}`)
}
