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
