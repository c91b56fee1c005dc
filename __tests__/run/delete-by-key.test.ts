// Delete by key side by side with other work: keys that prefix one another,
// and a call whose answer was lost.

import type { Cache } from '../../src/engine/cache.js'
import { execute, planWork } from '../../src/run/executor.js'
import { repo, selected, whole } from '../support/plan.js'
import { cache, MemoryCacheApi } from '../support/memory-api.js'

const v = (key: string, version: string, ref = 'refs/pull/1/merge'): Cache =>
  cache({ key, ref, version })

describe('delete by key', () => {
  it('gives a key the longer keys it prefixes, so no two calls side by side reach one cache', () => {
    // listed longest first: the short key must still take the long one's caches
    const long = [v('node-abc-x', '1'), v('node-abc-x', '2')]
    const short = [v('node-abc', '1'), v('node-abc', '2')]
    const plan = [...long, ...short].map(selected)
    const work = planWork(plan, whole([...long, ...short]), true)
    expect(work).toHaveLength(1)
    expect(work[0].byKey).toEqual({ key: 'node-abc', ref: 'refs/pull/1/merge' })
    expect(work[0].decisions.map(d => d.cache.id)).toEqual(plan.map(d => d.cache.id))
  })

  it('keeps the plan order, and lower case does not hide a prefix', () => {
    const a = [v('Linux-Node', '1'), v('linux-node', '2')]
    const lone = v('other', '1')
    const b = [v('LINUX-NODE-deps', '1')]
    const plan = [lone, ...a, ...b].map(selected)
    const work = planWork(plan, whole([lone, ...a, ...b]), true)
    expect(work.map(w => w.decisions.map(d => d.cache.id))).toEqual([
      [lone.id],
      [a[0].id, a[1].id, b[0].id]
    ])
  })

  it('deletes every planned cache exactly once and reports it deleted, whatever the server matches', async () => {
    const caches = [
      v('node-abc-x', '1'),
      v('node-abc', '1'),
      v('node-abc', '2'),
      v('node-abc-x', '2'),
      v('keep-me', '1')
    ]
    for (const prefix of [false, true]) {
      const api = new MemoryCacheApi(caches)
      api.prefixDeleteByKey = prefix
      const plan = caches.slice(0, 4).map(selected)
      const result = await execute(api, repo, plan, whole(caches), {
        dryRun: false,
        concurrency: 8,
        deleteByKey: true
      })
      expect(result.items.map(i => i.outcome.status)).toEqual([
        'deleted',
        'deleted',
        'deleted',
        'deleted'
      ])
      expect([...api.deleted].sort()).toEqual(
        caches
          .slice(0, 4)
          .map(c => c.id)
          .sort()
      )
      expect(api.caches.map(c => c.key)).toEqual(['keep-me'])
    }
  })

  it('counts the caches of a call whose answer was lost as deleted, not as already gone', async () => {
    const caches = [v('node-abc', '1'), v('node-abc', '2'), v('node-abc', '3')]
    const api = new MemoryCacheApi(caches)
    api.lostByKeyAttempt = true
    const result = await execute(api, repo, caches.map(selected), whole(caches), {
      dryRun: false,
      concurrency: 2,
      deleteByKey: true
    })
    expect(result.items.map(i => i.outcome.status)).toEqual(['deleted', 'deleted', 'deleted'])
    // each was looked for by id after the empty answer, and found gone
    expect(api.calls.filter(c => c.startsWith('delete ')).length).toBe(3)
  })

  it('still counts a 404 by id as already gone when no call by key came before', async () => {
    const caches = [v('node-abc', '1'), v('lone', '1')]
    const api = new MemoryCacheApi([caches[0]])
    const result = await execute(api, repo, caches.map(selected), whole(caches), {
      dryRun: false,
      concurrency: 2,
      deleteByKey: true
    })
    expect(result.items.map(i => i.outcome.status)).toEqual(['deleted', 'already-gone'])
  })
})
