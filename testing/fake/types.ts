// Types shared by the fake GitHub's modules and by the tests that drive it.

import type { FaultConfig } from './faults.js'
import type { FakeStore } from './store.js'

export type Mode = 'dotcom' | 'ghes'

export interface TokenGrant {
  actions: 'none' | 'read' | 'write'
  contents?: 'none' | 'read'
  pullRequests?: 'none' | 'read'
  /** repository administration: needed to set a repository's cache limits */
  administration?: 'none' | 'read' | 'write'
  orgAdmin?: boolean
  enterpriseAdmin?: boolean
  /** decides the 403 wording: "... by integration" (default) or "... by personal access token" */
  kind?: 'integration' | 'pat'
  /** name recorded in `requests` (default: the token's key in `tokens`) */
  name?: string
  /**
   * what this token may not do answers 404 instead of 403, as GitHub does for
   * a private repository's resources the token cannot see (default false)
   */
  deniedAsNotFound?: boolean
  /** repositories this token can see (default all); others answer 404 */
  repos?: readonly string[]
}

export interface RateLimitOptions {
  /** requests per window, per token */
  limit: number
  /** remaining at the start (default: limit) */
  remaining?: number
  /** when the window resets (default: one hour after the options were applied) */
  resetEpochSeconds?: number
  /** status when exhausted (default 403) */
  status?: 403 | 429
}

export interface LatencyOptions {
  min: number
  max: number
  seed?: number
}

export interface FakeGitHubOptions {
  /** 'ghes' serves under /api/v3 with usage-policy; 'dotcom' (default) at the root with retention/storage limits */
  mode?: Mode
  /** how DELETE .../actions/caches?key= matches (default 'exact') */
  deleteByKeyMatch?: 'exact' | 'prefix'
  /** whether the list's key prefix filter ignores case (default true) */
  keyFilterCaseInsensitive?: boolean
  /** token value -> grant (default DEFAULT_TOKENS) */
  tokens?: Record<string, TokenGrant>
  rateLimit?: RateLimitOptions
  faults?: FaultConfig
  /** render timestamps with 7-digit fractions, e.g. 2024-05-01T10:00:00.1234567Z */
  fractionalSeconds?: boolean
  /**
   * values of X-GitHub-Api-Version the server accepts (a request without the
   * header is always fine); default: dotcom 2022-11-28 and 2026-03-10, GHES
   * only 2022-11-28. Others answer 400 (the wording is a guess).
   */
  apiVersions?: readonly string[]
  /**
   * Simulated server time per request: each request is answered after a delay
   * drawn uniformly from [min, max] ms by a PRNG seeded with `seed` (default 1),
   * in the order requests arrive. Default: no delay.
   */
  latencyMs?: LatencyOptions
  /**
   * Real time per simulated time (default 1). With 0.1 the latency is ten times
   * shorter and the secondary limit's 60 s window lasts 6 s, so a client whose
   * clock is scaled the same way meets GitHub's limits ten times faster.
   */
  timeScale?: number
  store?: FakeStore
  /** port to listen on (default 0: a random free port); only read at start */
  port?: number
}

export interface RecordedRequest {
  method: string
  /** path relative to the API base URL (no /api/v3), percent-decoded */
  path: string
  /** decoded query parameters (the last value wins for repeated names) */
  query: Record<string, string>
  /** 0 while unanswered, and for dropped or hung requests */
  status: number
  /** the token's name (never the raw value of an unknown token), undefined without credentials */
  token: string | undefined
  /** the request's Accept and X-GitHub-Api-Version headers, as sent */
  accept: string | undefined
  apiVersion: string | undefined
  startedAt: number
  endedAt: number | undefined
  /** requests in flight when this one arrived, itself included */
  inFlightAtStart: number
  /** the simulated latency drawn for this request (real ms, after timeScale); 0 without latency */
  latencyMs: number
  /** the fault injected into this request, if any */
  fault?: string
}

export interface DeletionRecord {
  repo: string
  id: number
  key: string
  ref: string
  via: 'id' | 'key'
}

export interface RateLimitState {
  limit: number
  remaining: number
  used: number
  reset: number
}
