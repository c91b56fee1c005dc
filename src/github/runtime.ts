// What a run needs from its surroundings besides inputs: the environment,
// the clock and the request timeout. Tests of the bundle shrink time with
// CACHE_STEWARD_TIME_SCALE.

import { realClock, scaledClock } from './clock.js'
import { defaultGovernorOptions } from './governor.js'
import type { Clock } from './ports.js'

export interface RunEnvironment {
  readonly env: NodeJS.ProcessEnv
  readonly clock: Clock
  /** per-attempt request timeout */
  readonly timeoutMs: number
}

/**
 * CACHE_STEWARD_TIME_SCALE (tests and the demo only) shrinks every pause and
 * timeout by that factor, so the bundled action runs its real pacing quickly.
 * The request timeout keeps a floor of one real second: a busy test machine
 * can take a few hundred milliseconds to answer, and a timeout there would be
 * a fault the test did not ask for.
 */
export function runtimeFromEnv(env: NodeJS.ProcessEnv): RunEnvironment {
  const scale = Number(env.CACHE_STEWARD_TIME_SCALE)
  const timeoutMs = defaultGovernorOptions().timeoutMs
  if (env.CACHE_STEWARD_TIME_SCALE && Number.isFinite(scale) && scale > 0 && scale < 1) {
    return { env, clock: scaledClock(scale), timeoutMs: Math.max(1000, timeoutMs * scale) }
  }
  return { env, clock: realClock, timeoutMs }
}
