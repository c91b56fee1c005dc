// The command line's exit codes: what each means, for the help text, the docs
// and the verdict of a run. gh's where the cases are the same: 0 success (list
// finding nothing too), 1 an error (a cache not found, delete --all finding
// nothing, an API failure); and 130 for Ctrl-C, as a shell reports a process
// ended by SIGINT. Bad usage, and no token, are 2 as in 1.0.0 (gh says 1 and
// 4; an exit code changes only in a new major version), and 3 is ours:
// stopped early with work left.

import type { Notice } from '../commands/outcome.js'

export const ExitCode = {
  /** done; a dry run too, and a run that stopped at --max-deletions (the cap it was given) */
  Ok: 0,
  /** some selected caches could not be deleted, a look-up or request failed, or GitHub refused */
  Failed: 1,
  /** bad usage or input: an unknown flag, a bad value, no repository, no token; nothing was requested */
  Usage: 2,
  /** stopped early with work left: the rate-limit reserve or the --deadline was reached */
  Stopped: 3,
  /** Ctrl-C: stopped starting requests; the report says what was done and what is pending */
  Interrupted: 130
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export const EXIT_CODES: ReadonlyArray<readonly [ExitCodeValue, string]> = [
  [
    ExitCode.Ok,
    'success (also a dry run, a run capped by --max-deletions, and list finding nothing)'
  ],
  [
    ExitCode.Failed,
    'some selected caches could not be deleted, a cache named to delete was not found (delete --all: none found, unless --succeed-on-no-caches), or a request failed'
  ],
  [
    ExitCode.Usage,
    'bad usage or input (unknown flag, bad value, no repository); nothing was requested'
  ],
  [
    ExitCode.Stopped,
    'stopped early with work left (rate-limit reserve or --deadline); run it again to continue'
  ],
  [
    ExitCode.Interrupted,
    'interrupted (Ctrl-C): requests in flight finished, the report shows what is pending'
  ]
]

/** A failure outranks an early stop; anything else is success. */
export function exitCodeFor(notices: readonly Notice[]): ExitCodeValue {
  if (notices.some(n => n.level === 'error')) return ExitCode.Failed
  if (notices.some(n => n.stopped)) return ExitCode.Stopped
  return ExitCode.Ok
}
