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
  /** told how many delete requests are about to be made, so the pacing can plan them */
  readonly onPlanned?: (requests: number) => void
}

interface Work {
  readonly decisions: readonly Decision[]
  /** set for a delete-by-key call covering every decision in the group */
  readonly byKey?: { key: string; ref: string }
}

/**
 * Groups deletions of one key on one ref into a single delete-by-key call, but
 * only where every cache such a call could remove (prefix or exact match, in
 * any letter case, on that ref) is planned, and the listing saw all of that
 * ref's caches. A cache created after the listing could still match, so this
 * is off unless asked for.
 */
export function planWork(
  deletions: readonly Decision[],
  listing: Pick<Listing, 'caches' | 'scopes'>,
  deleteByKey: boolean
): Work[] {
  if (!deleteByKey) return deletions.map(d => ({ decisions: [d] }))
  const planned = new Set(deletions.map(d => d.cache.id))
  const groups = new Map<string, Decision[]>()
  for (const d of deletions) {
    const id = `${d.cache.ref}\u0000${d.cache.key}`
    const group = groups.get(id)
    if (group) group.push(d)
    else groups.set(id, [d])
  }
  const work: Work[] = []
  const emitted = new Set<string>()
  for (const d of deletions) {
    const id = `${d.cache.ref}\u0000${d.cache.key}`
    if (emitted.has(id)) continue
    const group = groups.get(id) ?? [d]
    const { ref, key } = d.cache
    const refFullyListed = listing.scopes.some(
      s => (s.ref === undefined || s.ref === ref) && !s.keyPrefix
    )
    const lower = key.toLowerCase()
    const reachable = listing.caches.filter(
      c => c.ref === ref && c.key.toLowerCase().startsWith(lower)
    )
    const safe = refFullyListed && reachable.every(c => planned.has(c.id))
    if (group.length > 1 && safe) {
      emitted.add(id)
      const covered = new Set(reachable.map(c => c.id))
      work.push({ decisions: group.filter(g => covered.has(g.cache.id)), byKey: { key, ref } })
      for (const g of group) if (!covered.has(g.cache.id)) work.push({ decisions: [g] })
    } else {
      work.push({ decisions: [d] })
    }
  }
  return work
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
        const removed = await api.deleteCachesByKey(repo, work.byKey.key, work.byKey.ref)
        const removedIds = new Set(removed.map((c: Cache) => c.id))
        for (const d of work.decisions) {
          // Whatever the server did not report deleting is tried by id.
          if (removedIds.has(d.cache.id)) settle(d, { status: 'deleted' })
          else await runOne({ decisions: [d] })
        }
        return
      }
      const d = work.decisions[0]
      const result = await api.deleteCacheById(repo, d.cache.id)
      settle(d, { status: result })
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
