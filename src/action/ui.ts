// The runner's log as the executor's Ui: one group per phase, progress lines
// on long runs, warnings as annotations, debug lines behind ACTIONS_STEP_DEBUG.

import * as core from '@actions/core'
import type { Ui } from '../run/ui.js'
import { logInfo, safeLine } from './log.js'

/**
 * A log is read afterwards, not watched: one progress line per tenth of the
 * work (and the last), however often the work reports.
 */
class Tenths {
  private readonly shown = new Map<string, { tenth: number; done: number }>()
  step(phase: string, done: number, total: number): boolean {
    const tenth = total > 0 ? Math.floor((done * 10) / total) : 10
    const last = this.shown.get(phase)
    // a count that went back is the next repository's run
    const fresh = last === undefined || done < last.done
    if (done < total && !fresh && tenth <= last.tenth) return false
    if (done >= total) this.shown.delete(phase)
    else this.shown.set(phase, { tenth, done })
    return true
  }
}
const tenths = new Tenths()

export const actionUi: Ui = {
  group: (name, fn) => core.group(safeLine(name), fn),
  info: logInfo,
  // annotations and debug lines: @actions/core writes them as command data
  warning: message => core.warning(safeLine(message)),
  debug: message => core.debug(safeLine(message)),
  // RUNNER_DEBUG=1, which ACTIONS_STEP_DEBUG (or re-running with debug logging) sets
  verbose: core.isDebug(),
  progress: (phase, done, total) => {
    if (tenths.step(phase, done, total)) logInfo(`${phase} ${done} of ${total}`)
  }
}
