// The list command (the command line's `list`, as `gh cache list`): one page
// after another of a repository's caches, sorted and filtered by the API,
// until the limit is reached; never more pages than the limit needs, and
// never an endless run of pages from a server that keeps answering.

import type { Cache } from '../../engine/cache.js'
import { fullName } from '../../engine/cache.js'
import { CliInput, DEFAULT_LIST_LIMIT, Input, readReserve, readToken } from '../../engine/inputs.js'
import type { InputGetter } from '../../engine/inputs.js'
import { parseChoice, parseCount, parseRepository } from '../../engine/parse.js'
import { branchRef } from '../../engine/versions.js'
import { createClient } from '../../github/client.js'
import { MAX_PER_PAGE, StopError, type CacheApi } from '../../github/ports.js'
import type { RepoName } from '../../engine/cache.js'
import type { CommandContext } from '../context.js'
import { clientRuntime, watchedCacheApi } from '../interrupt.js'
import type { Outcome } from '../outcome.js'
import { refuseEndlessPage } from '../../run/listing.js'

const LIST_SORTS = ['last_accessed_at', 'created_at', 'size_in_bytes'] as const
const LIST_ORDERS = ['desc', 'asc'] as const

interface ListQueryOptions {
  readonly key?: string
  readonly ref?: string
  readonly sort: (typeof LIST_SORTS)[number]
  readonly order: (typeof LIST_ORDERS)[number]
  readonly limit: number
}

export interface ListReport extends ListQueryOptions {
  readonly repository: string
  /** at most `limit`, in the API's order */
  readonly caches: readonly Cache[]
  /** the API's count of every cache that matches the filters */
  readonly totalCount: number
  readonly requests: number
  /** the run was interrupted before the limit was reached */
  readonly interrupted: boolean
  /** when the listing ended, by the run's clock (epoch ms), for "3d ago" */
  readonly now: number
}

interface Pages {
  readonly caches: Cache[]
  readonly totalCount: number
  readonly requests: number
  readonly interrupted: boolean
}

/**
 * Reads pages until `limit` caches are in hand or the API has no next page.
 * Stops, with an error, when a page brings no new cache (a server that
 * repeats itself), when more pages were read than total_count allows, or at
 * MAX_PAGES. An interruption keeps what was read.
 */
async function readPages(
  api: CacheApi,
  repo: RepoName,
  options: ListQueryOptions,
  onPage?: (listed: number, total: number) => void
): Promise<Pages> {
  const perPage = Math.min(MAX_PER_PAGE, options.limit)
  const seen = new Map<number, Cache>()
  let totalCount = 0
  let requests = 0
  for (let page = 1; seen.size < options.limit; page++) {
    let result
    try {
      result = await api.listCaches(repo, {
        page,
        perPage,
        ...(options.key !== undefined ? { key: options.key } : {}),
        ...(options.ref !== undefined ? { ref: options.ref } : {}),
        sort: options.sort,
        direction: options.order
      })
    } catch (error) {
      if (error instanceof StopError && error.why === 'interrupted') {
        return { caches: [...seen.values()], totalCount, requests, interrupted: true }
      }
      throw error
    }
    requests++
    totalCount = result.totalCount
    const before = seen.size
    for (const c of result.caches) if (!seen.has(c.id)) seen.set(c.id, c)
    onPage?.(Math.min(seen.size, options.limit), Math.min(options.limit, totalCount))
    if (!result.hasNext || result.caches.length === 0) break
    // the listing's own bounds and words
    refuseEndlessPage(repo, page, seen.size === before, totalCount, perPage)
  }
  return {
    caches: [...seen.values()].slice(0, options.limit),
    totalCount,
    requests,
    interrupted: false
  }
}

function readListOptions(get: InputGetter): ListQueryOptions {
  const key = get(CliInput.Key)
  const ref = get(CliInput.Ref).trim()
  return {
    ...(key !== '' ? { key } : {}),
    ...(ref !== '' ? { ref: branchRef(ref) } : {}),
    sort: parseChoice(get(CliInput.Sort), CliInput.Sort, LIST_SORTS, 'last_accessed_at'),
    order: parseChoice(get(CliInput.Order), CliInput.Order, LIST_ORDERS, 'desc'),
    limit: parseCount(get(CliInput.Limit), CliInput.Limit, { min: 1 }) ?? DEFAULT_LIST_LIMIT
  }
}

export async function runList(
  get: InputGetter,
  context: CommandContext
): Promise<Outcome<ListReport>> {
  const { ui } = context
  const token = readToken(get)
  const repo = parseRepository(get(Input.Repository), Input.Repository)
  const options = readListOptions(get)
  const reserve = readReserve(get)
  const client = createClient({
    token,
    apiUrl: context.apiUrl,
    runtime: clientRuntime(context),
    reserve,
    onEvent: context.onEvent
  })
  const api = watchedCacheApi(client.caches, context.signal ? { signal: context.signal } : {})
  const pages = await readPages(api, repo, options, (listed, total) => {
    if (context.listingProgress) ui.progress('listing', listed, total)
  })
  const repository = fullName(repo)
  const report: ListReport = {
    ...options,
    repository,
    ...pages,
    now: context.runtime.clock.now()
  }
  return {
    report,
    outputs: {},
    log: { lines: [] },
    notices:
      pages.caches.length === 0 && !pages.interrupted
        ? [{ level: 'info', message: `No caches found in ${repository}` }]
        : pages.interrupted
          ? [
              {
                level: 'warning',
                message: `Interrupted: listed ${pages.caches.length} of the ${options.limit} asked for.`,
                stopped: true
              }
            ]
          : []
  }
}
