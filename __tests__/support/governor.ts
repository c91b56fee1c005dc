// The governor's unit tests: an answer, a failure, and a governor on a manual
// clock with its events recorded.

import {
  defaultGovernorOptions,
  Governor,
  type Attempted,
  type GovernorEvent
} from '../../src/github/governor.js'
import { ApiError } from '../../src/github/ports.js'
import { ManualClock } from './memory-api.js'

export const ok = <T>(value: T, headers: Record<string, string> = {}): Attempted<T> => ({
  value,
  headers
})

export const fail = (
  kind: ApiError['kind'],
  status?: number,
  retryAfterMs?: number,
  headers?: Record<string, string>
): ApiError => new ApiError(kind, status, kind, 'test request', retryAfterMs, headers)

/** A governor with no jitter (random 0.5) on a manual clock; `events` records what it reports. */
export const make = (
  over: Partial<ReturnType<typeof defaultGovernorOptions>> = {},
  clock: ManualClock = new ManualClock()
) => {
  const events: GovernorEvent[] = []
  const g = new Governor({
    ...defaultGovernorOptions(clock),
    random: () => 0.5,
    onEvent: e => events.push(e),
    ...over
  })
  return { g, clock, events }
}
