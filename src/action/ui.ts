// The runner's log as the executor's Ui: one group per phase, progress lines
// on long runs, warnings as annotations, debug lines behind ACTIONS_STEP_DEBUG.

import * as core from '@actions/core'
import type { Ui } from '../run/ui.js'

export const actionUi: Ui = {
  group: (name, fn) => core.group(name, fn),
  info: message => core.info(message),
  warning: message => core.warning(message),
  debug: message => core.debug(message),
  progress: (phase, done, total) => core.info(`${phase} ${done} of ${total}`)
}
