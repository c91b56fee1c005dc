// The client of the usage and limits commands, and how they end when the
// budget runs out: a report that cannot be partial fails as a rate limit.

import type { ApiFamily } from '../engine/targets.js'
import { createClient } from '../github/client.js'
import {
  ApiError,
  StopError,
  type AdminApi,
  type CacheApi,
  type RefLookup
} from '../github/ports.js'
import type { CommandContext } from './context.js'

export interface AdminClient {
  readonly admin: AdminApi
  readonly family: ApiFamily
  /** a repository's caches and refs, for the waste report */
  readonly caches: CacheApi
  readonly refs: RefLookup
}

export function adminClient(context: CommandContext, token: string, reserve: number): AdminClient {
  const { admin, family, caches, refs } = createClient({
    token,
    apiUrl: context.apiUrl,
    runtime: context.runtime,
    reserve,
    onEvent: context.onEvent
  })
  return { admin, family, caches, refs }
}

/** A spent budget ends a report that cannot be partial: say so as a rate-limit failure. */
export async function withinBudget<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof StopError) {
      throw new ApiError('rate-limited', undefined, error.message, what)
    }
    throw error
  }
}
