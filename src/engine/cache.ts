// The one shape of a cache inside cache-steward. Timestamps are epoch
// milliseconds so the engine can compare them without parsing.

export interface Cache {
  readonly id: number
  readonly ref: string
  readonly key: string
  readonly version: string
  readonly sizeInBytes: number
  /** epoch ms */
  readonly lastAccessedAt: number
  /** epoch ms */
  readonly createdAt: number
}

export interface RepoName {
  readonly owner: string
  readonly repo: string
}

export const fullName = (r: RepoName): string => `${r.owner}/${r.repo}`

/** The REST API's shape of one cache (`actions_caches[]`). */
export interface ApiCache {
  id: number
  ref: string
  key: string
  version: string
  last_accessed_at: string
  created_at: string
  size_in_bytes: number
}

/** Converts the API's shape; timestamps may carry 7-digit fractions, which Date.parse accepts. */
export function fromApi(c: ApiCache): Cache {
  const lastAccessedAt = Date.parse(c.last_accessed_at)
  const createdAt = Date.parse(c.created_at)
  if (!Number.isFinite(lastAccessedAt) || !Number.isFinite(createdAt)) {
    throw new Error(`cache ${c.id} has an unreadable timestamp`)
  }
  return {
    id: c.id,
    ref: c.ref,
    key: c.key,
    version: c.version,
    sizeInBytes: c.size_in_bytes,
    lastAccessedAt,
    createdAt
  }
}
