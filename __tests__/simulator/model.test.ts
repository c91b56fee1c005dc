// The model of GitHub's cache: one test per documented rule.
import { CacheModel, findRestore, type Candidate } from '../../simulator/model.js'

const T0 = Date.UTC(2025, 0, 6)
const H = 3_600_000
const D = 24 * H
const MAIN = 'refs/heads/main'
const FEATURE = 'refs/heads/feature'
const SIBLING = 'refs/heads/sibling'
const RELEASE = 'refs/heads/release/1.x'
const PR = 'refs/pull/7/merge'
const V = 'v1'

const model = (sizeLimitBytes = 10_000, retentionMs = 7 * D): CacheModel =>
  new CacheModel({ sizeLimitBytes, retentionMs })

describe('scope: which refs a run restores from', () => {
  it('restores from its own ref, and from the default branch', () => {
    const m = model()
    m.save(MAIN, 'node-a', V, 100, T0)
    m.save(FEATURE, 'pip-a', V, 100, T0)
    expect(m.restore([FEATURE, MAIN], 'pip-a', [], V, T0 + H)?.ref).toBe(FEATURE)
    expect(m.restore([FEATURE, MAIN], 'node-a', [], V, T0 + H)?.ref).toBe(MAIN)
  })

  it('lets a pull request restore from its base branch too', () => {
    const m = model()
    m.save(RELEASE, 'node-a', V, 100, T0)
    expect(m.restore([PR, RELEASE, MAIN], 'node-a', [], V, T0 + H)).toMatchObject({
      match: 'exact',
      ref: RELEASE
    })
  })

  it('isolates sibling branches from each other', () => {
    const m = model()
    m.save(SIBLING, 'node-a', V, 100, T0)
    expect(m.restore([FEATURE, MAIN], 'node-a', ['node-'], V, T0 + H)).toBeUndefined()
  })

  it('isolates tags from each other', () => {
    const m = model()
    m.save('refs/tags/v1', 'node-a', V, 100, T0)
    expect(m.restore(['refs/tags/v2', MAIN], 'node-a', ['node-'], V, T0 + H)).toBeUndefined()
  })

  it('restores only a cache of the same version', () => {
    const m = model()
    m.save(MAIN, 'node-a', 'other-paths', 100, T0)
    expect(m.restore([MAIN], 'node-a', ['node-'], V, T0 + H)).toBeUndefined()
  })
})

describe('order: what a restore finds', () => {
  const c = (id: number, key: string, createdAt: number, version = V): Candidate => ({
    id,
    key,
    version,
    createdAt
  })
  const on =
    (lists: Record<string, Candidate[]>) =>
    (ref: string): Candidate[] =>
      lists[ref] ?? []

  it('takes the exact key first, even when a prefix match is newer', () => {
    const found = findRestore(
      [MAIN],
      'node-a',
      ['node-'],
      V,
      on({ [MAIN]: [c(1, 'node-a', T0), c(2, 'node-ab', T0 + D), c(3, 'node-b', T0 + D)] })
    )
    expect(found).toMatchObject({ match: 'exact', candidate: { id: 1 } })
  })

  it('then the key as a prefix, then each restore key in order, the newest match first', () => {
    const lists = {
      [MAIN]: [
        c(1, 'node-a-1', T0),
        c(2, 'node-a-2', T0 + H),
        c(3, 'node-b', T0 + D),
        c(4, 'pip-x', T0 + 2 * D)
      ]
    }
    expect(findRestore([MAIN], 'node-a', ['pip-', 'node-'], V, on(lists))).toMatchObject({
      match: 'partial',
      candidate: { id: 2 }
    })
    expect(findRestore([MAIN], 'node-z', ['pip-', 'node-'], V, on(lists))).toMatchObject({
      match: 'partial',
      candidate: { id: 4 }
    })
    expect(findRestore([MAIN], 'node-z', ['node-', 'pip-'], V, on(lists))).toMatchObject({
      match: 'partial',
      candidate: { id: 3 }
    })
  })

  it('breaks a tie in creation time by the later cache', () => {
    const lists = { [MAIN]: [c(5, 'node-a', T0), c(6, 'node-b', T0)] }
    expect(findRestore([MAIN], 'node-z', ['node-'], V, on(lists))?.candidate.id).toBe(6)
  })

  it('searches the current ref before the fallback refs, so a partial match there wins', () => {
    const lists = { [PR]: [c(1, 'node-old', T0)], [MAIN]: [c(2, 'node-new', T0 + D)] }
    expect(findRestore([PR, MAIN], 'node-new', ['node-'], V, on(lists))).toMatchObject({
      match: 'partial',
      ref: PR,
      candidate: { id: 1 }
    })
  })

  it('counts only an exact key as a hit; without restore keys a changed key misses', () => {
    const lists = { [MAIN]: [c(1, 'node-old', T0)] }
    expect(findRestore([MAIN], 'node-old', [], V, on(lists))?.match).toBe('exact')
    expect(findRestore([MAIN], 'node-new', ['node-'], V, on(lists))?.match).toBe('partial')
    expect(findRestore([MAIN], 'node-new', [], V, on(lists))).toBeUndefined()
  })
})

describe('saving', () => {
  it('creates a cache on the given ref, created and last accessed now', () => {
    const m = model()
    const saved = m.save(PR, 'node-a', V, 123, T0)
    expect(saved).toEqual({
      id: 1,
      ref: PR,
      key: 'node-a',
      version: V,
      sizeInBytes: 123,
      createdAt: T0,
      lastAccessedAt: T0
    })
    expect(m.totalBytes).toBe(123)
  })

  it('does not save a key and version its ref already holds (caches are immutable)', () => {
    const m = model()
    m.save(PR, 'node-a', V, 100, T0)
    expect(m.save(PR, 'node-a', V, 100, T0 + H)).toBeUndefined()
    expect(m.save(MAIN, 'node-a', V, 100, T0 + H)).toBeDefined()
    expect(m.save(PR, 'node-a', 'v2', 100, T0 + H)).toBeDefined()
    expect(m.count).toBe(3)
  })
})

describe('a restore updates last_accessed_at', () => {
  it('for exact and partial matches, and says whether the cache was superseded', () => {
    const m = model()
    m.save(MAIN, 'node-a', V, 100, T0)
    m.save(MAIN, 'node-b', V, 100, T0 + H)
    const exact = m.restore([MAIN], 'node-a', [], V, T0 + D)
    expect(exact).toMatchObject({ previousAccess: T0, superseded: true })
    expect(exact?.candidate.lastAccessedAt).toBe(T0 + D)
    const partial = m.restore([MAIN], 'node-c', ['node-'], V, T0 + 2 * D)
    expect(partial).toMatchObject({ match: 'partial', superseded: false, candidate: { id: 2 } })
    expect(m.list().map(c => c.lastAccessedAt)).toEqual([T0 + D, T0 + 2 * D])
  })
})

describe('GitHub’s hourly pass', () => {
  it('removes caches not accessed for more than the retention period', () => {
    const m = model(10_000, 7 * D)
    m.save(MAIN, 'a-1', V, 100, T0)
    m.save(MAIN, 'b-1', V, 100, T0)
    m.restore([MAIN], 'b-1', [], V, T0 + 3 * D)
    expect(m.hourly(T0 + 7 * D).expired).toEqual([])
    expect(m.hourly(T0 + 7 * D + 1).expired.map(c => c.key)).toEqual(['a-1'])
    expect(m.list().map(c => c.key)).toEqual(['b-1'])
  })

  it('evicts least recently used caches across all refs until the total fits the limit', () => {
    const m = model(250)
    m.save(MAIN, 'a-1', V, 100, T0)
    m.save(PR, 'b-1', V, 100, T0 + H)
    m.save(FEATURE, 'c-1', V, 100, T0 + 2 * H)
    m.save(MAIN, 'd-1', V, 100, T0 + 3 * H)
    m.restore([MAIN], 'a-1', [], V, T0 + 4 * H) // a is now the most recently used
    // over the limit in between: only the hourly pass evicts
    expect(m.totalBytes).toBe(400)
    const { evicted, expired } = m.hourly(T0 + 5 * H)
    expect(expired).toEqual([])
    expect(evicted.map(c => c.key)).toEqual(['b-1', 'c-1'])
    expect(m.totalBytes).toBe(200)
    expect(m.hourly(T0 + 6 * H).evicted).toEqual([])
  })

  it('deletes by id, skipping ids already gone', () => {
    const m = model()
    const a = m.save(MAIN, 'a-1', V, 100, T0)
    expect(m.remove([a?.id ?? 0, 99]).map(c => c.key)).toEqual(['a-1'])
    expect(m.remove([a?.id ?? 0])).toEqual([])
    expect(m.totalBytes).toBe(0)
    expect(m.restore([MAIN], 'a-1', ['a-'], V, T0 + H)).toBeUndefined()
  })
})
