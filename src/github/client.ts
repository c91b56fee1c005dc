// Building one run's request governor and the adapters over it, shared by the
// action and the command line so both pace, retry and budget alike. Every
// adapter of a run shares the one Octokit client and the one Governor, so one
// budget covers all their requests.

import { detectFamily, type ApiFamily } from '../engine/targets.js'
import { GitHubAdminApi } from './admin-api.js'
import { GitHubCacheApi } from './cache-api.js'
import { defaultGovernorOptions, Governor, type GovernorEvent } from './governor.js'
import type { AdminApi, CacheApi, Clock, RefLookup } from './ports.js'
import { GitHubRefLookup } from './ref-lookup.js'

const DEFAULT_API_URL = 'https://api.github.com'

export interface CreateClientOptions {
  readonly token: string
  /** GITHUB_API_URL or the CLI's --api-url; empty means github.com */
  readonly apiUrl: string | undefined
  readonly runtime: { readonly clock: Clock; readonly timeoutMs: number }
  /** requests of the hourly budget kept for other workflows */
  readonly reserve: number
  /** mutating requests at most in any 60 s window (`deletes-per-minute`) */
  readonly deletesPerMinute?: number
  /** epoch ms after which no request starts */
  readonly deadline?: number
  readonly onEvent?: (event: GovernorEvent) => void
}

export interface Client {
  readonly governor: Governor
  readonly caches: CacheApi
  /** usage and limits */
  readonly admin: AdminApi
  /** the look-ups behind stale-refs */
  readonly refs: RefLookup
  readonly family: ApiFamily
}

export function createClient(options: CreateClientOptions): Client {
  const baseUrl = options.apiUrl || DEFAULT_API_URL
  const governor = new Governor({
    ...defaultGovernorOptions(options.runtime.clock),
    timeoutMs: options.runtime.timeoutMs,
    reserve: options.reserve,
    ...(options.deletesPerMinute !== undefined
      ? { mutationsPerWindow: options.deletesPerMinute }
      : {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {})
  })
  const caches = new GitHubCacheApi({ token: options.token, baseUrl, governor })
  return {
    governor,
    caches,
    admin: new GitHubAdminApi(caches.octokit, governor),
    refs: new GitHubRefLookup(caches.octokit, governor),
    family: detectFamily(baseUrl)
  }
}
