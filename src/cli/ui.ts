// The engine's Ui on a terminal: phases and log lines on stderr (stdout is
// for the result), warnings marked, and a progress bar when stderr is a
// terminal. Never a GitHub workflow command.

import { Progress, type ProgressStream } from './progress.js'
import type { Ui } from '../run/ui.js'

export interface TerminalUi extends Ui {
  /** ends a progress bar left drawn, before the result is printed */
  finish(): void
}

export function terminalUi(stderr: ProgressStream, options: { debug?: boolean } = {}): TerminalUi {
  const progress = new Progress(stderr)
  return {
    group: async (name, fn) => {
      progress.log(`== ${name}`)
      return fn()
    },
    info: message => progress.log(`   ${message.replace(/\n/g, '\n   ')}`),
    warning: message => progress.log(`warning: ${message}`),
    debug: message => {
      if (options.debug) progress.log(`   debug: ${message}`)
    },
    progress: (phase, done, total) => progress.update(phase, done, total),
    finish: () => progress.finish()
  }
}
