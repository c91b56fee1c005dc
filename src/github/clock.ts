// The clocks a run can use: the real one, and a scaled one for tests of the
// bundle and the demo (CACHE_STEWARD_TIME_SCALE), which keeps every pause's
// logic while a minute passes in milliseconds.

import type { Clock } from './ports.js'

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
}

/**
 * Every sleep takes `scale` of its length in real time, and when it ends now()
 * jumps to the time the sleep was meant to end. Sleeps that overlap skip the
 * same stretch of time once, not once each: thirty workers waiting their turn
 * at the pacer must not push the clock thirty times as far.
 */
export function scaledClock(scale: number): Clock {
  let skipped = 0
  const now = (): number => Date.now() + skipped
  return {
    now,
    sleep: async ms => {
      const until = now() + ms
      await realClock.sleep(ms * scale)
      skipped = Math.max(skipped, until - Date.now())
    }
  }
}
