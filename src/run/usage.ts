// Collecting cache usage through the AdminApi port: a repository's figures
// and its size limit, an organization's totals and every page of its usage by
// repository, an enterprise's totals.

import { MAX_SHARDS } from '../engine/inputs.js'
import { balanceShards } from '../engine/shards.js'
import type { RepoName } from '../engine/cache.js'
import type { AdminTarget, ApiFamily } from '../engine/targets.js'
import {
  DEFAULT_LIMIT_GB,
  sizeLimit,
  summarizeRepositories,
  type RepoUsage,
  type SizeLimit,
  type UsageReport
} from '../engine/usage.js'
import { wasteReport, type WasteReport } from '../engine/waste.js'
import {
  ApiError,
  MAX_PER_PAGE,
  type AdminApi,
  type CacheApi,
  type RefLookup
} from '../github/ports.js'
import { listCaches, WHOLE_REPOSITORY } from './listing.js'
import { resolveStaleRefs } from './stale-refs.js'
import type { Ui } from './ui.js'

/** What a repository's waste report reads besides the usage figures. */
interface WasteSources {
  readonly caches: CacheApi
  /** set when stale-refs is asked for: then caches of dead refs are told apart */
  readonly refs?: RefLookup
  readonly ui: Ui
  readonly now: () => number
}

export interface UsageOptions {
  /** a repository's caches are listed and sorted into dead, superseded, never restored and live */
  readonly waste?: WasteSources
  readonly top: number
  /** an organization's repositories are also split into at most this many shards (default 256) */
  readonly shards?: number
  /** which limit endpoint to read for a repository; tried in turn when unknown */
  readonly family?: ApiFamily
}

/** A 403 or 404 means "this token may not read it here"; the report then uses the default. */
const unreadable = (e: unknown): boolean =>
  e instanceof ApiError && (e.kind === 'forbidden' || e.kind === 'not-found')

async function readRepoLimit(
  api: AdminApi,
  target: Extract<AdminTarget, { kind: 'repo' }>,
  family: ApiFamily | undefined
): Promise<SizeLimit> {
  const tries: Array<() => Promise<SizeLimit>> = []
  if (family !== 'ghes') {
    tries.push(async () => sizeLimit(await api.getLimit(target, 'storage'), 'storage-limit'))
  }
  if (family !== 'github.com') {
    tries.push(async () =>
      sizeLimit((await api.getUsagePolicy(target)).repoCacheSizeLimitGb, 'usage-policy')
    )
  }
  for (const attempt of tries) {
    try {
      return await attempt()
    } catch (error) {
      if (!unreadable(error)) throw error
    }
  }
  return sizeLimit(DEFAULT_LIMIT_GB, 'default')
}

async function readOrgLimit(
  api: AdminApi,
  org: string,
  family: ApiFamily | undefined
): Promise<SizeLimit> {
  // GHES has no organization-level limit endpoint.
  if (family === 'ghes') return sizeLimit(DEFAULT_LIMIT_GB, 'default')
  try {
    return sizeLimit(
      await api.getLimit({ kind: 'org', org }, 'storage'),
      'organization storage-limit'
    )
  } catch (error) {
    if (!unreadable(error)) throw error
    return sizeLimit(DEFAULT_LIMIT_GB, 'default')
  }
}

/** Every page of usage-by-repository, to the end. */
export async function listAllRepoUsage(api: AdminApi, org: string): Promise<RepoUsage[]> {
  const all: RepoUsage[] = []
  for (let page = 1; ; page++) {
    const p = await api.listRepoUsage(org, page, MAX_PER_PAGE)
    all.push(...p.repositories)
    if (!p.hasNext || p.repositories.length === 0) break
  }
  // A repository can move between pages while they are read; keep one entry each.
  const byName = new Map<string, RepoUsage>()
  for (const r of all) byName.set(r.fullName.toLowerCase(), r)
  return [...byName.values()]
}

export async function collectUsage(
  api: AdminApi,
  target: AdminTarget,
  options: UsageOptions
): Promise<UsageReport> {
  if (target.kind === 'repo') {
    const usage = await api.getRepoUsage({ owner: target.owner, repo: target.repo })
    const limit = await readRepoLimit(api, target, options.family)
    const waste = options.waste
      ? await repositoryWaste({ owner: target.owner, repo: target.repo }, limit, options.waste)
      : undefined
    return {
      target,
      totalBytes: usage.sizeInBytes,
      totalCount: usage.count,
      limit,
      ...(waste ? { waste } : {})
    }
  }
  if (target.kind === 'enterprise') {
    const usage = await api.getEnterpriseUsage(target.enterprise)
    return { target, totalBytes: usage.sizeInBytes, totalCount: usage.count }
  }
  const totals = await api.getOrgUsage(target.org)
  const repos = await listAllRepoUsage(api, target.org)
  const limit = await readOrgLimit(api, target.org, options.family)
  const summary = summarizeRepositories(repos, options.top, limit)
  return {
    target,
    totalBytes: totals.sizeInBytes,
    totalCount: totals.count,
    limit,
    repositories: { ...summary, shards: balanceShards(summary.all, options.shards ?? MAX_SHARDS) }
  }
}

/** A repository's cache size limit: the configured one, else GitHub's default. */
export const repositorySizeLimit = (
  api: AdminApi,
  repo: RepoName,
  family: ApiFamily | undefined
): Promise<SizeLimit> =>
  readRepoLimit(api, { kind: 'repo', owner: repo.owner, repo: repo.repo }, family)

/**
 * Lists every cache of the repository (the usage endpoint gives only totals)
 * and sorts the bytes; with a ref look-up, the caches of dead refs too.
 */
async function repositoryWaste(
  repo: RepoName,
  limit: SizeLimit,
  sources: WasteSources
): Promise<WasteReport> {
  const listing = await listCaches(sources.caches, repo, WHOLE_REPOSITORY)
  const staleRefs = sources.refs
    ? (
        await resolveStaleRefs(
          sources.refs,
          repo,
          [...new Set(listing.caches.map(c => c.ref))],
          sources.ui
        )
      ).dead
    : undefined
  return wasteReport(listing.caches, sources.now(), {
    ...(staleRefs ? { staleRefs } : {}),
    sizeLimit: limit.bytes
  })
}
