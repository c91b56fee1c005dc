// Baseline 1: the sequential deleter most cache-cleanup actions are. It lists
// everything in scope, then deletes the chosen caches one request at a time,
// as fast as the answers come back, without pacing and without retries.

import {
  deleteOnce,
  type DeleteAnswer,
  listAllCaches,
  tally,
  type BaselineResult,
  type BaselineTarget
} from './baseline-http.js'

export async function sequentialDeleter(
  target: BaselineTarget,
  ids: ReadonlySet<number>
): Promise<BaselineResult> {
  const { caches, requests } = await listAllCaches(target)
  const answers: DeleteAnswer[] = []
  for (const c of caches) {
    if (ids.has(c.id)) answers.push(await deleteOnce(target, c.id))
  }
  return tally(caches.length, requests, answers)
}
