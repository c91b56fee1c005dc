// A governor event (a retry, a secondary-limit pause, a wait for the rate
// limit's reset), and one request's debug line, as one line for a person, in
// the log or on a terminal.

import { visible } from '../engine/format.js'
import type { GovernorEvent } from '../github/governor.js'
import type { RequestRecord } from '../github/octokit.js'

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`

export function describeGovernorEvent(e: GovernorEvent): string {
  switch (e.type) {
    case 'retry':
      return `retrying ${visible(e.request)} in ${seconds(e.waitMs)} (attempt ${e.attempt} failed: ${visible(e.cause)})`
    case 'secondary-limit':
      return `secondary rate limit on ${visible(e.request)}: pausing ${seconds(e.waitMs)}, then at most ${e.mutationsPerWindow} deletions in any ${seconds(e.windowMs)}`
    case 'reset-wait':
      return `rate limit spent; waiting ${seconds(e.waitMs)} for it to reset`
    case 'window-wait':
      return `${e.mutations} deletions and ${e.points} points in the last ${seconds(e.windowMs)}: waiting ${seconds(e.waitMs)} for room before ${visible(e.request)}`
  }
}

/** Whether a person should see the event in the log, or only with debug logging on. */
export const isNotable = (e: GovernorEvent): boolean => e.type !== 'window-wait' || e.notable

/** One request, for debug logs: method, route, status, time and the rate limit left. */
export const describeRequest = (r: RequestRecord): string =>
  `${r.method} ${visible(r.path, 200)} -> ${r.status ?? 'no answer'} in ${r.ms} ms${r.remaining !== undefined ? `, rate limit left ${r.remaining}` : ''}`
