// Finding which refs are dead: runs the look-ups that the pure rules of
// engine/stale-refs.ts ask for through the RefLookup port, paging or asking
// per name, and confirming what a multi-page list did not show. Any failed
// look-up aborts the whole decision with a StaleRefsError, so nothing is ever
// deleted because GitHub could not be asked.

import type { RepoName } from '../engine/cache.js'
import { chooseStrategy, deadRefs, lookupNeeds, type Known } from '../engine/stale-refs.js'
import { StopError, type NamePage, type RefLookup } from '../github/ports.js'
import type { Ui } from './ui.js'

/** A look-up failed, so no ref is judged stale and nothing is deleted on that basis. */
export class StaleRefsError extends Error {
  constructor(override readonly cause: unknown) {
    super('stale-refs: could not find out which refs still exist, so nothing was deleted')
    this.name = 'StaleRefsError'
  }
}

/**
 * The look-ups answered that the default branch does not exist. It always
 * exists, so the token cannot see branches (a private repository answers 404
 * to a token without contents permission): nothing GitHub said can be trusted.
 */
export class DefaultBranchUnseenError extends Error {
  constructor(readonly branch: string) {
    super(
      `GitHub answered that the default branch '${branch}' does not exist, so the token cannot see the repository's branches`
    )
    this.name = 'DefaultBranchUnseenError'
  }
}

interface KindLookup<T> {
  readonly label: string
  readonly needed: readonly T[]
  page(n: number): Promise<NamePage<T>>
  ask(name: T): Promise<boolean>
}

interface KindReport {
  readonly label: string
  readonly needed: number
  readonly pages: number
  readonly asked: number
}

const kindReport = <T>(k: KindLookup<T>, pages: number, asked: number): KindReport => ({
  label: k.label,
  needed: k.needed.length,
  pages,
  asked
})

/** Answers for every needed name: true for the ones seen, asked one by one for the rest. */
async function askUnseen<T>(
  k: KindLookup<T>,
  seen: ReadonlySet<T>
): Promise<{ answers: Map<T, boolean>; asked: number }> {
  const answers = new Map<T, boolean>()
  const rest: T[] = []
  for (const n of k.needed) {
    if (seen.has(n)) answers.set(n, true)
    else rest.push(n)
  }
  const results = await Promise.all(rest.map(n => k.ask(n)))
  rest.forEach((n, i) => answers.set(n, results[i]))
  return { answers, asked: rest.length }
}

async function resolveKind<T>(k: KindLookup<T>, ui: Ui): Promise<[Known<T>, KindReport]> {
  if (k.needed.length === 0) return [{ answers: new Map() }, kindReport(k, 0, 0)]
  let choice = chooseStrategy(k.needed.length, undefined)
  ui.info(`${k.label}: ${choice.why}`)
  const seen = new Set<T>()
  let page = 0
  while (choice.strategy === 'page') {
    page++
    const p = await k.page(page)
    for (const item of p.items) seen.add(item)
    if (!p.hasNext) {
      ui.info(`${k.label}: read ${page} page${page === 1 ? '' : 's'}, ${seen.size} exist`)
      if (page === 1) return [{ complete: seen }, kindReport(k, page, 0)]
      return confirmUnseen(k, seen, page, ui)
    }
    const unresolved = k.needed.filter(n => !seen.has(n)).length
    const pagesLeft = p.lastPage !== undefined ? Math.max(0, p.lastPage - page) : undefined
    choice = chooseStrategy(unresolved, pagesLeft)
    if (choice.strategy === 'per-ref') ui.info(`${k.label}: ${choice.why}`)
  }
  const { answers, asked } = await askUnseen(k, seen)
  return [{ answers }, kindReport(k, page, asked)]
}

/**
 * A list read in several pages is not a snapshot: a branch deleted (or a pull
 * request closed) while it is read shifts the later pages, and the name that
 * moves across a page boundary is never seen, though it exists. Judging it
 * gone would delete a live ref's caches, so the names that were not seen are
 * confirmed: each asked for when they are no more than the pages read, else
 * by reading the list a second time. A name counts as gone only when no
 * answer showed it.
 */
async function confirmUnseen<T>(
  k: KindLookup<T>,
  seen: Set<T>,
  pages: number,
  ui: Ui
): Promise<[Known<T>, KindReport]> {
  const unseen = k.needed.filter(n => !seen.has(n)).length
  if (unseen === 0) return [{ complete: seen }, kindReport(k, pages, 0)]
  if (unseen <= pages) {
    ui.info(`${k.label}: confirming the ${unseen} not listed, one by one`)
    const { answers, asked } = await askUnseen(k, seen)
    return [{ answers }, kindReport(k, pages, asked)]
  }
  ui.info(`${k.label}: reading the list again to confirm the ${unseen} not listed`)
  let again = 0
  for (let more = true; more;) {
    again++
    const p = await k.page(again)
    for (const item of p.items) seen.add(item)
    more = p.hasNext
  }
  return [{ complete: seen }, kindReport(k, pages + again, 0)]
}

export interface StaleRefsResult {
  readonly dead: ReadonlySet<string>
  readonly kinds: readonly KindReport[]
}

/**
 * Looks up what `refs` need and returns the dead ones. Throws a
 * StaleRefsError when any look-up fails (after the governor's retries).
 */
export async function resolveStaleRefs(
  lookup: RefLookup,
  repo: RepoName,
  refs: readonly string[],
  ui: Ui
): Promise<StaleRefsResult> {
  const needs = lookupNeeds(refs)
  try {
    const [pulls, pullReport] = await resolveKind(
      {
        label: 'pull requests',
        needed: needs.pulls,
        page: n => lookup.openPulls(repo, n),
        ask: n => lookup.pullIsOpen(repo, n)
      },
      ui
    )
    const [branches, branchReport] = await resolveKind(
      {
        label: 'branches',
        needed: needs.branches,
        page: n => lookup.branches(repo, n),
        ask: n => lookup.branchExists(repo, n)
      },
      ui
    )
    const [tags, tagReport] = await resolveKind(
      {
        label: 'tags',
        needed: needs.tags,
        page: n => lookup.tags(repo, n),
        ask: n => lookup.tagExists(repo, n)
      },
      ui
    )
    const dead = deadRefs(refs, { pulls, branches, tags })
    if (needs.branches.length > 0) {
      // The default branch is never stale: if the answers say it is gone, they are wrong.
      const main = await lookup.defaultBranch(repo)
      if (dead.has(`refs/heads/${main}`))
        throw new StaleRefsError(new DefaultBranchUnseenError(main))
    }
    ui.info(`${dead.size} of ${new Set(refs).size} refs no longer exist`)
    return { dead, kinds: [pullReport, branchReport, tagReport] }
  } catch (error) {
    // a spent budget or a passed deadline stops the run cleanly, as anywhere else
    if (error instanceof StaleRefsError || error instanceof StopError) throw error
    throw new StaleRefsError(error)
  }
}
