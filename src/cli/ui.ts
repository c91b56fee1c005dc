// The engine's Ui on a terminal: phases and log lines on stderr (stdout is
// for the result), warnings marked, debug lines with --verbose (or
// CACHE_STEWARD_DEBUG=1), and a progress bar when stderr is a terminal.
// Never a GitHub workflow command: the stream it writes to is a SafeStream.

import { visible } from '../engine/format.js'
import { Progress, type ProgressStream, type Ticker } from './progress.js'
import type { Ui } from '../run/ui.js'

export interface TerminalUi extends Ui {
  /** ends a progress bar left drawn, before the result is printed */
  finish(): void
}

/** The longest line of log: a 10 KB key is cut in the middle. */
const MAX_LINE = 4000

export function terminalUi(
  stderr: ProgressStream,
  options: { debug?: boolean; ticker?: Ticker } = {}
): TerminalUi {
  const progress = new Progress(stderr, options.ticker)
  // every line of log is one printable line: data in it never moves the cursor
  const line = (text: string): string =>
    text
      .split('\n')
      .map(part => visible(part, MAX_LINE))
      .join('\n')
  return {
    group: async (name, fn) => {
      progress.log(`== ${line(name)}`)
      return fn()
    },
    info: message => progress.log(`   ${line(message).replace(/\n/g, '\n   ')}`),
    warning: message => progress.log(`warning: ${line(message)}`),
    debug: message => {
      if (options.debug) progress.log(`   debug: ${line(message)}`)
    },
    progress: (phase, done, total) => progress.update(phase, done, total),
    finish: () => progress.finish()
  }
}
