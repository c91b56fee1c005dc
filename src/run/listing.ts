// Listing: everything the plan needs is listed before anything is deleted.
// Pages are offset-based, so a cache deleted by someone else mid-listing
// shifts later pages and would be skipped. Each pass therefore checks itself
// (total_count stable across pages, no id repeated, as many ids as the total)
// and an inconsistent pass is repeated; the union of all passes is kept, since
// a cache listed once but gone later only costs a 404 ("already gone").

import { MAX_PER_PAGE, type CacheApi } from '../github/ports.js'
import type { Cache, RepoName } from '../engine/cache.js'
import type { Policy } from '../engine/policy.js'

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
  readonly onPage?: (scope: ListScope, page: number, listed: number, total: number) => void
}

interface Pass {
  caches: Cache[]
  consistent: boolean
  requests: number
}

async function listPass(
  api: CacheApi,
  repo: RepoName,
  scope: ListScope,
  options: ListOptions
): Promise<Pass> {
  const seen = new Map<number, Cache>()
  let total: number | undefined
  let consistent = true
  let requests = 0
  for (let page = 1; ; page++) {
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
    if (total !== undefined && result.totalCount !== total) consistent = false
    total = result.totalCount
    for (const c of result.caches) {
      if (seen.has(c.id)) consistent = false
      seen.set(c.id, c)
    }
    options.onPage?.(scope, page, seen.size, total)
    if (!result.hasNext || result.caches.length === 0) break
  }
  if (total !== undefined && seen.size !== total) consistent = false
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
    for (let pass = 1; pass <= MAX_PASSES && !scopeConsistent; pass++) {
      if (pass > 1) repairs++
      const result = await listPass(api, repo, scope, options)
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
