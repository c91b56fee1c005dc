import type { Cache } from '../../src/engine/cache.js'
import {
  classifyWaste,
  FORECAST_WINDOW_MS,
  NEVER_RESTORED_AFTER_MS,
  wasteReport
} from '../../src/engine/waste.js'
import { supersededBy } from '../../src/engine/versions.js'

const NOW = Date.UTC(2025, 0, 31, 12)
const H = 3_600_000
const D = 24 * H
const MAIN = 'refs/heads/main'
const PR1 = 'refs/pull/1/merge'
const MB = 1_000_000

interface Spec {
  readonly ref?: string
  readonly size?: number
  readonly created?: number
  /** ms since the last access; default: never restored (equal to created) */
  readonly accessed?: number
}

const cache = (id: number, key: string, s: Spec = {}): Cache => {
  const createdAt = NOW - (s.created ?? H)
  return {
    id,
    key,
    ref: s.ref ?? MAIN,
    version: 'v1',
    sizeInBytes: s.size ?? 100 * MB,
    createdAt,
    lastAccessedAt: s.accessed === undefined ? createdAt : NOW - s.accessed
  }
}

describe('supersededBy', () => {
  it('points each older version at the newest of its ref, family and version', () => {
    const caches = [
      cache(1, 'node-a', { created: 3 * D }),
      cache(2, 'node-b', { created: D }),
      cache(3, 'node-c', { created: 2 * D }),
      cache(4, 'node-a', { ref: PR1, created: 3 * D }),
      { ...cache(5, 'node-z', { created: 5 * D }), version: 'v2' },
      cache(6, 'solo', { created: 9 * D })
    ]
    expect([...supersededBy(caches)]).toEqual([1, -1, 1, -1, -1, -1])
  })

  it('leaves out an older version restored after the newest was created', () => {
    const restored = { ...cache(1, 'node-a', { created: 3 * D }), lastAccessedAt: NOW - H }
    const caches = [restored, cache(2, 'node-b', { created: D })]
    expect([...supersededBy(caches)]).toEqual([-1, -1])
    expect([...supersededBy([{ ...restored, lastAccessedAt: NOW - D - 1 }, caches[1]])]).toEqual([
      1, -1
    ])
  })

  it('breaks a tie in creation time by the higher id', () => {
    const caches = [cache(7, 'node-a', { created: D }), cache(9, 'node-b', { created: D })]
    expect([...supersededBy(caches)]).toEqual([1, -1])
    expect([...supersededBy([...caches].reverse())]).toEqual([-1, 0])
  })
})

describe('classifyWaste', () => {
  it('puts each cache in the first class that fits: dead, superseded, never restored, live', () => {
    const caches = [
      cache(1, 'node-a', { ref: PR1, created: 3 * D }), // dead (also never restored)
      cache(2, 'node-a', { created: 3 * D, accessed: 2 * D + H }), // restored, then superseded by 3
      cache(3, 'node-b', { created: 2 * D }), // newest, never restored, over a day old
      cache(4, 'pip-a', { created: 20 * H }), // never restored, but not a day old yet
      cache(5, 'go-a', { created: 5 * D, accessed: 2 * D }) // restored: live
    ]
    expect(classifyWaste(caches, NOW, new Set([PR1]))).toEqual([
      'dead',
      'superseded',
      'never-restored',
      'live',
      'live'
    ])
    // without stale-ref facts nothing is dead
    expect(classifyWaste(caches, NOW)[0]).toBe('never-restored')
  })

  it('does not count as superseded a version restored after the newer one came', () => {
    const caches = [
      cache(1, 'node-a', { created: 3 * D, accessed: H }),
      cache(2, 'node-b', { created: 2 * D, accessed: 2 * H })
    ]
    expect(classifyWaste(caches, NOW)).toEqual(['live', 'live'])
  })

  it('counts a cache as never restored only once it is more than a day old', () => {
    const at = (created: number): string => classifyWaste([cache(1, 'k-a', { created })], NOW)[0]
    expect(at(NEVER_RESTORED_AFTER_MS)).toBe('live')
    expect(at(NEVER_RESTORED_AFTER_MS + 1)).toBe('never-restored')
  })
})

describe('wasteReport', () => {
  it('sums the classes, which add up to the whole', () => {
    const r = wasteReport(
      [
        cache(1, 'node-a', { ref: PR1, size: 100 * MB }),
        cache(2, 'node-a', { created: 3 * D, size: 200 * MB }),
        cache(3, 'node-b', { created: 2 * D, size: 300 * MB }),
        cache(4, 'pip-a', { accessed: H, size: 400 * MB })
      ],
      NOW,
      { staleRefs: new Set([PR1]) }
    )
    expect(r.totalBytes).toBe(1000 * MB)
    expect(r.totalCount).toBe(4)
    expect(r.deadKnown).toBe(true)
    expect(r.classes).toEqual({
      dead: { count: 1, bytes: 100 * MB, share: 0.1 },
      superseded: { count: 1, bytes: 200 * MB, share: 0.2 },
      'never-restored': { count: 1, bytes: 300 * MB, share: 0.3 },
      live: { count: 1, bytes: 400 * MB, share: 0.4 }
    })
  })

  it('says when dead refs were not looked up', () => {
    expect(wasteReport([cache(1, 'a-b')], NOW).deadKnown).toBe(false)
  })

  it('ranks the largest families with their share, and sums the rest', () => {
    const r = wasteReport(
      [
        cache(1, 'node-a', { size: 300 * MB }),
        cache(2, 'node-b', { ref: PR1, size: 300 * MB }),
        cache(3, 'pip-a', { size: 200 * MB }),
        cache(4, 'go-a', { size: 100 * MB }),
        cache(5, 'rust-a', { size: 100 * MB })
      ],
      NOW,
      {},
      2
    )
    expect(r.families).toEqual([
      { family: 'node-', count: 2, bytes: 600 * MB, share: 0.6 },
      { family: 'pip-', count: 1, bytes: 200 * MB, share: 0.2 }
    ])
    expect(r.otherFamilies).toEqual({ families: 2, count: 2, bytes: 200 * MB, share: 0.2 })
  })

  it('breaks ties between families of equal size by name', () => {
    const r = wasteReport([cache(1, 'zz-a'), cache(2, 'aa-a')], NOW)
    expect(r.families.map(f => f.family)).toEqual(['aa-', 'zz-'])
  })

  it('is empty-safe', () => {
    const r = wasteReport([], NOW, { sizeLimit: 10 * MB })
    expect(r.totalBytes).toBe(0)
    expect(r.classes.live).toEqual({ count: 0, bytes: 0, share: 0 })
    expect(r.families).toEqual([])
    expect(r.forecast).toEqual({ status: 'flat', createdBytes: 0, bytesPerDay: 0 })
  })

  describe('forecast', () => {
    // 700 MB created in the last 7 days (100 MB a day), 300 MB older
    const caches = [
      cache(1, 'a-1', { created: FORECAST_WINDOW_MS + H, size: 300 * MB }),
      cache(2, 'a-2', { created: FORECAST_WINDOW_MS, size: 300 * MB }),
      cache(3, 'b-1', { created: 2 * D, size: 400 * MB })
    ]

    it('extrapolates the bytes created in the last 7 days to the size limit', () => {
      expect(wasteReport(caches, NOW, { sizeLimit: 2000 * MB }).forecast).toEqual({
        status: 'growing',
        createdBytes: 700 * MB,
        bytesPerDay: 100 * MB,
        daysToLimit: 10
      })
    })

    it('says when the limit is reached already, unknown, or nothing grows', () => {
      expect(wasteReport(caches, NOW, { sizeLimit: 1000 * MB }).forecast.status).toBe('over')
      expect(wasteReport(caches, NOW).forecast.status).toBe('unknown-limit')
      expect(wasteReport([caches[0]], NOW, { sizeLimit: 1000 * MB }).forecast).toEqual({
        status: 'flat',
        createdBytes: 0,
        bytesPerDay: 0
      })
    })
  })

  it('rejects nonsense arguments', () => {
    expect(() => wasteReport([], Number.NaN)).toThrow(/now/)
    expect(() => wasteReport([], NOW, {}, -1)).toThrow(/top/)
    expect(() => wasteReport([], NOW, { sizeLimit: -5 })).toThrow(/sizeLimit/)
  })
})
