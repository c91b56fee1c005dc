// Carrying out a plan. One cache's failure is data, not an exception: every
// planned cache ends with exactly one outcome. Pacing, retries and the rate
// budget live in the Governor behind the CacheApi; this module decides what
// to call, in what order, and what each answer means.

import type { Cache, RepoName } from '../engine/cache.js'
import type { Decision } from '../engine/policy.js'
import type { PendingWhy } from '../engine/reasons.js'
import { ApiError, StopError, type CacheApi } from '../github/ports.js'
import type { Listing } from './listing.js'

/** What became of one planned deletion. */
type ItemOutcome =
  | { readonly status: 'deleted' | 'already-gone' | 'would-delete' }
  | { readonly status: 'failed'; readonly error: string; readonly kind: ApiError['kind'] | 'error' }
  | {
      readonly status: 'pending'
      readonly why: PendingWhy
      /** a delete was sent and its answer lost before the stop: it may have gone through */
      readonly mayHaveApplied?: true
    }

export interface Item {
  readonly decision: Decision
  readonly outcome: ItemOutcome
}

export interface Execution {
  readonly items: readonly Item[]
  /** why the run stopped early (budget or deadline), if it did */
  readonly stopped?: StopError
  /** the first permission failure; later deletions were not attempted */
  readonly denied?: ApiError
  readonly requests: number
}

export interface ExecuteOptions {
  readonly dryRun: boolean
  readonly maxDeletions?: number
  /** how many deletions run at once (the Governor caps requests as well) */
  readonly concurrency: number
  /** allow DELETE ?key=&ref= for a key with several versions, where provably safe */
  readonly deleteByKey: boolean
  readonly onProgress?: (done: number, total: number) => void
  /** told how many delete requests are about to be made */
  readonly onPlanned?: (requests: number) => void
}

interface Work {
  readonly decisions: readonly Decision[]
  /** set for a delete-by-key call covering every decision in the group */
  readonly byKey?: { key: string; ref: string }
  /**
   * a delete by key sent before this one may have removed these caches (its
   * answer was lost), so a 404 here is that call's doing
   */
  readonly afterLostAnswer?: true
}

/**
 * Groups deletions into delete-by-key calls where that is provably safe:
 * every cache such a call could remove (a prefix or exact match, in any
 * letter case, on that ref) is planned, and the listing saw all of that
 * ref's caches. A call for a key also removes the longer keys it prefixes,
 * so keys are taken shortest first and each call carries every planned cache
 * it reaches, whatever its key: no two calls running side by side reach the
 * same cache. A cache created after the listing could still match, so this is
 * off unless asked for.
 */
export function planWork(
  deletions: readonly Decision[],
  listing: Pick<Listing, 'caches' | 'scopes'>,
  deleteByKey: boolean
): Work[] {
  if (!deleteByKey) return deletions.map(d => ({ decisions: [d] }))
  const planned = new Set(deletions.map(d => d.cache.id))
  const groups = new Map<string, Decision>()
  for (const d of deletions) {
    const id = `${d.cache.ref}\u0000${d.cache.key}`
    if (!groups.has(id)) groups.set(id, d)
  }
  const claimedBy = new Map<number, Work>()
  const keysOf = keysByRef(listing.caches)
  const position = new Map(deletions.map((d, i) => [d.cache.id, i]))
  const shortestFirst = [...groups.values()].sort((a, b) => a.cache.key.length - b.cache.key.length)
  for (const { cache } of shortestFirst) {
    if (claimedBy.has(cache.id)) continue
    const { ref, key } = cache
    const refFullyListed = listing.scopes.some(
      s => (s.ref === undefined || s.ref === ref) && !s.keyPrefix
    )
    if (!refFullyListed) continue
    const reachable = startingWith(keysOf.get(ref) ?? [], key.toLowerCase())
    const safe = reachable.every(c => planned.has(c.id) && !claimedBy.has(c.id))
    if (!safe || reachable.length < 2) continue
    // in the plan's order
    const covered = reachable
      .flatMap(c => position.get(c.id) ?? [])
      .sort((a, b) => a - b)
      .map(i => deletions[i])
    const work: Work = { decisions: covered, byKey: { key, ref } }
    for (const d of covered) claimedBy.set(d.cache.id, work)
  }
  // in the plan's order: a call by key where its first cache stood
  const queue: Work[] = []
  const queued = new Set<Work>()
  for (const d of deletions) {
    const work = claimedBy.get(d.cache.id)
    if (!work) queue.push({ decisions: [d] })
    else if (!queued.has(work)) {
      queued.add(work)
      queue.push(work)
    }
  }
  return queue
}

interface KeyedCache {
  readonly lower: string
  readonly cache: Cache
}

/** The listing's caches by ref, sorted by lower-cased key: the keys a prefix reaches are then one run. */
function keysByRef(caches: readonly Cache[]): Map<string, KeyedCache[]> {
  const byRef = new Map<string, KeyedCache[]>()
  for (const cache of caches) {
    const entry = { lower: cache.key.toLowerCase(), cache }
    const list = byRef.get(cache.ref)
    if (list) list.push(entry)
    else byRef.set(cache.ref, [entry])
  }
  for (const list of byRef.values())
    list.sort((a, b) => (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0))
  return byRef
}

/** The caches whose lower-cased key starts with `prefix` (as GitHub matches a key), from a sorted list. */
function startingWith(sorted: readonly KeyedCache[], prefix: string): Cache[] {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle].lower < prefix) low = middle + 1
    else high = middle
  }
  const found: Cache[] = []
  for (let i = low; i < sorted.length && sorted[i].lower.startsWith(prefix); i++) {
    found.push(sorted[i].cache)
  }
  return found
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error))

export async function execute(
  api: CacheApi,
  repo: RepoName,
  deletions: readonly Decision[],
  listing: Pick<Listing, 'caches' | 'scopes'>,
  options: ExecuteOptions
): Promise<Execution> {
  const cap = options.maxDeletions ?? deletions.length
  const now = deletions.slice(0, cap)
  const later = deletions.slice(cap)
  const outcomes = new Map<number, ItemOutcome>()
  for (const d of later) outcomes.set(d.cache.id, { status: 'pending', why: 'max-deletions' })
  if (options.dryRun) {
    for (const d of now) outcomes.set(d.cache.id, { status: 'would-delete' })
    return { items: collect(deletions, outcomes), requests: 0 }
  }

  const queue = planWork(now, listing, options.deleteByKey)
  options.onPlanned?.(queue.length)
  let stopped: StopError | undefined
  let denied: ApiError | undefined
  let requests = 0
  let done = 0
  const total = now.length
  const progressEvery = Math.max(10, Math.ceil(total / 10))
  let nextProgress = progressEvery

  const settle = (d: Decision, outcome: ItemOutcome): void => {
    outcomes.set(d.cache.id, outcome)
    done++
    if (done >= nextProgress || done === total) {
      options.onProgress?.(done, total)
      while (nextProgress <= done) nextProgress += progressEvery
    }
  }

  const runOne = async (work: Work): Promise<void> => {
    if (stopped || denied) {
      for (const d of work.decisions) {
        outcomes.set(
          d.cache.id,
          stopped
            ? { status: 'pending', why: stopped.why }
            : { status: 'failed', error: `not attempted: ${denied?.message}`, kind: 'forbidden' }
        )
      }
      return
    }
    try {
      requests++
      if (work.byKey) {
        const answer = await api.deleteCachesByKey(repo, work.byKey.key, work.byKey.ref)
        const removedIds = new Set(answer.removed.map((c: Cache) => c.id))
        for (const d of work.decisions) {
          // Whatever the server did not report deleting is tried by id.
          if (removedIds.has(d.cache.id)) settle(d, { status: 'deleted' })
          else {
            await runOne(
              answer.earlierAttemptMayHaveApplied
                ? { decisions: [d], afterLostAnswer: true }
                : { decisions: [d] }
            )
          }
        }
        return
      }
      const d = work.decisions[0]
      const result = await api.deleteCacheById(repo, d.cache.id)
      settle(d, { status: result === 'already-gone' && work.afterLostAnswer ? 'deleted' : result })
    } catch (error) {
      if (error instanceof StopError) {
        stopped ??= error
        for (const d of work.decisions) {
          outcomes.set(
            d.cache.id,
            error.mayHaveApplied
              ? { status: 'pending', why: error.why, mayHaveApplied: true }
              : { status: 'pending', why: error.why }
          )
        }
        return
      }
      if (
        error instanceof ApiError &&
        (error.kind === 'forbidden' || error.kind === 'unauthorized')
      ) {
        denied ??= error
      }
      for (const d of work.decisions) {
        settle(d, {
          status: 'failed',
          error: message(error),
          kind: error instanceof ApiError ? error.kind : 'error'
        })
      }
    }
  }

  let cursor = 0
  const worker = async (): Promise<void> => {
    while (cursor < queue.length) await runOne(queue[cursor++])
  }
  const workers = Math.max(1, Math.min(options.concurrency, queue.length))
  await Promise.all(Array.from({ length: workers }, worker))
  return { items: collect(deletions, outcomes), stopped, denied, requests }
}

function collect(deletions: readonly Decision[], outcomes: Map<number, ItemOutcome>): Item[] {
  return deletions.map(decision => {
    const outcome = outcomes.get(decision.cache.id)
    if (!outcome) throw new Error(`no outcome for cache ${decision.cache.id}`)
    return { decision, outcome }
  })
}
