import { ApiError, StopError } from '../../src/github/ports.js'
import { execute, planWork } from '../../src/run/executor.js'
import { repo, selected, whole } from '../support/plan.js'
import { cache, forbidden, MemoryCacheApi } from '../support/memory-api.js'

const base = { dryRun: false, concurrency: 3, deleteByKey: false }

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

// Each test below would fail if the executor did one particular thing wrong:
// the comment before it names the wrong thing.
describe('execute: what each answer means', () => {
  // a 401 (a token revoked or expired mid-run) must stop the run as a 403 does
  it('stops after a 401 as after a 403, and names the first failure in the rest', async () => {
    const caches = Array.from({ length: 4 }, (_, i) => cache({ key: `k${i}` }))
    const api = new MemoryCacheApi(caches)
    const unauthorized = new ApiError('unauthorized', 401, 'Bad credentials', 'delete cache')
    api.failDelete = () => unauthorized
    const result = await execute(api, repo, caches.map(selected), whole(caches), {
      ...base,
      concurrency: 1
    })
    expect(result.denied).toBe(unauthorized)
    expect(api.calls).toEqual([`delete ${caches[0].id}`])
    expect(result.items.map(i => i.outcome)).toEqual([
      { status: 'failed', error: 'Bad credentials', kind: 'unauthorized' },
      ...caches.slice(1).map(() => ({
        status: 'failed',
        error: 'not attempted: Bad credentials',
        kind: 'forbidden'
      }))
    ])
  })

  it('keeps the message and kind of a failure, and calls an unexpected error an error', async () => {
    const caches = [cache({ key: 'a' }), cache({ key: 'b' })]
    const api = new MemoryCacheApi(caches)
    api.failDelete = id =>
      id === caches[0].id
        ? new ApiError('server', 502, 'Bad Gateway', 'delete cache')
        : (new Error('socket hang up') as ApiError)
    const result = await execute(api, repo, caches.map(selected), whole(caches), base)
    expect(result.denied).toBeUndefined()
    expect(result.items.map(i => i.outcome)).toEqual([
      { status: 'failed', error: 'Bad Gateway', kind: 'server' },
      { status: 'failed', error: 'socket hang up', kind: 'error' }
    ])
  })

  it('says why the caches beyond max-deletions wait, and sends nothing for them', async () => {
    const caches = Array.from({ length: 4 }, (_, i) => cache({ key: `k${i}` }))
    const api = new MemoryCacheApi(caches)
    const result = await execute(api, repo, caches.map(selected), whole(caches), {
      ...base,
      maxDeletions: 1
    })
    expect(result.items.map(i => i.outcome)).toEqual([
      { status: 'deleted' },
      ...caches.slice(1).map(() => ({ status: 'pending', why: 'max-deletions' }))
    ])
    expect(api.calls).toEqual([`delete ${caches[0].id}`])
  })

  it('counts the delete requests it sent', async () => {
    const caches = Array.from({ length: 3 }, (_, i) => cache({ key: `k${i}` }))
    const api = new MemoryCacheApi(caches)
    const result = await execute(api, repo, caches.map(selected), whole(caches), base)
    expect(result.requests).toBe(3)
    expect(api.calls).toHaveLength(3)
  })
})

describe('execute: delete by key', () => {
  const onRef = (key: string, version: string, ref = 'refs/pull/1/merge') =>
    cache({ key, ref, version })

  // delete-by-key reaches caches created after the listing, so it is used only when asked for
  it('never deletes by key unless asked to, even for a key with several versions', async () => {
    const caches = [onRef('node-abc', '1'), onRef('node-abc', '2')]
    const api = new MemoryCacheApi(caches)
    const result = await execute(api, repo, caches.map(selected), whole(caches), base)
    expect(api.calls.sort()).toEqual(caches.map(c => `delete ${c.id}`).sort())
    expect(result.items.map(i => i.outcome.status)).toEqual(['deleted', 'deleted'])
    expect(planWork(caches.map(selected), whole(caches), false)).toEqual(
      caches.map(c => ({ decisions: [selected(c)] }))
    )
  })

  it('takes the caches the server reports deleting as deleted, with one request', async () => {
    const caches = [onRef('node-abc', '1'), onRef('node-abc', '2'), onRef('node-abc', '3')]
    const api = new MemoryCacheApi(caches)
    const result = await execute(api, repo, caches.map(selected), whole(caches), {
      ...base,
      deleteByKey: true
    })
    expect(api.calls).toEqual(['delete-key node-abc refs/pull/1/merge'])
    expect(result.items.map(i => i.outcome)).toEqual(caches.map(() => ({ status: 'deleted' })))
    expect(result.requests).toBe(1)
  })

  it('tries by id a cache the server did not report deleting', async () => {
    const [a1, a2] = [onRef('node-abc', '1'), onRef('node-abc', '2')]
    // someone else removed a2 between the listing and the delete
    const api = new MemoryCacheApi([a1])
    const result = await execute(api, repo, [a1, a2].map(selected), whole([a1, a2]), {
      ...base,
      deleteByKey: true
    })
    expect(api.calls).toEqual(['delete-key node-abc refs/pull/1/merge', `delete ${a2.id}`])
    expect(result.items.map(i => i.outcome)).toEqual([
      { status: 'deleted' },
      { status: 'already-gone' }
    ])
    expect(result.requests).toBe(2)
  })
})

describe('planWork: when a delete by key is safe', () => {
  const ref = 'refs/pull/1/merge'
  const onRef = (key: string, version: string, on = ref) => cache({ key, ref: on, version })
  const byKey = (work: ReturnType<typeof planWork>) => work.filter(w => w.byKey)

  it('sends a lone cache by id: a key with one version gains nothing by key', () => {
    const a = onRef('node-abc', '1')
    const work = planWork([selected(a)], whole([a]), true)
    expect(work).toEqual([{ decisions: [selected(a)] }])
  })

  it('groups when one of several listing scopes read the whole ref', () => {
    const [a1, a2] = [onRef('node-abc', '1'), onRef('node-abc', '2')]
    const scopes = [{ ref: 'refs/pull/2/merge' }, { ref }]
    const work = planWork([a1, a2].map(selected), { caches: [a1, a2], scopes }, true)
    expect(work).toEqual([{ decisions: [a1, a2].map(selected), byKey: { key: 'node-abc', ref } }])
  })

  it('does not group when the listing read only another ref', () => {
    const [a1, a2] = [onRef('node-abc', '1'), onRef('node-abc', '2')]
    const scopes = [{ ref: 'refs/pull/2/merge' }]
    const work = planWork([a1, a2].map(selected), { caches: [a1, a2], scopes }, true)
    expect(byKey(work)).toEqual([])
    expect(work).toHaveLength(2)
  })

  it('is not stopped by unplanned caches the call cannot reach: another ref, another key', () => {
    const [a1, a2] = [onRef('node-abc', '1'), onRef('node-abc', '2')]
    const elsewhere = onRef('node-abc', '1', 'refs/heads/main')
    const unrelated = onRef('ruby-abc', '1')
    const work = planWork([a1, a2].map(selected), whole([a1, elsewhere, a2, unrelated]), true)
    expect(work).toEqual([{ decisions: [a1, a2].map(selected), byKey: { key: 'node-abc', ref } }])
  })

  it('counts a prefix in another letter case as reachable', () => {
    const [a1, a2] = [onRef('node-abc', '1'), onRef('node-abc', '2')]
    const upper = onRef('NODE-ABC-x', '1')
    const work = planWork([a1, a2].map(selected), whole([a1, a2, upper]), true)
    expect(byKey(work)).toEqual([])
  })

  it('covers by key only the caches the listing saw; a planned one it did not see goes by id', () => {
    const [a1, a2, unseen] = [
      onRef('node-abc', '1'),
      onRef('node-abc', '2'),
      onRef('node-abc', '3')
    ]
    const work = planWork([a1, unseen, a2].map(selected), whole([a1, a2]), true)
    expect(work).toEqual([
      { decisions: [a1, a2].map(selected), byKey: { key: 'node-abc', ref } },
      { decisions: [selected(unseen)] }
    ])
  })
})

/** A MemoryCacheApi whose deletes answer on a later turn of the event loop, counting those in flight. */
class SlowApi extends MemoryCacheApi {
  override inFlight = 0
  override maxInFlight = 0
  override async deleteCacheById(...args: Parameters<MemoryCacheApi['deleteCacheById']>) {
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    await new Promise(resolve => setImmediate(resolve))
    this.inFlight--
    return super.deleteCacheById(...args)
  }
}

describe('execute: concurrency and progress', () => {
  it('keeps as many deletions in flight as asked, and at least one', async () => {
    const caches = Array.from({ length: 7 }, (_, i) => cache({ key: `k${i}` }))
    for (const [concurrency, expected] of [
      [3, 3],
      [50, 7],
      [0, 1]
    ]) {
      const api = new SlowApi(caches)
      const result = await execute(api, repo, caches.map(selected), whole(caches), {
        ...base,
        concurrency
      })
      expect(api.maxInFlight).toBe(expected)
      expect(result.items.every(i => i.outcome.status === 'deleted')).toBe(true)
    }
  })

  const progress = async (n: number, concurrency: number): Promise<[number, number][]> => {
    const caches = Array.from({ length: n }, (_, i) => cache({ key: `k${i}` }))
    const calls: [number, number][] = []
    const planned: number[] = []
    await execute(new SlowApi(caches), repo, caches.map(selected), whole(caches), {
      ...base,
      concurrency,
      onPlanned: count => planned.push(count),
      onProgress: (done, total) => calls.push([done, total])
    })
    expect(planned).toEqual([n])
    return calls
  }

  it('reports progress every 10 deletions on a small job, and at the end', async () => {
    expect(await progress(25, 1)).toEqual([
      [10, 25],
      [20, 25],
      [25, 25]
    ])
    expect(await progress(3, 2)).toEqual([[3, 3]])
  })

  it('reports progress every tenth of a large job', async () => {
    const calls = await progress(250, 4)
    expect(calls).toEqual(Array.from({ length: 10 }, (_, i) => [25 * (i + 1), 250]))
  })
})
