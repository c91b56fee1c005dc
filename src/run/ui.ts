// How the engine's orchestration talks to people, without knowing whether it
// runs as an action (grouped runner log) or from a terminal (the CLI).

export interface Ui {
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** progress of a long phase; a terminal may draw a bar, a log prints a line now and then */
  progress(phase: string, done: number, total: number): void
}

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
  /** the closing log block; `title` groups it in the runner's log */
  readonly log: { readonly title?: string; readonly lines: readonly string[] }
  /** the job summary (Markdown) */
  readonly summary?: string
  readonly notices: readonly Notice[]
}

const NOTHING = { outputs: {}, log: { lines: [] } } as const

/** An outcome without a report: the command stopped with these notices. */
export const noticesOnly = <R>(...notices: Notice[]): Outcome<R> => ({ ...NOTHING, notices })
