import { listCaches, WHOLE_REPOSITORY, type ListScope } from '../../src/run/listing.js'
import { cache, MemoryCacheApi } from '../support/memory-api.js'

const repo = { owner: 'o', repo: 'r' }
const many = (n: number, ref = 'refs/heads/main') =>
  Array.from({ length: n }, (_, i) => cache({ key: `k-${i}`, ref, createdAt: 1_000_000 + i }))

describe('listCaches', () => {
  it('follows pagination to the end, past 100 and 1,000 caches', async () => {
    const api = new MemoryCacheApi(many(1234))
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.caches).toHaveLength(1234)
    expect(listing.requests).toBe(13)
    expect(listing.consistent).toBe(true)
    expect(listing.wholeRepository).toBe(true)
  })

  it('uses the exact ref filter and the key prefix of each scope', async () => {
    const api = new MemoryCacheApi([...many(5, 'refs/pull/7/merge'), ...many(5, 'refs/heads/main')])
    const scopes: ListScope[] = [{ ref: 'refs/pull/7/merge', keyPrefix: 'k-' }]
    const listing = await listCaches(api, repo, scopes)
    expect(listing.caches.map(c => c.ref)).toEqual(Array(5).fill('refs/pull/7/merge'))
    expect(api.calls).toEqual(['list refs/pull/7/merge k- 1'])
    expect(listing.wholeRepository).toBe(false)
  })

  it('repairs a listing whose pages shift while another job deletes caches', async () => {
    const caches = many(350)
    const api = new MemoryCacheApi(caches)
    let lists = 0
    // After the first page, someone else deletes 30 of the first caches: every later page shifts left.
    api.beforeList = () => {
      if (++lists === 2)
        api.caches = api.caches.filter(c => !caches.slice(0, 30).some(d => d.id === c.id))
    }
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    const ids = new Set(listing.caches.map(c => c.id))
    // Every cache still present was listed, none silently skipped.
    for (const c of api.caches) expect(ids.has(c.id)).toBe(true)
    expect(listing.repairs).toBeGreaterThan(0)
    expect(listing.consistent).toBe(true)
  })

  it('does not lose caches when new ones appear during the listing', async () => {
    const api = new MemoryCacheApi(many(250))
    let lists = 0
    api.beforeList = () => {
      if (++lists === 2) api.caches.push(cache({ key: 'fresh', createdAt: 9_999_999 }))
    }
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.caches.length).toBeGreaterThanOrEqual(250)
    expect(new Set(listing.caches.map(c => c.id)).size).toBe(listing.caches.length)
  })
})
