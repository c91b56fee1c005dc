// Plans for the executor's unit tests: a cache selected for deletion, and a
// listing that saw the whole repository.

import type { Cache } from '../../src/engine/cache.js'
import type { Decision } from '../../src/engine/policy.js'

export const repo = { owner: 'o', repo: 'r' }

export const selected = (c: Cache): Decision => ({
  cache: c,
  delete: true,
  reason: 'matched',
  rule: 'inputs',
  detail: ''
})

export const whole = (caches: Cache[]) => ({ caches, scopes: [{}] })
