// Behaviour of the fake GitHub API over real HTTP.

import { describe, expect, it } from '@jest/globals'
import { generateRepo, seedRepo } from '../../testing/fake/seed.js'
import type { FakeGitHub } from '../../testing/fake/server.js'
import { fakeStarter } from '../support/fake-fixture.js'
import { FakeStore } from '../../testing/fake/store.js'

const NOW = Date.parse('2025-03-01T12:00:00Z')
const REPO = 'acme/app'

const start = fakeStarter()

interface Reply {
  status: number
  headers: Headers
  text: string
  json: unknown
}

async function call(
  fake: FakeGitHub,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; timeoutMs?: number; scheme?: string } = {}
): Promise<Reply> {
  const headers: Record<string, string> = {}
  const token = options.token === undefined ? 'ghs_write' : options.token
  if (token !== null) headers.authorization = `${options.scheme ?? 'token'} ${token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(path.startsWith('http') ? path : fake.url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined
  })
  const text = await res.text()
  let json: unknown = undefined
  if (text && (res.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(text)
  return { status: res.status, headers: res.headers, text, json }
}

interface CacheList {
  total_count: number
  actions_caches: {
    id: number
    key: string
    ref: string
    size_in_bytes: number
    created_at: string
    last_accessed_at: string
  }[]
}
const list = (r: Reply): CacheList => r.json as CacheList

function parseLink(header: string | null): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim())
    if (m) out[m[2]] = m[1]
  }
  return out
}

function seeded(store: FakeStore, count = 250, seed = 42): void {
  seedRepo(store, REPO, { count, seed, now: NOW })
}

describe('seeding', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateRepo({ count: 300, seed: 9, now: NOW })
    const b = generateRepo({ count: 300, seed: 9, now: NOW })
    const c = generateRepo({ count: 300, seed: 10, now: NOW })
    expect(b).toEqual(a)
    expect(c.caches.map(x => x.key)).not.toEqual(a.caches.map(x => x.key))
    const s1 = new FakeStore()
    const s2 = new FakeStore()
    seedRepo(s1, REPO, { count: 120, seed: 3, now: NOW })
    seedRepo(s2, REPO, { count: 120, seed: 3, now: NOW })
    expect(s2.caches(REPO)).toEqual(s1.caches(REPO))
    expect(s2.pulls(REPO)).toEqual(s1.pulls(REPO))
    expect(s2.branches(REPO)).toEqual(s1.branches(REPO))
  })

  it('produces a realistic mix', () => {
    const g = generateRepo({ count: 2000, seed: 1, now: NOW })
    const refs = g.caches.map(c => c.ref)
    const share = (re: RegExp): number => refs.filter(r => re.test(r)).length / refs.length
    expect(share(/^refs\/heads\/main$/)).toBeGreaterThan(0.15)
    expect(share(/^refs\/pull\/\d+\/merge$/)).toBeGreaterThan(0.35)
    expect(share(/^refs\/tags\/v\d+\.\d+\.\d+$/)).toBeGreaterThan(0.01)
    expect(share(/^refs\/heads\/gh-readonly-queue\/main\/pr-\d+-[0-9a-f]{40}$/)).toBeGreaterThan(
      0.01
    )
    expect(share(/^refs\/heads\/feature\//)).toBeGreaterThan(0.05)
    for (const family of [
      /^Linux-node-[0-9a-f]{40}$/,
      /^Windows-cargo-/,
      /^setup-java-Linux-maven-/,
      /^pip-/
    ]) {
      expect(g.caches.some(c => family.test(c.key))).toBe(true)
    }
    const keys = new Map<string, number>()
    for (const c of g.caches) keys.set(c.key, (keys.get(c.key) ?? 0) + 1)
    expect([...keys.values()].some(n => n > 1)).toBe(true)
    expect(g.caches.every(c => /^[0-9a-f]{64}$/.test(c.version))).toBe(true)
    const sizes = g.caches.map(c => c.size_in_bytes).sort((a, b) => a - b)
    expect(sizes[0]).toBeGreaterThanOrEqual(2048)
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(1.5 * 1024 ** 3)
    const median = sizes[Math.floor(sizes.length / 2)]
    expect(median).toBeGreaterThan(10 * 1024 ** 2)
    expect(median).toBeLessThan(300 * 1024 ** 2)
    const badTimes = g.caches.filter(c => {
      const created = Date.parse(c.created_at)
      const accessed = Date.parse(c.last_accessed_at)
      return !(accessed >= created && accessed <= NOW && created > NOW - 10 * 86400000 - 1)
    })
    expect(badTimes).toEqual([])
    const closed = new Set(g.pulls.filter(p => p.state === 'closed').map(p => p.number))
    const open = new Set(g.pulls.filter(p => p.state === 'open').map(p => p.number))
    const prOf = (ref: string): number => Number(/^refs\/pull\/(\d+)\//.exec(ref)?.[1])
    expect(refs.some(r => closed.has(prOf(r)))).toBe(true)
    expect(refs.some(r => open.has(prOf(r)))).toBe(true)
    expect(g.deletedBranches.length).toBeGreaterThan(0)
    expect(refs.some(r => g.deletedBranches.some(b => r === `refs/heads/${b}`))).toBe(true)
    expect(g.branches).not.toEqual(expect.arrayContaining(g.deletedBranches))
  })

  // How fast the seed is belongs to the benchmark: a wall-clock limit here failed on busy machines.
  it('makes thousands of caches with distinct ids and seeds the store with its ids', () => {
    const g = generateRepo({ count: 20000, seed: 5, now: NOW })
    expect(g.caches).toHaveLength(20000)
    expect(new Set(g.caches.map(c => c.id)).size).toBe(20000)
    const store = new FakeStore()
    store.addCache('x/y', { key: 'first' })
    const seededRepo = seedRepo(store, REPO, { count: 50, seed: 5, now: NOW })
    expect(seededRepo.caches[0].id).toBe(2)
    expect(store.cacheCount(REPO)).toBe(50)
    expect(store.pulls(REPO).length).toBe(seededRepo.pulls.length)
  })
})

describe('listing caches', () => {
  it('paginates more than 100 caches with Link headers until none is left', async () => {
    const fake = await start()
    seeded(fake.store, 250)
    const first = await call(fake, 'GET', `/repos/${REPO}/actions/caches?per_page=1000`)
    expect(first.status).toBe(200)
    expect(list(first).actions_caches).toHaveLength(100)
    expect(list(first).total_count).toBe(250)
    const links = parseLink(first.headers.get('link'))
    expect(links.next).toBe(`${fake.url}/repos/${REPO}/actions/caches?per_page=1000&page=2`)
    expect(links.last).toContain('page=3')
    expect(links.prev).toBeUndefined()
    const ids = list(first).actions_caches.map(c => c.id)
    let next: string | undefined = links.next
    let pages = 1
    let lastLinks: Record<string, string> = links
    while (next) {
      const r = await call(fake, 'GET', next)
      pages++
      ids.push(...list(r).actions_caches.map(c => c.id))
      lastLinks = parseLink(r.headers.get('link'))
      next = lastLinks.next
    }
    expect(pages).toBe(3)
    expect(new Set(ids).size).toBe(250)
    expect(lastLinks.first).toContain('page=1')
    expect(lastLinks.prev).toContain('page=2')
    expect(lastLinks.last).toBeUndefined()
  })

  it('defaults to 30 per page, keeps the query in links and omits Link when one page suffices', async () => {
    const fake = await start()
    seeded(fake.store, 250)
    const r = await call(fake, 'GET', `/repos/${REPO}/actions/caches?key=Linux-&sort=size_in_bytes`)
    const body = list(r)
    expect(body.actions_caches).toHaveLength(Math.min(30, body.total_count))
    expect(body.total_count).toBeGreaterThan(30)
    const next = parseLink(r.headers.get('link')).next
    expect(next).toMatch(/\?key=Linux-&sort=size_in_bytes&page=2$/)
    const few = await call(fake, 'GET', `/repos/${REPO}/actions/caches?ref=refs%2Ftags%2Fnone`)
    expect(list(few)).toEqual({ total_count: 0, actions_caches: [] })
    expect(few.headers.get('link')).toBeNull()
    const beyond = await call(fake, 'GET', `/repos/${REPO}/actions/caches?per_page=100&page=9`)
    expect(list(beyond).actions_caches).toEqual([])
    expect(list(beyond).total_count).toBe(250)
    expect(parseLink(beyond.headers.get('link')).next).toBeUndefined()
  })

  it('rejects bad paging and sorting parameters with 422', async () => {
    const fake = await start()
    fake.store.addRepo(REPO)
    for (const q of [
      'per_page=abc',
      'per_page=0',
      'page=0',
      'page=-1',
      'sort=name',
      'direction=up'
    ]) {
      const r = await call(fake, 'GET', `/repos/${REPO}/actions/caches?${q}`)
      expect([q, r.status]).toEqual([q, 422])
      expect((r.json as { message: string }).message).toMatch(/Invalid/)
    }
  })

  it('filters by key prefix (case-insensitive by default) and exact full ref', async () => {
    const fake = await start()
    const s = fake.store
    s.addCache(REPO, { key: 'Linux-node-aaa', ref: 'refs/heads/main' })
    s.addCache(REPO, { key: 'linux-node-bbb', ref: 'refs/pull/7/merge' })
    s.addCache(REPO, { key: 'Windows-node-ccc', ref: 'refs/heads/main' })
    s.addCache(REPO, { key: 'Linux-node-ddd', ref: 'refs/heads/main-2' })
    const keys = async (q: string): Promise<string[]> =>
      list(await call(fake, 'GET', `/repos/${REPO}/actions/caches?${q}`))
        .actions_caches.map(c => c.key)
        .sort()
    expect(await keys('key=Linux-node')).toEqual([
      'Linux-node-aaa',
      'Linux-node-ddd',
      'linux-node-bbb'
    ])
    expect(await keys('ref=refs/heads/main')).toEqual(['Linux-node-aaa', 'Windows-node-ccc'])
    expect(await keys('ref=main')).toEqual([])
    expect(await keys('key=Linux&ref=refs%2Fheads%2Fmain')).toEqual(['Linux-node-aaa'])
    fake.setOptions({ keyFilterCaseInsensitive: false })
    expect(await keys('key=Linux-node')).toEqual(['Linux-node-aaa', 'Linux-node-ddd'])
  })

  it('sorts by each field in both directions, ties broken by id', async () => {
    const fake = await start()
    const s = fake.store
    const t = (h: number): string => new Date(NOW - h * 3600000).toISOString()
    s.addCache(REPO, { key: 'a', size_in_bytes: 300, created_at: t(10), last_accessed_at: t(1) })
    s.addCache(REPO, { key: 'b', size_in_bytes: 100, created_at: t(30), last_accessed_at: t(5) })
    s.addCache(REPO, { key: 'c', size_in_bytes: 200, created_at: t(20), last_accessed_at: t(5) })
    s.addCache(REPO, { key: 'd', size_in_bytes: 100, created_at: t(5), last_accessed_at: t(2) })
    const order = async (q: string): Promise<string> =>
      list(await call(fake, 'GET', `/repos/${REPO}/actions/caches?${q}`))
        .actions_caches.map(c => c.key)
        .join('')
    expect(await order('')).toBe('adcb')
    expect(await order('direction=asc')).toBe('bcda')
    expect(await order('sort=size_in_bytes&direction=asc')).toBe('bdca')
    expect(await order('sort=size_in_bytes')).toBe('acdb')
    expect(await order('sort=created_at')).toBe('dacb')
    expect(await order('sort=created_at&direction=asc')).toBe('bcad')
    // the same query again, after each kind of change: never a stale order
    s.touchCache(REPO, s.caches(REPO)[1].id, NOW)
    expect(await order('')).toBe('badc')
    s.addCache(REPO, { key: 'e', size_in_bytes: 1, created_at: t(1), last_accessed_at: t(0.5) })
    expect(await order('')).toBe('beadc')
    s.removeCache(REPO, s.caches(REPO)[0].id)
    expect(await order('')).toBe('bedc')
  })

  it('renders 7-digit fractional timestamps when asked', async () => {
    const fake = await start({ fractionalSeconds: true })
    const c = fake.store.addCache(REPO, { created_at: '2024-05-01T10:00:00.123Z' })
    const body = list(await call(fake, 'GET', `/repos/${REPO}/actions/caches`))
    const got = body.actions_caches[0]
    expect(got.id).toBe(c.id)
    expect(got.created_at).toMatch(/^2024-05-01T10:00:00\.123\d{4}Z$/)
    expect(got.last_accessed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/)
    expect(Date.parse(got.created_at)).toBe(Date.parse('2024-05-01T10:00:00.123Z'))
  })
})

describe('deleting caches', () => {
  it('deletes by id: 204 then 404, recorded in deletions', async () => {
    const fake = await start()
    const c = fake.store.addCache(REPO, { key: 'k1' })
    const first = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches/${c.id}`)
    expect(first.status).toBe(204)
    expect(first.text).toBe('')
    const again = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches/${c.id}`)
    expect(again.status).toBe(404)
    expect((again.json as { message: string }).message).toBe('Not Found')
    expect(await call(fake, 'DELETE', `/repos/${REPO}/actions/caches/abc`)).toMatchObject({
      status: 404
    })
    expect(fake.store.cacheCount(REPO)).toBe(0)
    expect(fake.deletions).toEqual([
      { repo: REPO, id: c.id, key: 'k1', ref: 'refs/heads/main', via: 'id' }
    ])
    expect(fake.mutations()).toBe(3)
  })

  it('deletes by key: exact mode takes every ref and version of that key only', async () => {
    const fake = await start()
    const s = fake.store
    const a = s.addCache(REPO, { key: 'foo', ref: 'refs/heads/main', version: '1'.repeat(64) })
    const b = s.addCache(REPO, { key: 'foo', ref: 'refs/pull/3/merge' })
    const c = s.addCache(REPO, { key: 'foo', ref: 'refs/heads/main', version: '2'.repeat(64) })
    s.addCache(REPO, { key: 'foo-1', ref: 'refs/heads/main' })
    const r = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches?key=foo`)
    expect(r.status).toBe(200)
    expect(list(r).total_count).toBe(3)
    expect(
      list(r)
        .actions_caches.map(x => x.id)
        .sort()
    ).toEqual([a.id, b.id, c.id].sort())
    expect(s.caches(REPO).map(x => x.key)).toEqual(['foo-1'])
    expect(fake.deletions.every(d => d.via === 'key')).toBe(true)
    const none = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches?key=foo`)
    expect(none.status).toBe(404)
  })

  it('deletes by key in prefix mode, and narrows by ref', async () => {
    const fake = await start({ deleteByKeyMatch: 'prefix' })
    const s = fake.store
    s.addCache(REPO, { key: 'foo', ref: 'refs/heads/main' })
    s.addCache(REPO, { key: 'foo-1', ref: 'refs/heads/main' })
    s.addCache(REPO, { key: 'foo-2', ref: 'refs/pull/1/merge' })
    s.addCache(REPO, { key: 'bar', ref: 'refs/heads/main' })
    const r = await call(
      fake,
      'DELETE',
      `/repos/${REPO}/actions/caches?key=foo&ref=refs/heads/main`
    )
    expect(
      list(r)
        .actions_caches.map(x => x.key)
        .sort()
    ).toEqual(['foo', 'foo-1'])
    const r2 = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches?key=foo`)
    expect(list(r2).actions_caches.map(x => x.key)).toEqual(['foo-2'])
    expect(s.caches(REPO).map(x => x.key)).toEqual(['bar'])
  })

  it('answers 422 without a key', async () => {
    const fake = await start()
    fake.store.addCache(REPO, { key: 'foo' })
    for (const q of ['', '?key=', '?ref=refs/heads/main']) {
      const r = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches${q}`)
      expect(r.status).toBe(422)
      expect((r.json as { message: string }).message).toBe('Missing required query parameter key')
    }
    expect(fake.store.cacheCount(REPO)).toBe(1)
  })

  it('round-trips keys and refs with unicode and special characters', async () => {
    const fake = await start({ keyFilterCaseInsensitive: false })
    const weird = 'ключ 🚀 100% & #1 + ?x=y/ü;a=b'
    const long = (weird + '-').repeat(40).slice(0, 512)
    const ref = 'refs/heads/feature/ü & #+?%'
    const a = fake.store.addCache(REPO, { key: weird, ref })
    const b = fake.store.addCache(REPO, { key: long })
    fake.store.addCache(REPO, { key: 'ключ plain' })
    const q = (k: string): string => encodeURIComponent(k)
    const byKey = list(await call(fake, 'GET', `/repos/${REPO}/actions/caches?key=${q(weird)}`))
    expect(byKey.actions_caches.map(c => c.id).sort()).toEqual([a.id, b.id].sort())
    const byRef = list(await call(fake, 'GET', `/repos/${REPO}/actions/caches?ref=${q(ref)}`))
    expect(byRef.actions_caches.map(c => [c.key, c.ref])).toEqual([[weird, ref]])
    const longOnly = list(await call(fake, 'GET', `/repos/${REPO}/actions/caches?key=${q(long)}`))
    expect(longOnly.actions_caches.map(c => c.id)).toEqual([b.id])
    const del = await call(
      fake,
      'DELETE',
      `/repos/${REPO}/actions/caches?key=${q(weird)}&ref=${q(ref)}`
    )
    expect(del.status).toBe(200)
    expect(list(del).actions_caches.map(c => c.key)).toEqual([weird])
    expect(fake.requests.at(-1)?.query).toEqual({ key: weird, ref })
    const delLong = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches?key=${q(long)}`)
    expect(list(delLong).actions_caches.map(c => c.id)).toEqual([b.id])
    expect(fake.store.caches(REPO).map(c => c.key)).toEqual(['ключ plain'])
  })
})

describe('authentication and permissions', () => {
  it('gives a read-only token 403 on delete with the exact message', async () => {
    const fake = await start()
    const c = fake.store.addCache(REPO, { key: 'k' })
    const r = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches/${c.id}`, {
      token: 'ghs_read'
    })
    expect(r.status).toBe(403)
    expect((r.json as { message: string }).message).toBe('Resource not accessible by integration')
    expect(r.headers.get('x-accepted-github-permissions')).toBe('actions=write')
    const byKey = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches?key=k`, {
      token: 'ghs_read'
    })
    expect(byKey.status).toBe(403)
    expect(fake.store.cacheCount(REPO)).toBe(1)
    expect(
      (await call(fake, 'GET', `/repos/${REPO}/actions/caches`, { token: 'ghs_read' })).status
    ).toBe(200)
    expect(fake.mutations()).toBe(2)
  })

  it('words the 403 for a personal access token', async () => {
    const fake = await start({
      tokens: { github_pat_x: { actions: 'read', kind: 'pat', name: 'fine-grained' } }
    })
    const c = fake.store.addCache(REPO)
    const r = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches/${c.id}`, {
      token: 'github_pat_x'
    })
    expect((r.json as { message: string }).message).toBe(
      'Resource not accessible by personal access token'
    )
    expect(fake.requests[0].token).toBe('fine-grained')
  })

  it('answers 401 for unknown or missing tokens, records no raw secret, accepts Bearer', async () => {
    const fake = await start()
    fake.store.addRepo(REPO)
    const bad = await call(fake, 'GET', `/repos/${REPO}/actions/caches`, {
      token: 'ghs_secret_value'
    })
    expect(bad.status).toBe(401)
    expect((bad.json as { message: string }).message).toBe('Bad credentials')
    expect((await call(fake, 'GET', `/repos/${REPO}/actions/caches`, { token: null })).status).toBe(
      401
    )
    const bearer = await call(fake, 'GET', `/repos/${REPO}/actions/caches`, { scheme: 'Bearer' })
    expect(bearer.status).toBe(200)
    expect(fake.requests.map(r => r.token)).toEqual(['unknown', undefined, 'ghs_write'])
    expect(JSON.stringify(fake.requests)).not.toContain('ghs_secret_value')
  })

  it('answers 404 for unknown repositories and ones a token cannot see', async () => {
    const fake = await start({ tokens: { t: { actions: 'write', repos: ['acme/other'] } } })
    fake.store.addRepo(REPO)
    expect((await call(fake, 'GET', `/repos/acme/nope/actions/caches`)).status).toBe(401)
    expect(
      (await call(fake, 'GET', `/repos/acme/nope/actions/caches`, { token: 't' })).status
    ).toBe(404)
    expect((await call(fake, 'GET', `/repos/${REPO}/actions/caches`, { token: 't' })).status).toBe(
      404
    )
    fake.store.addRepo('acme/other')
    expect(
      (await call(fake, 'GET', `/repos/ACME/Other/actions/caches`, { token: 't' })).status
    ).toBe(200)
  })

  it('requires contents/pull-requests read for refs and pulls', async () => {
    const fake = await start()
    seeded(fake.store, 40)
    for (const path of ['/branches', '/branches/main', '/git/matching-refs/tags/v', '/pulls']) {
      const r = await call(fake, 'GET', `/repos/${REPO}${path}`, { token: 'ghs_read' })
      expect([path, r.status, (r.json as { message: string }).message]).toEqual([
        path,
        403,
        'Resource not accessible by integration'
      ])
      expect((await call(fake, 'GET', `/repos/${REPO}${path}`)).status).toBe(200)
    }
  })
})

describe('modes', () => {
  it('serves GHES under /api/v3 with usage-policy and without retention/storage limits', async () => {
    const fake = await start({ mode: 'ghes' })
    fake.store.addCache(REPO, { size_in_bytes: 10 })
    expect(fake.url).toBe(`${fake.origin}/api/v3`)
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/)
    const r = await call(fake, 'GET', `/repos/${REPO}/actions/caches`)
    expect(r.status).toBe(200)
    expect(r.headers.get('x-github-enterprise-version')).toBeTruthy()
    expect((await call(fake, 'GET', `${fake.origin}/repos/${REPO}/actions/caches`)).status).toBe(
      404
    )
    expect((await call(fake, 'GET', `/repos/${REPO}/actions/cache/usage-policy`)).json).toEqual({
      repo_cache_size_limit_in_gb: 10
    })
    const missing = await call(fake, 'GET', `/repos/${REPO}/actions/cache/retention-limit`)
    expect(missing.status).toBe(404)
    expect(missing.json).toMatchObject({
      message: 'Not Found',
      documentation_url: expect.any(String)
    })
    expect(fake.requests[0].path).toBe(`/repos/${REPO}/actions/caches`)
  })

  it('accepts only the API versions the product knows', async () => {
    const fake = await start({ mode: 'ghes' })
    fake.store.addRepo(REPO)
    const get = (version?: string): Promise<Response> =>
      fetch(`${fake.url}/repos/${REPO}/actions/caches`, {
        headers: {
          authorization: 'token ghs_write',
          ...(version ? { 'x-github-api-version': version } : {})
        }
      })
    expect((await get()).status).toBe(200)
    expect((await get('2022-11-28')).status).toBe(200)
    const newer = await get('2026-03-10')
    expect(newer.status).toBe(400)
    expect(((await newer.json()) as { message: string }).message).toContain('2026-03-10')
    fake.setOptions({ mode: 'dotcom' })
    expect((await get('2026-03-10')).status).toBe(200)
    expect((await get('2020-01-01')).status).toBe(400)
  })

  it('serves github.com at the root with limits and without usage-policy, switchable at runtime', async () => {
    const fake = await start()
    fake.store.addRepo(REPO)
    expect((await call(fake, 'GET', `/api/v3/repos/${REPO}/actions/caches`)).status).toBe(404)
    expect((await call(fake, 'GET', `/repos/${REPO}/actions/cache/usage-policy`)).status).toBe(404)
    expect((await call(fake, 'GET', `/repos/${REPO}/actions/cache/retention-limit`)).json).toEqual({
      max_cache_retention_days: 7
    })
    fake.setOptions({ mode: 'ghes' })
    expect(fake.url).toMatch(/\/api\/v3$/)
    expect((await call(fake, 'GET', `/repos/${REPO}/actions/cache/usage-policy`)).status).toBe(200)
  })
})

describe('usage', () => {
  it('reports repository, organisation and enterprise usage from the store', async () => {
    const fake = await start()
    const s = fake.store
    s.addCache('acme/a', { size_in_bytes: 100 })
    s.addCache('acme/a', { size_in_bytes: 50 })
    s.addCache('acme/b', { size_in_bytes: 7 })
    s.addCache('other/c', { size_in_bytes: 1000 })
    s.addEnterprise('big', ['acme', 'other'])
    expect((await call(fake, 'GET', '/repos/acme/a/actions/cache/usage')).json).toEqual({
      full_name: 'acme/a',
      active_caches_size_in_bytes: 150,
      active_caches_count: 2
    })
    expect(
      (await call(fake, 'GET', '/orgs/acme/actions/cache/usage', { token: 'ghp_admin' })).json
    ).toEqual({
      total_active_caches_size_in_bytes: 157,
      total_active_caches_count: 3
    })
    const ent = await call(fake, 'GET', '/enterprises/big/actions/cache/usage', {
      token: 'ghp_admin'
    })
    expect(ent.json).toEqual({
      total_active_caches_size_in_bytes: 1157,
      total_active_caches_count: 4
    })
    expect((await call(fake, 'GET', '/orgs/acme/actions/cache/usage')).status).toBe(403)
    expect((await call(fake, 'GET', '/enterprises/big/actions/cache/usage')).status).toBe(403)
    expect(
      (await call(fake, 'GET', '/orgs/nobody/actions/cache/usage', { token: 'ghp_admin' })).status
    ).toBe(404)
  })

  it('paginates usage by repository and lists only repositories with caches', async () => {
    const fake = await start()
    for (let i = 1; i <= 7; i++) fake.store.addCache(`acme/r${i}`, { size_in_bytes: i })
    fake.store.addRepo('acme/empty')
    const seen: string[] = []
    let url: string | undefined = `/orgs/acme/actions/cache/usage-by-repository?per_page=3`
    let pages = 0
    while (url) {
      const r = await call(fake, 'GET', url, { token: 'ghp_admin' })
      const body = r.json as {
        total_count: number
        repository_cache_usages: { full_name: string }[]
      }
      expect(body.total_count).toBe(7)
      seen.push(...body.repository_cache_usages.map(u => u.full_name))
      url = parseLink(r.headers.get('link')).next
      pages++
    }
    expect(pages).toBe(3)
    expect(seen).toEqual([
      'acme/r1',
      'acme/r2',
      'acme/r3',
      'acme/r4',
      'acme/r5',
      'acme/r6',
      'acme/r7'
    ])
  })
})

describe('limits', () => {
  it('gets and puts retention and storage limits on github.com, validating bodies', async () => {
    const fake = await start()
    fake.store.addRepo(REPO)
    const base = `/repos/${REPO}/actions/cache`
    expect(
      (
        await call(fake, 'PUT', `${base}/retention-limit`, {
          token: 'ghp_admin',
          body: { max_cache_retention_days: 30 }
        })
      ).status
    ).toBe(204)
    expect((await call(fake, 'GET', `${base}/retention-limit`)).json).toEqual({
      max_cache_retention_days: 30
    })
    expect(
      (
        await call(fake, 'PUT', `${base}/storage-limit`, {
          token: 'ghp_admin',
          body: { max_cache_size_gb: 50 }
        })
      ).status
    ).toBe(204)
    expect((await call(fake, 'GET', `${base}/storage-limit`)).json).toEqual({
      max_cache_size_gb: 50
    })
    for (const body of [
      { max_cache_size_gb: 'ten' },
      { max_cache_size_gb: 1.5 },
      { max_cache_size_gb: 0 },
      {},
      [1]
    ]) {
      expect(
        (await call(fake, 'PUT', `${base}/storage-limit`, { token: 'ghp_admin', body })).status
      ).toBe(400)
    }
    expect(
      (
        await call(fake, 'PUT', `${base}/storage-limit`, {
          // actions: write is not enough: a repository's limits need administration
          token: 'ghs_write',
          body: { max_cache_size_gb: 5 }
        })
      ).status
    ).toBe(403)
    expect((await call(fake, 'GET', `${base}/storage-limit`)).json).toEqual({
      max_cache_size_gb: 50
    })
    const org = '/organizations/acme/actions/cache/retention-limit'
    expect(
      (await call(fake, 'PUT', org, { token: 'ghp_admin', body: { max_cache_retention_days: 90 } }))
        .status
    ).toBe(204)
    expect((await call(fake, 'GET', org, { token: 'ghp_admin' })).json).toEqual({
      max_cache_retention_days: 90
    })
    expect((await call(fake, 'GET', org)).status).toBe(403)
    expect(
      (await call(fake, 'GET', '/orgs/acme/actions/cache/retention-limit', { token: 'ghp_admin' }))
        .status
    ).toBe(404)
    fake.store.addEnterprise('big')
    const ent = '/enterprises/big/actions/cache/storage-limit'
    expect(
      (await call(fake, 'PUT', ent, { token: 'ghp_admin', body: { max_cache_size_gb: 100 } }))
        .status
    ).toBe(204)
    expect((await call(fake, 'GET', ent, { token: 'ghp_admin' })).json).toEqual({
      max_cache_size_gb: 100
    })
    const broken = await fetch(`${fake.url}${base}/storage-limit`, {
      method: 'PUT',
      headers: { authorization: 'token ghp_admin' },
      body: '{nope'
    })
    expect(broken.status).toBe(400)
    expect(((await broken.json()) as { message: string }).message).toBe('Problems parsing JSON')
  })

  it('gets and patches GHES usage policies, validating integers and the enterprise maximum', async () => {
    const fake = await start({ mode: 'ghes' })
    fake.store.addRepo(REPO)
    fake.store.addEnterprise('big', ['acme'])
    const repoPolicy = `/repos/${REPO}/actions/cache/usage-policy`
    expect(
      (
        await call(fake, 'PATCH', repoPolicy, {
          token: 'ghp_admin',
          body: { repo_cache_size_limit_in_gb: 20 }
        })
      ).status
    ).toBe(204)
    expect((await call(fake, 'GET', repoPolicy)).json).toEqual({ repo_cache_size_limit_in_gb: 20 })
    for (const body of [
      { repo_cache_size_limit_in_gb: '5' },
      { repo_cache_size_limit_in_gb: 26 },
      {}
    ]) {
      expect((await call(fake, 'PATCH', repoPolicy, { token: 'ghp_admin', body })).status).toBe(422)
    }
    expect(
      (
        await call(fake, 'PATCH', repoPolicy, {
          token: 'ghs_write',
          body: { repo_cache_size_limit_in_gb: 5 }
        })
      ).status
    ).toBe(403)
    const ent = '/enterprises/big/actions/cache/usage-policy'
    expect((await call(fake, 'GET', ent, { token: 'ghp_admin' })).json).toEqual({
      repo_cache_size_limit_in_gb: 10,
      max_repo_cache_size_limit_in_gb: 25
    })
    const patch = (body: unknown): Promise<Reply> =>
      call(fake, 'PATCH', ent, { token: 'ghp_admin', body })
    expect((await patch({ max_repo_cache_size_limit_in_gb: 40 })).status).toBe(204)
    expect((await patch({ repo_cache_size_limit_in_gb: 41 })).status).toBe(422)
    expect((await patch({ repo_cache_size_limit_in_gb: 2.5 })).status).toBe(422)
    expect((await patch({})).status).toBe(422)
    expect(
      (await call(fake, 'PATCH', ent, { body: { repo_cache_size_limit_in_gb: 5 } })).status
    ).toBe(403)
    expect((await call(fake, 'GET', ent, { token: 'ghp_admin' })).json).toEqual({
      repo_cache_size_limit_in_gb: 10,
      max_repo_cache_size_limit_in_gb: 40
    })
    expect(
      (
        await call(fake, 'PATCH', repoPolicy, {
          token: 'ghp_admin',
          body: { repo_cache_size_limit_in_gb: 35 }
        })
      ).status
    ).toBe(204)
  })
})

describe('pull requests, branches and refs', () => {
  it('lists and gets pull requests by state, paginated', async () => {
    const fake = await start()
    const s = fake.store
    s.addPull(REPO, { number: 1, headRef: 'feature/a' })
    s.addPull(REPO, { number: 2, state: 'closed', merged: true, headRef: 'feature/b' })
    s.addPull(REPO, { number: 3, state: 'closed', headRef: 'feature/c' })
    const numbers = async (q: string): Promise<number[]> =>
      ((await call(fake, 'GET', `/repos/${REPO}/pulls?${q}`)).json as { number: number }[])
        .map(p => p.number)
        .sort()
    expect(await numbers('')).toEqual([1])
    expect(await numbers('state=closed')).toEqual([2, 3])
    expect(await numbers('state=all')).toEqual([1, 2, 3])
    expect((await call(fake, 'GET', `/repos/${REPO}/pulls?state=merged`)).status).toBe(422)
    const paged = await call(fake, 'GET', `/repos/${REPO}/pulls?state=all&per_page=2`)
    expect((paged.json as unknown[]).length).toBe(2)
    expect(parseLink(paged.headers.get('link')).next).toContain('page=2')
    const one = await call(fake, 'GET', `/repos/${REPO}/pulls/2`)
    expect(one.json).toMatchObject({
      number: 2,
      state: 'closed',
      merged: true,
      head: { ref: 'feature/b' },
      base: { ref: 'main' }
    })
    expect((await call(fake, 'GET', `/repos/${REPO}/pulls/99`)).status).toBe(404)
  })

  it('lists and gets branches (names with slashes) and tags', async () => {
    const fake = await start()
    const s = fake.store
    s.addBranch(REPO, 'feature/x/y')
    s.addTag(REPO, 'v1.2.3')
    s.addTag(REPO, 'v1.3.0')
    s.addTag(REPO, 'w2')
    const names = (await call(fake, 'GET', `/repos/${REPO}/branches`)).json as {
      name: string
      protected: boolean
    }[]
    expect(names.map(b => b.name)).toEqual(['feature/x/y', 'main'])
    expect(names.find(b => b.name === 'main')?.protected).toBe(true)
    expect((await call(fake, 'GET', `/repos/${REPO}/branches/feature/x/y`)).json).toMatchObject({
      name: 'feature/x/y'
    })
    expect((await call(fake, 'GET', `/repos/${REPO}/branches/feature%2Fx%2Fy`)).status).toBe(200)
    expect((await call(fake, 'GET', `/repos/${REPO}/branches/feature/x`)).status).toBe(404)
    const refs = (await call(fake, 'GET', `/repos/${REPO}/git/matching-refs/tags/v1.`)).json as {
      ref: string
    }[]
    expect(refs.map(r => r.ref)).toEqual(['refs/tags/v1.2.3', 'refs/tags/v1.3.0'])
    expect((await call(fake, 'GET', `/repos/${REPO}/git/matching-refs/tags/zzz`)).json).toEqual([])
    expect((await call(fake, 'GET', `/repos/${REPO}/git/ref/tags/v1.2.3`)).json).toMatchObject({
      ref: 'refs/tags/v1.2.3',
      object: { type: 'commit' }
    })
    expect((await call(fake, 'GET', `/repos/${REPO}/git/ref/tags/v9`)).status).toBe(404)
    s.deleteTag(REPO, 'v1.2.3')
    expect((await call(fake, 'GET', `/repos/${REPO}/git/ref/tags/v1.2.3`)).status).toBe(404)
  })
})

describe('rate limits and accounting', () => {
  it('sends rate-limit headers counting per token, then refuses when exhausted', async () => {
    const fake = await start({ rateLimit: { limit: 3, resetEpochSeconds: 4102444800 } })
    fake.store.addRepo(REPO)
    const path = `/repos/${REPO}/actions/caches`
    const remaining: (string | null)[] = []
    for (let i = 0; i < 3; i++) {
      const r = await call(fake, 'GET', path)
      expect(r.status).toBe(200)
      expect(r.headers.get('x-ratelimit-limit')).toBe('3')
      expect(r.headers.get('x-ratelimit-resource')).toBe('core')
      expect(r.headers.get('x-ratelimit-reset')).toBe('4102444800')
      expect(r.headers.get('x-github-request-id')).toBeTruthy()
      remaining.push(r.headers.get('x-ratelimit-remaining'))
    }
    expect(remaining).toEqual(['2', '1', '0'])
    const refused = await call(fake, 'GET', path)
    expect(refused.status).toBe(403)
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(refused.headers.get('x-ratelimit-used')).toBe('3')
    expect(refused.json).toMatchObject({
      message: 'API rate limit exceeded for installation ID 1.',
      documentation_url: expect.stringContaining('rate-limits')
    })
    const other = await call(fake, 'GET', path, { token: 'ghs_read' })
    expect([other.status, other.headers.get('x-ratelimit-remaining')]).toEqual([200, '2'])
    fake.setOptions({ rateLimit: { limit: 10, remaining: 0, status: 429 } })
    expect((await call(fake, 'GET', path)).status).toBe(429)
    expect(fake.rateLimitOf('ghs_write')).toMatchObject({ limit: 10, remaining: 0 })
  })

  it('counts mutations, points and concurrency, and resets counters', async () => {
    const fake = await start({ faults: { hangRate: 1, maxFaults: 3, onlyPaths: /\/hang$/ } })
    const c = fake.store.addCache(REPO)
    await call(fake, 'GET', `/repos/${REPO}/actions/caches`)
    await call(fake, 'DELETE', `/repos/${REPO}/actions/caches/${c.id}`)
    await call(fake, 'PUT', `/repos/${REPO}/actions/cache/storage-limit`, {
      body: { max_cache_size_gb: 'x' }
    })
    expect(fake.mutations()).toBe(2)
    expect(fake.pointsInWindow()).toBe(11)
    expect(fake.maxPointsInWindow()).toBe(11)
    const hung = [1, 2, 3].map(() =>
      call(fake, 'GET', '/hang', { timeoutMs: 300 }).catch((e: Error) => e.name)
    )
    expect(await Promise.all(hung)).toEqual(['TimeoutError', 'TimeoutError', 'TimeoutError'])
    expect(fake.maxConcurrent).toBe(3)
    fake.resetCounters()
    expect([
      fake.requests.length,
      fake.mutations(),
      fake.pointsInWindow(),
      fake.deletions.length
    ]).toEqual([0, 0, 0, 0])
    expect(fake.faults.log).toEqual([])
  })
})

describe('faults', () => {
  // 'x' is a request that got no answer: a dropped connection, or a hung one
  // given up after timeoutMs. The timeout only has to outlast a real answer of
  // the local fake, on a busy machine too; it is short only where hangs are
  // injected, since each of those waits for it.
  const statuses = async (
    fake: FakeGitHub,
    n: number,
    path = `/repos/${REPO}/actions/caches`,
    timeoutMs = 5000
  ): Promise<(number | string)[]> => {
    const out: (number | string)[] = []
    for (let i = 0; i < n; i++) {
      try {
        const r = await call(fake, 'GET', path, { timeoutMs })
        out.push(r.headers.get('content-type')?.includes('html') ? `${r.status}h` : r.status)
      } catch {
        out.push('x')
      }
    }
    return out
  }

  it('injects server errors (JSON and HTML) deterministically for a seed', async () => {
    const fake = await start({ faults: { seed: 7, serverErrorRate: 0.4 } })
    fake.store.addRepo(REPO)
    const first = await statuses(fake, 30)
    fake.setOptions({ faults: { seed: 7, serverErrorRate: 0.4 } })
    const second = await statuses(fake, 30)
    fake.setOptions({ faults: { seed: 8, serverErrorRate: 0.4 } })
    const other = await statuses(fake, 30)
    expect(second).toEqual(first)
    expect(other).not.toEqual(first)
    const failures = first.filter(s => s !== 200)
    expect(failures.length).toBeGreaterThan(3)
    expect(failures.length).toBeLessThan(27)
    expect(first.some(s => typeof s === 'string' && s.endsWith('h'))).toBe(true)
    expect(first.some(s => s === 500 || s === 502 || s === 503)).toBe(true)
    expect(fake.faults.count('server-error')).toBe(
      first.concat(second, other).filter(s => s !== 200).length
    )
    expect(fake.requests.filter(r => r.fault === 'server-error').length).toBe(
      fake.faults.count('server-error')
    )
  })

  it('serves GitHub HTML error pages', async () => {
    const fake = await start({ faults: { htmlErrorRate: 1, maxFaults: 2 } })
    fake.store.addRepo(REPO)
    const r = await call(fake, 'GET', `/repos/${REPO}/actions/caches`)
    expect([502, 503]).toContain(r.status)
    expect(r.headers.get('content-type')).toContain('text/html')
    expect(r.text).toContain('<html>')
    expect(await statuses(fake, 2)).toEqual([expect.stringMatching(/^50[23]h$/), 200])
    expect(fake.faults.log.map(f => f.kind)).toEqual(['html-error', 'html-error'])
  })

  it('drops connections and hangs requests', async () => {
    const fake = await start({ faults: { seed: 3, dropRate: 0.3, hangRate: 0.3 } })
    fake.store.addRepo(REPO)
    const HANG_TIMEOUT_MS = 500
    const a = await statuses(fake, 20, undefined, HANG_TIMEOUT_MS)
    expect(a.filter(s => s === 'x').length).toBe(
      fake.faults.count('drop') + fake.faults.count('hang')
    )
    expect(fake.faults.count('drop')).toBeGreaterThan(0)
    expect(fake.faults.count('hang')).toBeGreaterThan(0)
    expect(fake.requests.filter(r => r.fault === 'hang').every(r => r.status === 0)).toBe(true)
    const kinds = fake.faults.log.map(f => f.kind)
    fake.faults.clearLog()
    fake.setOptions({ faults: { seed: 3, dropRate: 0.3, hangRate: 0.3 } })
    await statuses(fake, 20, undefined, HANG_TIMEOUT_MS)
    expect(fake.faults.log.map(f => f.kind)).toEqual(kinds)
  })

  it('answers secondary rate limits on schedule with retry-after', async () => {
    const fake = await start({
      faults: {
        secondaryRateLimit: { afterRequests: 2, every: 3, status: 429, retryAfterSeconds: 7 }
      }
    })
    fake.store.addRepo(REPO)
    const path = `/repos/${REPO}/actions/caches`
    const seen: number[] = []
    let retryAfter: string | null = null
    let message = ''
    for (let i = 0; i < 9; i++) {
      const r = await call(fake, 'GET', path)
      seen.push(r.status)
      if (r.status === 429) {
        retryAfter = r.headers.get('retry-after')
        message = (r.json as { message: string }).message
      }
    }
    expect(seen).toEqual([200, 200, 429, 200, 200, 429, 200, 200, 429])
    expect(retryAfter).toBe('7')
    expect(message).toBe(
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
    )
    fake.setOptions({ faults: { secondaryRateLimit: { retryAfterSeconds: null } } })
    const once = await call(fake, 'GET', path)
    expect([once.status, once.headers.get('retry-after')]).toEqual([403, null])
    expect((await call(fake, 'GET', path)).status).toBe(200)
    expect(fake.faults.count('secondary-rate-limit')).toBe(4)
  })

  it('limits by points per minute', async () => {
    const fake = await start({ faults: { secondaryRateLimit: { pointsPerMinute: 12 } } })
    const ids = [1, 2, 3].map(() => fake.store.addCache(REPO).id)
    const got: number[] = []
    got.push((await call(fake, 'GET', `/repos/${REPO}/actions/caches`)).status)
    for (const id of ids)
      got.push((await call(fake, 'DELETE', `/repos/${REPO}/actions/caches/${id}`)).status)
    expect(got).toEqual([200, 204, 204, 403])
    expect(fake.store.cacheCount(REPO)).toBe(1)
  })

  it('performs a delete then answers 502, so a retry sees 404', async () => {
    const fake = await start({ faults: { deleteSucceedsThenFails: 1 } })
    const c = fake.store.addCache(REPO, { key: 'k' })
    const r = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches/${c.id}`)
    expect(r.status).toBe(502)
    expect(fake.store.cacheCount(REPO)).toBe(0)
    expect(fake.deletions.map(d => d.id)).toEqual([c.id])
    const retry = await call(fake, 'DELETE', `/repos/${REPO}/actions/caches/${c.id}`)
    expect(retry.status).toBe(404)
    expect(fake.faults.log).toEqual([
      {
        kind: 'delete-then-fail',
        method: 'DELETE',
        path: `/repos/${REPO}/actions/caches/${c.id}`,
        status: 502
      }
    ])
  })

  it('lets someone else delete caches after N list requests, deterministically', async () => {
    const run = async (): Promise<number[]> => {
      const fake = await start({
        faults: { seed: 11, concurrentDeleter: { afterListRequests: 2, count: 5 } }
      })
      seeded(fake.store, 60)
      const first = list(await call(fake, 'GET', `/repos/${REPO}/actions/caches?per_page=100`))
      expect(first.total_count).toBe(60)
      const second = list(await call(fake, 'GET', `/repos/${REPO}/actions/caches?per_page=100`))
      expect(second.total_count).toBe(60)
      const third = list(await call(fake, 'GET', `/repos/${REPO}/actions/caches?per_page=100`))
      expect(third.total_count).toBe(55)
      expect(fake.deletions).toEqual([])
      expect(fake.externalDeletions).toHaveLength(5)
      const gone = fake.externalDeletions[0].id
      expect((await call(fake, 'DELETE', `/repos/${REPO}/actions/caches/${gone}`)).status).toBe(404)
      expect(fake.faults.log[0]).toMatchObject({
        kind: 'concurrent-deleter',
        ids: fake.externalDeletions.map(d => d.id)
      })
      return fake.externalDeletions.map(d => d.id)
    }
    expect(await run()).toEqual(await run())
  })

  it('restricts faults to onlyPaths and stops after maxFaults', async () => {
    const fake = await start({
      faults: { serverErrorRate: 1, onlyPaths: /\/usage$/, maxFaults: 2 }
    })
    fake.store.addRepo(REPO)
    expect(await statuses(fake, 2)).toEqual([200, 200])
    const usage = await statuses(fake, 3, `/repos/${REPO}/actions/cache/usage`)
    expect(usage.slice(0, 2).every(s => s !== 200)).toBe(true)
    expect(usage[2]).toBe(200)
    expect(fake.faults.count()).toBe(2)
  })
})
