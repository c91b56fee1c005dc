// What a command returns: its report, its outputs, the closing log block, the
// job summary and the verdict as notices. Each front end renders it its own
// way; no command prints.

/**
 * One sentence of a command's verdict. `error` fails the run (the action's
 * setFailed, the CLI's exit code 1); `stopped` marks the warning of a run that
 * ended early with selected work left (the CLI's exit code 3).
 */
export interface Notice {
  readonly level: 'error' | 'warning' | 'info'
  readonly message: string
  readonly stopped?: true
}

/**
 * What a command produced, for either front end to render: the action writes
 * `outputs`, the `log` block, the job `summary` and the notices; the CLI
 * renders `report` as a table or `outputs` as JSON, and the notices to stderr.
 */
export interface Outcome<R> {
  /** absent when the command ended before it had anything to report */
  readonly report?: R
  readonly outputs: Readonly<Record<string, string>>
  /**
   * outputs too large to be outputs: name -> contents. The action writes each
   * to a file under RUNNER_TEMP and sets the output to its path; the CLI's
   * JSON document holds the contents.
   */
  readonly files?: Readonly<Record<string, string>>
  /** the closing log block; `title` groups it in the runner's log */
  readonly log: { readonly title?: string; readonly lines: readonly string[] }
  /** the job summary (Markdown) */
  readonly summary?: string
  readonly notices: readonly Notice[]
}

const NOTHING = { outputs: {}, log: { lines: [] } } as const

/** An outcome without a report: the command stopped with these notices. */
export const noticesOnly = <R>(...notices: Notice[]): Outcome<R> => ({ ...NOTHING, notices })
