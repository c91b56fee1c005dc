import { ApiError, StopError } from '../../src/github/ports.js'
import type { Cache } from '../../src/engine/cache.js'
import { execute, planWork } from '../../src/run/executor.js'
import type { Decision } from '../../src/engine/policy.js'
import { cache, forbidden, MemoryCacheApi } from '../support/memory-api.js'

const repo = { owner: 'o', repo: 'r' }
const selected = (c: Cache): Decision => ({
  cache: c,
  delete: true,
  reason: 'matched',
  rule: 'inputs',
  detail: ''
})
const base = { dryRun: false, concurrency: 3, deleteByKey: false }
const whole = (caches: Cache[]) => ({ caches, scopes: [{}] })

describe('execute', () => {
  it('deletes exactly the plan, by id', async () => {
    const caches = [cache({ key: 'a-1' }), cache({ key: 'a-2' }), cache({ key: 'b-1' })]
    const api = new MemoryCacheApi(caches)
    const plan = caches.slice(0, 2).map(selected)
    const result = await execute(api, repo, plan, whole(caches), base)
    expect(api.deleted.sort()).toEqual(
      caches
        .slice(0, 2)
        .map(c => c.id)
        .sort()
    )
    expect(result.items.map(i => i.outcome.status)).toEqual(['deleted', 'deleted'])
  })

  it('counts a 404 as already gone, not a failure', async () => {
    const caches = [cache({ key: 'a' }), cache({ key: 'b' })]
    const api = new MemoryCacheApi([caches[1]])
    const result = await execute(api, repo, caches.map(selected), whole(caches), base)
    expect(result.items.map(i => i.outcome.status)).toEqual(['already-gone', 'deleted'])
  })

  it('makes no API call in a dry run and marks everything would-delete', async () => {
    const caches = [cache({ key: 'a' }), cache({ key: 'b' })]
    const api = new MemoryCacheApi(caches)
    const result = await execute(api, repo, caches.map(selected), whole(caches), {
      ...base,
      dryRun: true
    })
    expect(api.calls).toEqual([])
    expect(result.items.every(i => i.outcome.status === 'would-delete')).toBe(true)
  })

  it('leaves the rest pending after max-deletions, in a dry run too', async () => {
    const caches = Array.from({ length: 5 }, (_, i) => cache({ key: `k${i}` }))
    for (const dryRun of [false, true]) {
      const api = new MemoryCacheApi(caches)
      const result = await execute(api, repo, caches.map(selected), whole(caches), {
        ...base,
        dryRun,
        maxDeletions: 2
      })
      expect(result.items.filter(i => i.outcome.status === 'pending')).toHaveLength(3)
      expect(api.deleted).toHaveLength(dryRun ? 0 : 2)
    }
  })

  it('records other failures per cache and still attempts the rest', async () => {
    const caches = Array.from({ length: 4 }, (_, i) => cache({ key: `k${i}` }))
    const api = new MemoryCacheApi(caches)
    api.failDelete = id =>
      id === caches[1].id ? new ApiError('server', 502, 'Bad Gateway', 'delete') : undefined
    const result = await execute(api, repo, caches.map(selected), whole(caches), base)
    expect(result.items.map(i => i.outcome.status)).toEqual([
      'deleted',
      'failed',
      'deleted',
      'deleted'
    ])
  })

  it('stops after the first permission failure instead of repeating it', async () => {
    const caches = Array.from({ length: 6 }, (_, i) => cache({ key: `k${i}` }))
    const api = new MemoryCacheApi(caches)
    api.failDelete = () => forbidden()
    const result = await execute(api, repo, caches.map(selected), whole(caches), {
      ...base,
      concurrency: 1
    })
    expect(result.denied?.kind).toBe('forbidden')
    expect(api.calls.filter(c => c.startsWith('delete'))).toHaveLength(1)
    expect(result.items.every(i => i.outcome.status === 'failed')).toBe(true)
  })

  it('reports the rest as pending when the budget stops the run', async () => {
    const caches = Array.from({ length: 5 }, (_, i) => cache({ key: `k${i}` }))
    const api = new MemoryCacheApi(caches)
    let n = 0
    api.failDelete = () =>
      ++n > 2 ? (new StopError('budget', 'spent') as unknown as ApiError) : undefined
    const result = await execute(api, repo, caches.map(selected), whole(caches), {
      ...base,
      concurrency: 1
    })
    expect(result.stopped?.why).toBe('budget')
    expect(result.items.map(i => i.outcome.status)).toEqual([
      'deleted',
      'deleted',
      'pending',
      'pending',
      'pending'
    ])
  })

  it('marks the pending delete whose answer was lost before the stop, and only that one', async () => {
    const caches = Array.from({ length: 3 }, (_, i) => cache({ key: `k${i}` }))
    const api = new MemoryCacheApi(caches)
    let n = 0
    api.failDelete = () =>
      ++n === 2 ? (new StopError('deadline', 'late', true) as unknown as ApiError) : undefined
    const result = await execute(api, repo, caches.map(selected), whole(caches), {
      ...base,
      concurrency: 1
    })
    expect(result.items.map(i => i.outcome)).toEqual([
      { status: 'deleted' },
      { status: 'pending', why: 'deadline', mayHaveApplied: true },
      { status: 'pending', why: 'deadline' }
    ])
  })
})

describe('planWork (delete by key)', () => {
  const v = (key: string, ref: string, version: string) => cache({ key, ref, version })

  it('groups the versions of a key when every cache the call could reach is planned', () => {
    const a1 = v('node-abc', 'refs/pull/1/merge', '1')
    const a2 = v('node-abc', 'refs/pull/1/merge', '2')
    const work = planWork([a1, a2].map(selected), whole([a1, a2]), true)
    expect(work).toHaveLength(1)
    expect(work[0].byKey).toEqual({ key: 'node-abc', ref: 'refs/pull/1/merge' })
  })

  it('falls back to ids when a prefix match could reach an unplanned cache', () => {
    const a1 = v('node', 'refs/pull/1/merge', '1')
    const a2 = v('node', 'refs/pull/1/merge', '2')
    const other = v('node-extra', 'refs/pull/1/merge', '1')
    const work = planWork([a1, a2].map(selected), whole([a1, a2, other]), true)
    expect(work.every(w => !w.byKey)).toBe(true)
  })

  it('falls back to ids when the listing did not see the whole ref', () => {
    const a1 = v('node-abc', 'refs/pull/1/merge', '1')
    const a2 = v('node-abc', 'refs/pull/1/merge', '2')
    const work = planWork(
      [a1, a2].map(selected),
      { caches: [a1, a2], scopes: [{ ref: 'refs/pull/1/merge', keyPrefix: 'node-' }] },
      true
    )
    expect(work.every(w => !w.byKey)).toBe(true)
  })

  it('deletes the same set by key as by id, with exact and prefix server semantics', async () => {
    const caches = [
      v('node-abc', 'r', '1'),
      v('node-abc', 'r', '2'),
      v('node-abcd', 'r', '1'),
      v('keep', 'r', '1')
    ]
    for (const prefix of [false, true]) {
      const api = new MemoryCacheApi(caches)
      api.prefixDeleteByKey = prefix
      const plan = caches.slice(0, 3).map(selected)
      await execute(api, repo, plan, whole(caches), { ...base, deleteByKey: true })
      expect(api.deleted.sort()).toEqual(
        caches
          .slice(0, 3)
          .map(c => c.id)
          .sort()
      )
    }
  })
})
