// The floor of a large job's time: what a sliding window of W DELETEs per 60
// seconds imposes on N deletions, however fast everything else is.
//
// In any 60-second window at most W DELETEs may start. So the DELETE number k
// (counting from 0) cannot start before floor(k / W) x 60 s after the first
// one: DELETEs 0..W-1 may go at once, W..2W-1 only once the first of them
// has left the window, and so on. The last one, k = N - 1, starts at least
// floor((N - 1) / W) x 60 s after the first. The job's time cannot be shorter
// than that, plus what comes before the first DELETE (the listing and the
// planning) and the last DELETE's own round trip:
//
//   floor = listing + floor((N - 1) / W) x 60 s + last DELETE's latency
//
// where `listing` is the time from the first request's arrival to the first
// DELETE's arrival and the latency is the last-starting DELETE's arrival to its
// answer, both as the fake recorded them in the same run. The bench compares
// the job's API time (first request's arrival to the last answer) with this
// floor: a ratio of 1.0 means the window was the only thing that took time.

import type { RecordedRequest } from '../testing/fake/server.js'

export const WINDOW_MS = 60_000

export interface Floor {
  /** floor((N - 1) / W) x 60 s, in simulated ms */
  readonly windowMs: number
  /** the whole floor, in simulated ms */
  readonly floorMs: number
}

/**
 * The floor for the DELETEs among `requests` and a window of `perWindow`;
 * undefined without a DELETE. `scale`: real time per simulated time.
 */
export function windowFloor(
  requests: readonly RecordedRequest[],
  perWindow: number,
  scale: number
): Floor | undefined {
  const dels = requests.filter(r => r.method === 'DELETE').sort((a, b) => a.startedAt - b.startedAt)
  if (dels.length === 0) return undefined
  const first = Math.min(...requests.map(r => r.startedAt))
  const last = dels[dels.length - 1]
  const windowMs = Math.floor((dels.length - 1) / perWindow) * WINDOW_MS
  const listingMs = (dels[0].startedAt - first) / scale
  const lastLatencyMs = ((last.endedAt ?? last.startedAt) - last.startedAt) / scale
  return { windowMs, floorMs: listingMs + windowMs + lastLatencyMs }
}
