// What a prune is asked to do, once the inputs are read: the repository (or
// an organization's pattern), the policy, the event's scope, the dry run and
// the caps, and how to reach the API. Types only.

import type { RepoName } from './cache.js'
import type { EventScope } from './event.js'
import type { Policy } from './policy.js'
import type { RepoPattern } from './repo-pattern.js'

/** What pruning one repository needs. */
export interface PruneOptions {
  readonly repo: RepoName
  readonly policy: Policy
  readonly scope: EventScope
  readonly dryRun: boolean
  readonly maxDeletions?: number
  readonly deleteByKey: boolean
  /** deletions in flight at most (default: the Governor's cap, which applies anyway) */
  readonly concurrency?: number
}

/** What a prune needs (repo, policy, scope, dry run, cap, delete-by-key), and how to reach the API. */
export interface Settings extends PruneOptions {
  readonly token: string
  /** set when `repository` is a pattern over an organization's repositories (`my-org/*`); `repo` then holds the owner and the first line's name pattern, for logs only */
  readonly repoPattern?: RepoPattern
  readonly reserve: number
  /** the pace of mutating requests on long runs */
  readonly deletesPerMinute: number
  /** ms from the start of the run */
  readonly deadlineMs?: number
}
