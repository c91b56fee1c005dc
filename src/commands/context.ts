// What every command is given besides its inputs: how to reach the API, how
// to talk to people, what the triggering event says, and when the run began.

import type { EventScope } from '../engine/event.js'
import type { GovernorEvent } from '../github/governor.js'
import type { RunEnvironment } from '../github/runtime.js'
import type { Ui } from '../run/ui.js'

export interface CommandContext {
  readonly runtime: RunEnvironment
  /** GITHUB_API_URL, or the CLI's --api-url; empty means github.com */
  readonly apiUrl: string | undefined
  /** where the governor's retries and pauses are told */
  readonly onEvent: (event: GovernorEvent) => void
  readonly ui: Ui
  /** what the triggering event says about scope; the command line has no event */
  readonly scope: EventScope
  /** epoch ms by the runtime's clock; `deadline` counts from here */
  readonly started: number
  /** report the listing's progress through ui.progress (a terminal's bar) */
  readonly listingProgress?: boolean
  /**
   * aborted when a person interrupts the run (Ctrl-C): no request starts
   * after that, and the command reports what was done and what is pending
   */
  readonly signal?: AbortSignal
}
