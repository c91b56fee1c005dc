// How the engine's orchestration talks to people, without knowing whether it
// runs as an action (grouped runner log) or from a terminal (the CLI).

export interface Ui {
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /**
   * whether debug lines are shown (the runner's debug logging, the CLI's
   * --verbose); lines that cost work to build are built only then
   */
  readonly verbose?: boolean
  /** progress of a long phase; a terminal may draw a bar, a log prints a line now and then */
  progress(phase: string, done: number, total: number): void
}
