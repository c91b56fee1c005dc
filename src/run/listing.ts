// Listing: everything the plan needs is listed before anything is deleted.
// Pages are offset-based, so a cache deleted by someone else mid-listing
// shifts later pages and would be skipped. Each pass therefore checks itself
// (total_count stable across pages, no id repeated, as many ids as the total)
// and an inconsistent pass is repeated; the union of all passes is kept, since
// a cache listed once but gone later only costs a 404 ("already gone").
//
// Once the first page gives total_count, a pass reads the pages it counts
// side by side (the governor paces them and caps what is in flight) and
// takes their answers in page order, as one page after another would; pages
// past the counted ones, for caches created meanwhile, follow one by one.
//
// The server is never trusted to end a pass: a page that brings no new cache
// but says more follow, more pages than total_count allows (plus a margin),
// or more than MAX_PAGES stop the listing with a PagesDoNotEndError, before
// anything is deleted.

import { fullName, type Cache, type RepoName } from '../engine/cache.js'
import { formatCount } from '../engine/format.js'
import type { Policy } from '../engine/policy.js'
import {
  ApiError,
  MAX_IN_FLIGHT,
  MAX_PER_PAGE,
  type CacheApi,
  type CachePage
} from '../github/ports.js'

/** One family of list requests: the API's exact `ref` filter and prefix `key` filter. */
export interface ListScope {
  readonly ref?: string
  readonly keyPrefix?: string
}

export interface Listing {
  readonly caches: readonly Cache[]
  readonly scopes: readonly ListScope[]
  /** true when the scopes cover every cache of the repository */
  readonly wholeRepository: boolean
  readonly requests: number
  /** passes repeated because pages shifted under us */
  readonly repairs: number
  /** false when the listing could not be made consistent within the allowed passes */
  readonly consistent: boolean
}

export const WHOLE_REPOSITORY: readonly ListScope[] = [{}]
const MAX_REF_SCOPES = 10
const MAX_PASSES = 4

/**
 * The most pages one pass reads: 200,000 caches, twice the largest
 * repository the bench lists (100,000 caches, 1,000 pages). A GITHUB_TOKEN's
 * hourly budget (1,000 requests a repository) could not read more in one run.
 */
export const MAX_PAGES = 2000

/** Pages one pass asks for at once (the governor also caps the run's requests in flight). */
export const FAN_OUT = MAX_IN_FLIGHT

/**
 * Pages a pass may read past those its largest total_count fills before the
 * server counts as not ending its pages. A count taken a moment before its
 * page can lag behind caches created meanwhile (they land on the pages after
 * the counted ones, oldest first): two pages cover that on a small
 * repository, and a tenth of the pages on a big one, whose listing lasts
 * long enough for many jobs to save caches. A server past that margin is
 * wrong, not busy.
 */
export const sparePages = (counted: number): number => Math.max(2, Math.ceil(counted / 10))

/** The pages `total` caches fill. */
const pagesFor = (total: number): number => Math.ceil(total / MAX_PER_PAGE)

/**
 * After a page that says more follow: throws a PagesDoNotEndError when it
 * brought no cache not seen before, when it is past the pages `total` caches
 * fill (at `perPage`) and their spare pages, or at MAX_PAGES. The listing
 * and the command line's list both read pages through it.
 */
export function refuseEndlessPage(
  repo: RepoName,
  page: number,
  nothingNew: boolean,
  total: number,
  perPage: number
): void {
  if (nothingNew) {
    throw new PagesDoNotEndError(
      repo,
      `page ${page} brought no cache that earlier pages had not, yet said more follow`
    )
  }
  const counted = Math.ceil(total / perPage)
  const spare = sparePages(counted)
  if (page >= counted + spare) {
    throw new PagesDoNotEndError(
      repo,
      `page ${page} still said more follow, past the ${formatCount(counted)} pages that the ${formatCount(total)} caches it counts fill and ${spare} spare pages`
    )
  }
  if (page >= MAX_PAGES) {
    throw new PagesDoNotEndError(
      repo,
      `page ${formatCount(page)} still said more follow; one listing reads at most ${formatCount(MAX_PAGES)} pages`
    )
  }
}

/**
 * A server whose pages of caches do not end. Nothing was deleted: the
 * listing comes before any deletion, and this ends the run (one repository
 * of an organization's run).
 */
export class PagesDoNotEndError extends ApiError {
  constructor(repo: RepoName, why: string) {
    super(
      'invalid-response',
      200,
      `The list of caches of ${fullName(repo)} does not end: ${why}. The listing stopped there and nothing was deleted.`,
      `list caches of ${fullName(repo)}`,
      undefined,
      undefined,
      { operation: 'list-caches', scope: 'repository' }
    )
    this.name = 'PagesDoNotEndError'
  }

  override get worded(): boolean {
    return true
  }
}

const commonPrefix = (values: readonly string[]): string => {
  if (values.length === 0) return ''
  let prefix = values[0]
  for (const v of values) {
    let i = 0
    while (i < prefix.length && i < v.length && prefix[i] === v[i]) i++
    prefix = prefix.slice(0, i)
  }
  return prefix
}

/**
 * The narrowest exact set of list requests that returns every cache the
 * policy could select. A budget needs the repository's total, and stale-ref
 * detection looks at every ref, so those list the whole repository.
 */
export function listingScopes(policy: Policy): readonly ListScope[] {
  if (policy.maxTotalSize !== undefined) return WHOLE_REPOSITORY
  if (policy.rules.some(r => r.staleRefs)) return WHOLE_REPOSITORY
  const pairs: Array<{ ref?: string; prefix: string }> = []
  for (const rule of policy.rules) {
    const prefix = rule.keys?.commonPrefix ?? ''
    const refs = rule.refs?.literals
    if (refs && refs.length > 0) for (const ref of refs) pairs.push({ ref, prefix })
    else pairs.push({ prefix })
  }
  const prefixAll = commonPrefix(pairs.map(p => p.prefix))
  const refs = [...new Set(pairs.map(p => p.ref))]
  if (refs.includes(undefined) || refs.length > MAX_REF_SCOPES) {
    return prefixAll ? [{ keyPrefix: prefixAll }] : WHOLE_REPOSITORY
  }
  return (refs as string[]).sort().map(ref => {
    const prefix = commonPrefix(pairs.filter(p => p.ref === ref).map(p => p.prefix))
    return prefix ? { ref, keyPrefix: prefix } : { ref }
  })
}

export interface ListOptions {
  /**
   * After each page, in page order: `listed` is how many distinct caches of
   * the scope all its passes have found so far, so it never goes down.
   */
  readonly onPage?: (scope: ListScope, page: number, listed: number, total: number) => void
}

interface Pass {
  caches: Cache[]
  consistent: boolean
  requests: number
}

/** Takes one answered page, in page order; true when another page follows. */
type Take = (page: number, result: CachePage) => boolean

/**
 * Reads pages from..to, at most FAN_OUT at once, and hands their answers to
 * `take` in page order. Stops asking once `take` says the list ended or
 * throws (the answers already on their way are awaited, then dropped).
 */
async function readSideBySide(
  from: number,
  to: number,
  read: (page: number) => Promise<CachePage>,
  take: Take
): Promise<{ last: number; more: boolean }> {
  const answers = new Map<number, CachePage>()
  let asked = from - 1
  let taken = from - 1
  let more = true
  let failure: { error: unknown } | undefined
  const worker = async (): Promise<void> => {
    while (more && !failure && asked < to) {
      const page = ++asked
      try {
        answers.set(page, await read(page))
        for (let next = answers.get(taken + 1); more && !failure && next;) {
          answers.delete(++taken)
          more = take(taken, next)
          next = answers.get(taken + 1)
        }
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(FAN_OUT, to - asked) }, worker))
  if (failure) throw failure.error
  return { last: taken, more }
}

async function listPass(
  api: CacheApi,
  repo: RepoName,
  scope: ListScope,
  found: Set<number>,
  onPage: (page: number, listed: number, total: number) => void
): Promise<Pass> {
  const seen = new Map<number, Cache>()
  let consistent = true
  let requests = 0
  const read = async (page: number): Promise<CachePage> => {
    const result = await api.listCaches(repo, {
      ...(scope.ref !== undefined ? { ref: scope.ref } : {}),
      ...(scope.keyPrefix ? { key: scope.keyPrefix } : {}),
      page,
      perPage: MAX_PER_PAGE,
      // Oldest first: caches created while we list land after what we have read.
      sort: 'created_at',
      direction: 'asc'
    })
    requests++
    return result
  }
  const first = await read(1)
  // the count every page must repeat, and the largest one seen
  let total = first.totalCount
  let most = total
  const take: Take = (page, result) => {
    if (result.totalCount !== total) consistent = false
    total = result.totalCount
    most = Math.max(most, total)
    const before = seen.size
    for (const c of result.caches) {
      if (seen.has(c.id)) consistent = false
      seen.set(c.id, c)
      found.add(c.id)
    }
    onPage(page, found.size, total)
    if (!result.hasNext || result.caches.length === 0) return false
    // Oldest first, a page can repeat a few caches (others were deleted
    // before it) but never all of them: a whole page already seen is a loop.
    refuseEndlessPage(repo, page, seen.size === before, most, MAX_PER_PAGE)
    return true
  }

  let more = take(1, first)
  let last = 1
  if (more) {
    const counted = pagesFor(first.totalCount)
    if (counted > MAX_PAGES) {
      throw new PagesDoNotEndError(
        repo,
        `it counts ${formatCount(first.totalCount)} caches, more than the ${formatCount(MAX_PAGES)} pages one listing reads`
      )
    }
    ;({ last, more } = await readSideBySide(2, counted, read, take))
  }
  // Caches created meanwhile: the pages after the counted ones, one by one.
  while (more) more = take(++last, await read(last))
  if (seen.size !== total) consistent = false
  return { caches: [...seen.values()], consistent, requests }
}

export async function listCaches(
  api: CacheApi,
  repo: RepoName,
  scopes: readonly ListScope[],
  options: ListOptions = {}
): Promise<Listing> {
  const all = new Map<number, Cache>()
  let requests = 0
  let repairs = 0
  let consistent = true
  for (const scope of scopes) {
    let scopeConsistent = false
    const found = new Set<number>()
    const onPage = (page: number, listed: number, total: number): void =>
      options.onPage?.(scope, page, listed, total)
    for (let pass = 1; pass <= MAX_PASSES && !scopeConsistent; pass++) {
      if (pass > 1) repairs++
      const result = await listPass(api, repo, scope, found, onPage)
      requests += result.requests
      // Keep the newest copy of each cache (last access moves forward).
      for (const c of result.caches) all.set(c.id, c)
      scopeConsistent = result.consistent
    }
    consistent &&= scopeConsistent
  }
  const caches = [...all.values()].sort((a, b) => a.id - b.id)
  return {
    caches,
    scopes,
    wholeRepository: scopes.length === 1 && !scopes[0].ref && !scopes[0].keyPrefix,
    requests,
    repairs,
    consistent
  }
}
