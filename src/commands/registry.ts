// The one table of commands that both front ends look up: each command's
// summary and its run, with one signature (inputs, context) -> Outcome. The
// action takes the command from its `command` input, the CLI from its first
// word; neither keeps a dispatch of its own. list and delete are the command
// line's alone (`cliOnly`): the action's `command` accepts only the others.

import { ignoredInputs, type Command, type InputGetter } from '../engine/inputs.js'
import type { LimitsReport } from '../engine/limits.js'
import type { UsageReport } from '../engine/usage.js'
import type { CommandContext } from './context.js'
import { runDelete, type DeleteReport } from './delete/command.js'
import { runLimits } from './limits/command.js'
import { runList, type ListReport } from './list/command.js'
import type { Outcome } from './outcome.js'
import { runPrune, type AnyPruneReport } from './prune/command.js'
import { runUsage } from './usage/command.js'

/** What each command reports. */
export interface CommandReports {
  readonly prune: AnyPruneReport
  readonly usage: UsageReport
  readonly limits: LimitsReport
  readonly list: ListReport
  readonly delete: DeleteReport
}

export interface CommandSpec<R> {
  /** one line, for help texts */
  readonly summary: string
  /** the command line's alone: the action's `command` input does not accept it */
  readonly cliOnly?: true
  readonly run: (get: InputGetter, context: CommandContext) => Promise<Outcome<R>>
}

export const COMMAND_SPECS: { readonly [C in Command]: CommandSpec<CommandReports[C]> } = {
  prune: {
    summary: "delete a repository's caches by policy (the action's default command)",
    run: runPrune
  },
  usage: {
    summary: 'report cache usage of a repository, an organization or an enterprise',
    run: runUsage
  },
  limits: {
    summary: 'read, or set, the cache limits of a repository, an organization or an enterprise',
    run: runLimits
  },
  list: {
    summary: "list a repository's caches, as gh cache list",
    cliOnly: true,
    run: runList
  },
  delete: {
    summary: 'delete caches by id, by exact key, or all of them (on a ref), as gh cache delete',
    cliOnly: true,
    run: runDelete
  }
}

/**
 * Runs a command. Inputs that another command reads are named in a warning
 * first, so a value the run ignores never passes for one it used.
 */
export function runCommand<C extends Command>(
  command: C,
  get: InputGetter,
  context: CommandContext
): Promise<Outcome<CommandReports[C]>> {
  const ignored = ignoredInputs(command, get)
  if (ignored.length > 0) {
    context.ui.warning(
      `The ${command} command ignores ${ignored.map(name => `'${name}'`).join(', ')}: ${ignored.length === 1 ? 'it belongs' : 'they belong'} to another command.`
    )
  }
  const spec: CommandSpec<CommandReports[C]> = COMMAND_SPECS[command]
  return spec.run(get, context)
}
