// Stopping a command that a person interrupts (Ctrl-C on the command line).
// The front end aborts the context's signal; from then on no request starts:
// a call through the cache API is refused before it is sent, and a pause of
// the request governor (pacing, back-off) ends at once, both with a
// StopError('interrupted'). Requests already sent finish and are reported.
// The executor turns the StopError into pending items, as it does for the
// rate-limit budget and the deadline.

import { StopError, type CacheApi, type Clock } from '../github/ports.js'
import type { RunEnvironment } from '../github/runtime.js'
import type { CommandContext } from './context.js'

const interrupted = (what: string): StopError =>
  new StopError('interrupted', `interrupted (Ctrl-C) before ${what}`)

/** A clock whose sleeps end with a StopError as soon as `signal` aborts. */
function interruptibleClock(clock: Clock, signal: AbortSignal): Clock {
  return {
    now: () => clock.now(),
    sleep: ms =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) {
          reject(interrupted('a paced request'))
          return
        }
        const onAbort = (): void => reject(interrupted('a paced request'))
        signal.addEventListener('abort', onAbort, { once: true })
        clock.sleep(ms).then(
          () => {
            signal.removeEventListener('abort', onAbort)
            if (signal.aborted) reject(interrupted('a paced request'))
            else resolve()
          },
          error => {
            signal.removeEventListener('abort', onAbort)
            reject(error)
          }
        )
      })
  }
}

/** The run's environment for createClient: its clock made interruptible when the context can be interrupted. */
export function clientRuntime(context: CommandContext): RunEnvironment {
  const { signal, runtime } = context
  return signal ? { ...runtime, clock: interruptibleClock(runtime.clock, signal) } : runtime
}

export interface Watch {
  readonly signal?: AbortSignal
  /** told after each delete request has its answer (deleted, already gone or failed) */
  readonly onDeleteAnswered?: () => void
}

/**
 * The cache API with a check before each call (refused once `signal`
 * aborted) and a count of answered deletes, for a progress bar that moves
 * with every deletion.
 */
export function watchedCacheApi(api: CacheApi, watch: Watch): CacheApi {
  const check = (what: string): void => {
    if (watch.signal?.aborted) throw interrupted(what)
  }
  const answered = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call()
      watch.onDeleteAnswered?.()
      return result
    } catch (error) {
      if (!(error instanceof StopError)) watch.onDeleteAnswered?.()
      throw error
    }
  }
  return {
    listCaches: (repo, query) => {
      check(`listing page ${query.page}`)
      return api.listCaches(repo, query)
    },
    deleteCacheById: (repo, id) => {
      check(`deleting cache ${id}`)
      return answered(() => api.deleteCacheById(repo, id))
    },
    deleteCachesByKey: (repo, key, ref) => {
      check('deleting by key')
      return answered(() => api.deleteCachesByKey(repo, key, ref))
    }
  }
}
