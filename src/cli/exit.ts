// The command line's exit codes: what each means, for the help text, the docs
// and the verdict of a run.

import type { Notice } from '../commands/outcome.js'

export const ExitCode = {
  /** done; a dry run too, and a run that stopped at --max-deletions (the cap it was given) */
  Ok: 0,
  /** some selected caches could not be deleted, a look-up or request failed, or GitHub refused */
  Failed: 1,
  /** bad usage or input: an unknown flag, a bad value, no token; nothing was requested */
  Usage: 2,
  /** stopped early with work left: the rate-limit reserve or the --deadline was reached */
  Stopped: 3
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export const EXIT_CODES: ReadonlyArray<readonly [ExitCodeValue, string]> = [
  [ExitCode.Ok, 'success (also a dry run, and a run capped by --max-deletions)'],
  [
    ExitCode.Failed,
    'some selected caches could not be deleted, or a request failed (permissions, API error)'
  ],
  [ExitCode.Usage, 'bad usage or input (unknown flag, bad value, no token); nothing was requested'],
  [
    ExitCode.Stopped,
    'stopped early with work left (rate-limit reserve or --deadline); run it again to continue'
  ]
]

/** A failure outranks an early stop; anything else is success. */
export function exitCodeFor(notices: readonly Notice[]): ExitCodeValue {
  if (notices.some(n => n.level === 'error')) return ExitCode.Failed
  if (notices.some(n => n.stopped)) return ExitCode.Stopped
  return ExitCode.Ok
}
