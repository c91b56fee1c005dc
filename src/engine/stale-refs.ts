// Which refs are dead: closed pull requests, deleted branches and tags, and
// merge-queue branches that are gone or whose pull request is closed.
//
// The decisions are pure: classifyRef / lookupNeeds say what must be asked,
// chooseStrategy says how (per ref, or by paging the whole list), and
// deadRefs turns the answers into the set of dead refs. resolveStaleRefs runs
// the look-ups through the narrow RefLookup interface (ref-lookup.ts has the
// GitHub adapter). A ref counts as dead only on a successful answer: any
// failed look-up aborts the whole decision with a StaleRefsError, so nothing
// is ever deleted because GitHub could not be asked.

import { ApiError } from '../github/ports.js'
import type { RepoName } from './cache.js'
import { StopError } from '../github/governor.js'
import type { Ui } from '../run/ui.js'

// The finder the action and the CLI use lives with the GitHub adapter; it is
// re-exported here for modules that import it from its first home.
export { findStaleRefs } from '../github/ref-lookup.js'

// ---------------------------------------------------------------------------
// What a ref points at

export interface MergeQueueRef {
  /** the queue branch, without refs/heads/ */
  readonly branch: string
  /** the branch the pull request merges into */
  readonly base: string
  readonly pull: number
  readonly sha: string
}

export type RefTarget =
  | { readonly kind: 'pull'; readonly number: number }
  | { readonly kind: 'branch'; readonly name: string }
  | { readonly kind: 'queue'; readonly queue: MergeQueueRef }
  | { readonly kind: 'tag'; readonly name: string }
  /** anything else (refs/remotes/..., refs/notes/...): never judged stale */
  | { readonly kind: 'other' }

const QUEUE = /^refs\/heads\/(gh-readonly-queue\/(.+)\/pr-(\d+)-([0-9a-f]{40}))$/

/**
 * `refs/heads/gh-readonly-queue/<base>/pr-<N>-<sha>` (the base may hold
 * slashes, like `release/1.x`); undefined for any other ref.
 */
export function parseMergeQueueRef(ref: string): MergeQueueRef | undefined {
  const m = QUEUE.exec(ref)
  if (!m) return undefined
  const pull = Number(m[3])
  if (!Number.isSafeInteger(pull) || pull < 1) return undefined
  return { branch: m[1], base: m[2], pull, sha: m[4] }
}

export function classifyRef(ref: string): RefTarget {
  const pull = /^refs\/pull\/(\d+)\/[^/]+$/.exec(ref)
  if (pull) {
    const n = Number(pull[1])
    return Number.isSafeInteger(n) && n >= 1 ? { kind: 'pull', number: n } : { kind: 'other' }
  }
  const queue = parseMergeQueueRef(ref)
  if (queue) return { kind: 'queue', queue }
  if (ref.startsWith('refs/heads/') && ref.length > 'refs/heads/'.length) {
    return { kind: 'branch', name: ref.slice('refs/heads/'.length) }
  }
  if (ref.startsWith('refs/tags/') && ref.length > 'refs/tags/'.length) {
    return { kind: 'tag', name: ref.slice('refs/tags/'.length) }
  }
  return { kind: 'other' }
}

/** The distinct names to look up, sorted. */
export interface LookupNeeds {
  readonly pulls: readonly number[]
  readonly branches: readonly string[]
  readonly tags: readonly string[]
}

/**
 * What must be asked to judge `refs`: a merge-queue ref needs both its queue
 * branch and its pull request.
 */
export function lookupNeeds(refs: Iterable<string>): LookupNeeds {
  const pulls = new Set<number>()
  const branches = new Set<string>()
  const tags = new Set<string>()
  for (const ref of refs) {
    const t = classifyRef(ref)
    if (t.kind === 'pull') pulls.add(t.number)
    else if (t.kind === 'branch') branches.add(t.name)
    else if (t.kind === 'tag') tags.add(t.name)
    else if (t.kind === 'queue') {
      branches.add(t.queue.branch)
      pulls.add(t.queue.pull)
    }
  }
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
  return {
    pulls: [...pulls].sort((a, b) => a - b),
    branches: [...branches].sort(text),
    tags: [...tags].sort(text)
  }
}

// ---------------------------------------------------------------------------
// What the look-ups established

/**
 * For one kind: either every live name (a list paged to its end), or an
 * answer (alive or not) for each name asked.
 */
export type Known<T> =
  { readonly complete: ReadonlySet<T> } | { readonly answers: ReadonlyMap<T, boolean> }

export interface RefFacts {
  /** pull requests that are open */
  readonly pulls: Known<number>
  readonly branches: Known<string>
  readonly tags: Known<string>
}

function alive<T>(known: Known<T>, name: T, what: string): boolean {
  if ('complete' in known) return known.complete.has(name)
  const answer = known.answers.get(name)
  // A name nobody asked about is never taken for dead.
  if (answer === undefined) throw new Error(`stale refs: ${what} ${String(name)} was not looked up`)
  return answer
}

/**
 * The dead refs among `refs`: a pull ref whose pull request is not open, a
 * branch or tag that does not exist, a merge-queue ref whose queue branch is
 * gone or whose pull request is not open. Other refs are never dead.
 */
export function deadRefs(refs: Iterable<string>, facts: RefFacts): Set<string> {
  const dead = new Set<string>()
  for (const ref of refs) {
    const t = classifyRef(ref)
    let isDead = false
    if (t.kind === 'pull') isDead = !alive(facts.pulls, t.number, 'pull request')
    else if (t.kind === 'branch') isDead = !alive(facts.branches, t.name, 'branch')
    else if (t.kind === 'tag') isDead = !alive(facts.tags, t.name, 'tag')
    else if (t.kind === 'queue') {
      isDead =
        !alive(facts.branches, t.queue.branch, 'branch') ||
        !alive(facts.pulls, t.queue.pull, 'pull request')
    }
    if (isDead) dead.add(ref)
  }
  return dead
}

// ---------------------------------------------------------------------------
// Asking per ref or paging

export type Strategy = 'per-ref' | 'page'

export interface LookupChoice {
  readonly strategy: Strategy
  /** for the log */
  readonly why: string
}

/**
 * Before anything is paged, asking per ref costs one request per name and
 * paging at least one (a typical repository has under 100 open pull requests,
 * so one page): ask per ref only for a handful of names.
 */
export const PER_REF_AT_MOST = 2

/**
 * How to learn about `unresolved` names. `pagesLeft` is what is left of a
 * list being paged (from its Link rel="last"), undefined before the first page
 * or when the server does not say. Paging wins ties: it costs the same and
 * answers for every name.
 */
export function chooseStrategy(
  unresolved: number,
  pagesLeft: number | undefined,
  perRefAtMost: number = PER_REF_AT_MOST
): LookupChoice {
  if (pagesLeft === undefined) {
    return unresolved <= perRefAtMost
      ? {
          strategy: 'per-ref',
          why: `${unresolved} to look up (at most ${perRefAtMost}): asking for each, ${unresolved} requests`
        }
      : {
          strategy: 'page',
          why: `${unresolved} to look up (more than ${perRefAtMost}): paging the list, 100 a page`
        }
  }
  return unresolved < pagesLeft
    ? {
        strategy: 'per-ref',
        why: `${unresolved} still unknown, fewer than the ${pagesLeft} pages left: asking for each`
      }
    : {
        strategy: 'page',
        why: `${unresolved} still unknown, ${pagesLeft} pages left: paging on`
      }
}

// ---------------------------------------------------------------------------
// Running the look-ups

/** One page of live names from a list endpoint. */
export interface NamePage<T> {
  readonly items: readonly T[]
  readonly hasNext: boolean
  /** the number of the last page, from the Link header, when the server gives it */
  readonly lastPage?: number
}

/** The look-ups stale-refs needs; ref-lookup.ts implements them over the REST API. */
export interface RefLookup {
  /** open pull requests, 100 a page, oldest first (new ones never shift earlier pages) */
  openPulls(repo: RepoName, page: number): Promise<NamePage<number>>
  /** false when the pull request is closed or does not exist */
  pullIsOpen(repo: RepoName, pull: number): Promise<boolean>
  /** branch names, 100 a page */
  branches(repo: RepoName, page: number): Promise<NamePage<string>>
  branchExists(repo: RepoName, branch: string): Promise<boolean>
  /** every tag name (one matching-refs request per page) */
  tags(repo: RepoName, page: number): Promise<NamePage<string>>
  tagExists(repo: RepoName, tag: string): Promise<boolean>
}

/** A look-up failed, so no ref is judged stale and nothing is deleted on that basis. */
export class StaleRefsError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown
  ) {
    super(message)
    this.name = 'StaleRefsError'
  }
}

export const STALE_REFS_PERMISSIONS =
  'permissions:\n    actions: write\n    contents: read        # branches and tags\n    pull-requests: read   # pull requests'

/** The message for a failed look-up; a 403 names the permissions stale-refs needs. */
export function explainLookupFailure(error: unknown): string {
  const head = 'stale-refs: could not find out which refs still exist, so nothing was deleted.'
  if (error instanceof ApiError) {
    const answered = `GitHub answered ${error.status ?? 'nothing'} (${error.message}) to: ${error.request}.`
    if (error.kind === 'forbidden' || error.kind === 'not-found') {
      return (
        `${head} ${answered} Looking up refs needs the token to read pull requests and contents; give the job\n` +
        `  ${STALE_REFS_PERMISSIONS}`
      )
    }
    return `${head} ${answered} The next run tries again.`
  }
  return `${head} ${(error as Error)?.message ?? String(error)}`
}

interface KindLookup<T> {
  readonly label: string
  readonly needed: readonly T[]
  page(n: number): Promise<NamePage<T>>
  ask(name: T): Promise<boolean>
}

export interface KindReport {
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
    ui.info(`${dead.size} of ${new Set(refs).size} refs no longer exist`)
    return { dead, kinds: [pullReport, branchReport, tagReport] }
  } catch (error) {
    // a spent budget or a passed deadline stops the run cleanly, as anywhere else
    if (error instanceof StaleRefsError || error instanceof StopError) throw error
    throw new StaleRefsError(explainLookupFailure(error), error)
  }
}
