// The secondary limit's points, counted from the fake's record of what
// arrived: a GET costs 1 point, a mutating request 5, and GitHub allows 900 in
// any 60 seconds. The bench computes the most points any 60-second window
// held from the recorded requests themselves (every request, whatever its
// answer), not from what the action says about its pacing.

import type { RecordedRequest } from '../testing/fake/server.js'
import { WINDOW_MS } from './window-floor.js'

/** GitHub's documented points: a GET costs 1, a mutating request 5; at most 900 a minute. */
export const POINTS = { get: 1, mutation: 5, perMinute: 900 } as const

const pointsOf = (r: RecordedRequest): number =>
  r.method === 'GET' || r.method === 'HEAD' ? POINTS.get : POINTS.mutation

/**
 * The most points of requests that arrived within any window of 60 simulated
 * seconds, a window being (t - 60 s, t] for each arrival t. `scale`: real time
 * per simulated time.
 */
export function maxPointsInWindow(requests: readonly RecordedRequest[], scale: number): number {
  const sorted = [...requests].sort((a, b) => a.startedAt - b.startedAt)
  const span = WINDOW_MS * scale
  let best = 0
  let sum = 0
  let from = 0
  for (const r of sorted) {
    sum += pointsOf(r)
    while (sorted[from].startedAt <= r.startedAt - span) sum -= pointsOf(sorted[from++])
    best = Math.max(best, sum)
  }
  return best
}
