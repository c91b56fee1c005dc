// The REST requests a policy run would spend, counted the way the executor
// spends them: list pages of 100 (the whole repository, or one ref when every
// rule names literal refs), one DELETE per cache, and the stale-ref look-ups.
// The look-ups follow src/engine/stale-refs.ts: for each kind (pull requests,
// branches, tags) a handful of names (at most 2) is asked one by one, more
// are found by paging the list of live ones; a list of several pages is not a
// snapshot, so names it did not show are confirmed (one by one when they are
// no more than the pages read, else by reading the list again). The one
// simplification: it never switches from paging to asking part-way.

import type { World } from './world.js'

export const PER_PAGE = 100
/** stale-refs.ts PER_REF_AT_MOST */
const PER_REF_AT_MOST = 2

export const listPages = (count: number): number => Math.max(1, Math.ceil(count / PER_PAGE))

function kindRequests(needed: number, unseen: number, live: number): number {
  if (needed === 0) return 0
  if (needed <= PER_REF_AT_MOST) return needed
  const pages = listPages(live)
  if (pages === 1 || unseen === 0) return pages
  return unseen <= pages ? pages + unseen : 2 * pages
}

/** The look-ups that judging `refs` needs; `dead` are the ones that turn out gone. */
export function lookupRequests(
  refs: Iterable<string>,
  dead: ReadonlySet<string>,
  world: World
): number {
  const needed = { pull: new Set<string>(), branch: new Set<string>(), tag: new Set<string>() }
  const unseen = { pull: 0, branch: 0, tag: 0 }
  for (const ref of new Set(refs)) {
    const kind = ref.startsWith('refs/pull/')
      ? 'pull'
      : ref.startsWith('refs/heads/')
        ? 'branch'
        : ref.startsWith('refs/tags/')
          ? 'tag'
          : undefined
    if (kind === undefined) continue
    needed[kind].add(ref)
    if (dead.has(ref)) unseen[kind]++
  }
  return (
    kindRequests(needed.pull.size, unseen.pull, world.openPullCount) +
    kindRequests(needed.branch.size, unseen.branch, world.branchCount) +
    kindRequests(needed.tag.size, unseen.tag, world.tagCount)
  )
}
