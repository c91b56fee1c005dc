// Building the request governor and the API adapters for one run, shared by
// the action and the command line so both pace, retry and budget alike.

import { detectFamily, GitHubAdminApi, type ApiFamily } from './admin-api.js'
import { GitHubCacheApi } from './cache-api.js'
import {
  defaultGovernorOptions,
  Governor,
  intervalForPace,
  type GovernorEvent
} from './governor.js'
import type { RunEnvironment } from './runtime.js'

export const DEFAULT_API_URL = 'https://api.github.com'

export interface CreateClientOptions {
  readonly token: string
  /** GITHUB_API_URL or the CLI's --api-url; empty means github.com */
  readonly apiUrl: string | undefined
  readonly runtime: Pick<RunEnvironment, 'clock' | 'timeoutMs'>
  /** requests of the hourly budget kept for other workflows */
  readonly reserve: number
  /** pace of mutating requests once a job is larger than the burst (default 115) */
  readonly deletesPerMinute?: number
  /** epoch ms after which no request starts */
  readonly deadline?: number
  readonly onEvent?: (event: GovernorEvent) => void
}

export interface Client {
  readonly governor: Governor
  readonly api: GitHubCacheApi
  /** usage and limits, over the same Octokit and governor */
  readonly admin: GitHubAdminApi
  readonly family: ApiFamily
}

export function createClient(options: CreateClientOptions): Client {
  const baseUrl = options.apiUrl || DEFAULT_API_URL
  const governor = new Governor({
    ...defaultGovernorOptions(options.runtime.clock),
    timeoutMs: options.runtime.timeoutMs,
    reserve: options.reserve,
    ...(options.deletesPerMinute !== undefined
      ? { mutationIntervalMs: intervalForPace(options.deletesPerMinute) }
      : {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {})
  })
  const api = new GitHubCacheApi({ token: options.token, baseUrl, governor })
  return {
    governor,
    api,
    admin: new GitHubAdminApi(api.octokit, governor),
    family: detectFamily(baseUrl)
  }
}

/** A governor event as one line for a person. */
export function describeGovernorEvent(e: GovernorEvent): string {
  const s = (ms: number): string => `${Math.round(ms / 100) / 10} s`
  switch (e.type) {
    case 'retry':
      return `retrying ${e.request} in ${s(e.waitMs)} (attempt ${e.attempt} failed: ${e.cause})`
    case 'secondary-limit':
      return `secondary rate limit on ${e.request}: pausing ${s(e.waitMs)}, then one mutating request every ${s(e.intervalMs)}`
    case 'reset-wait':
      return `rate limit spent; waiting ${s(e.waitMs)} for it to reset`
  }
}
