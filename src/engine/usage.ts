// Cache usage as values: the figures of a repository, an organization or an
// enterprise, the size limit they are measured against, and the ranking of an
// organization's repositories. Pure: run/usage.ts collects the figures,
// commands/usage/render.ts shows them.

import type { AdminTarget } from './targets.js'
import type { WasteReport } from './waste.js'

/** GitHub's limits are given in GB; we read them as binary gigabytes (2^30 bytes). */
export const GB = 2 ** 30
/** The size limit of a repository unless someone changed it (github.com and GHES alike). */
export const DEFAULT_LIMIT_GB = 10

export interface UsageFigures {
  readonly sizeInBytes: number
  readonly count: number
}

export interface RepoUsage extends UsageFigures {
  readonly fullName: string
}

/** One group of an organization's repositories, for one job of a matrix. */
export interface Shard {
  /** 1, 2, ...: shard 1 holds the largest repository */
  readonly shard: number
  /** largest first */
  readonly repositories: readonly RepoUsage[]
  readonly sizeInBytes: number
  /** caches in all of its repositories */
  readonly count: number
}

export type LimitSource =
  'storage-limit' | 'usage-policy' | 'organization storage-limit' | 'default'

export interface SizeLimit {
  readonly bytes: number
  readonly gb: number
  /** where the figure came from; 'default' when the token could not read it */
  readonly source: LimitSource
}

interface RankedRepo extends RepoUsage {
  /** size / the per-repository limit, when one applies */
  readonly shareOfLimit?: number
  /** size / the organization's total */
  readonly shareOfTotal: number
}

export interface UsageReport {
  readonly target: AdminTarget
  readonly totalBytes: number
  readonly totalCount: number
  /** the per-repository size limit (a repository or an organization's repositories) */
  readonly limit?: SizeLimit
  /** repositories only: where the bytes go (engine/waste.ts) */
  readonly waste?: WasteReport
  /** organizations only */
  readonly repositories?: {
    /** every repository with caches, largest first */
    readonly all: readonly RankedRepo[]
    readonly top: readonly RankedRepo[]
    /** every repository with caches split for a job matrix (engine/shards.ts) */
    readonly shards?: readonly Shard[]
    /** the sum of those not in the top N */
    readonly rest: {
      readonly repositories: number
      readonly sizeInBytes: number
      readonly count: number
    }
  }
}

/** Largest first; ties by count, then by name, so the order never depends on the API's. */
export function rankRepositories(repos: readonly RepoUsage[]): RepoUsage[] {
  return [...repos].sort(
    (a, b) =>
      b.sizeInBytes - a.sizeInBytes ||
      b.count - a.count ||
      (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0)
  )
}

/** Ranks, keeps the top N and sums the rest; drops repositories without caches. */
export function summarizeRepositories(
  repos: readonly RepoUsage[],
  top: number,
  limit?: SizeLimit
): NonNullable<UsageReport['repositories']> {
  const withCaches = repos.filter(r => r.count > 0 || r.sizeInBytes > 0)
  const total = withCaches.reduce((n, r) => n + r.sizeInBytes, 0)
  const all = rankRepositories(withCaches).map(r => ({
    ...r,
    shareOfTotal: total > 0 ? r.sizeInBytes / total : 0,
    ...(limit ? { shareOfLimit: r.sizeInBytes / limit.bytes } : {})
  }))
  const shown = all.slice(0, Math.max(0, top))
  const others = all.slice(shown.length)
  return {
    all,
    top: shown,
    rest: {
      repositories: others.length,
      sizeInBytes: others.reduce((n, r) => n + r.sizeInBytes, 0),
      count: others.reduce((n, r) => n + r.count, 0)
    }
  }
}

/** A size limit of `gb` binary gigabytes, and where that figure came from. */
export const sizeLimit = (gb: number, source: LimitSource): SizeLimit => ({
  gb,
  bytes: gb * GB,
  source
})
