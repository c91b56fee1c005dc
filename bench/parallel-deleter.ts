// Baseline 2: the unbounded parallel deleter the other cache-cleanup actions
// are (Promise.all over every id). It lists everything in scope, then sends
// every DELETE at once, without a concurrency cap, pacing or retries.

import {
  deleteOnce,
  listAllCaches,
  tally,
  type BaselineResult,
  type BaselineTarget
} from './baseline-http.js'

export async function parallelDeleter(
  target: BaselineTarget,
  ids: ReadonlySet<number>
): Promise<BaselineResult> {
  const { caches, requests } = await listAllCaches(target)
  const chosen = caches.filter(c => ids.has(c.id))
  const answers = await Promise.all(chosen.map(c => deleteOnce(target, c.id)))
  return tally(caches.length, requests, answers)
}
