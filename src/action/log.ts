// Writing to the runner's log. Every line goes through here: a line made of
// our text and data chosen by others is never read as a workflow command,
// and no control character reaches the log.

import * as core from '@actions/core'
import { commandSafe, visible } from '../engine/format.js'

/** The longest line written; a longer one (a 10 KB key, say) is cut in the middle. */
const MAX_LINE = 4000

/** A line as the log may show it: one line, printable, bounded, never a command. */
export const safeLine = (line: string): string => commandSafe(visible(line, MAX_LINE))

/** One line of the log (a message meant as one line is kept as one line). */
export const logInfo = (line: string): void => core.info(safeLine(line))

/** Several lines: each line of `text` is written on its own, made safe. */
export function logLines(text: string): void {
  for (const line of text.split('\n')) logInfo(line)
}
