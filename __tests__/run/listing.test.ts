import type { Cache } from '../../src/engine/cache.js'
import { compilePatterns, type Matcher } from '../../src/engine/patterns.js'
import type { Policy, Rule } from '../../src/engine/policy.js'
import { explainApiError } from '../../src/commands/messages.js'
import {
  ApiError,
  StopError,
  type CacheApi,
  type CachePage,
  type ListQuery
} from '../../src/github/ports.js'
import {
  FAN_OUT,
  listCaches,
  listingScopes,
  MAX_PAGES,
  PagesDoNotEndError,
  sparePages,
  WHOLE_REPOSITORY,
  type ListOptions,
  type ListScope
} from '../../src/run/listing.js'
import { cache, MemoryCacheApi } from '../support/memory-api.js'

const repo = { owner: 'o', repo: 'r' }
const many = (n: number, ref = 'refs/heads/main', from = 0) =>
  Array.from({ length: n }, (_, i) =>
    cache({ key: `k-${from + i}`, ref, createdAt: 1_000_000 + from + i })
  )
const ids = (caches: readonly Cache[]): number[] => caches.map(c => c.id).sort((a, b) => a - b)

/** What one page after another gives: the reading this module replaced, as the reference. */
async function readOneByOne(api: CacheApi): Promise<number[]> {
  const found = new Set<number>()
  for (let page = 1; ; page++) {
    const r = await api.listCaches(repo, {
      page,
      perPage: 100,
      sort: 'created_at',
      direction: 'asc'
    })
    for (const c of r.caches) found.add(c.id)
    if (!r.hasNext || r.caches.length === 0) return [...found].sort((a, b) => a - b)
  }
}

describe('listCaches', () => {
  it('follows pagination to the end, past 100 and 1,000 caches', async () => {
    const api = new MemoryCacheApi(many(1234))
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.caches).toHaveLength(1234)
    expect(listing.requests).toBe(13)
    expect(listing.repairs).toBe(0)
    expect(listing.consistent).toBe(true)
    expect(listing.wholeRepository).toBe(true)
    expect(listing.scopes).toBe(WHOLE_REPOSITORY)
  })

  it('asks for each page once, oldest caches first, 100 a page', async () => {
    const api = new MemoryCacheApi(many(250))
    const queries: ListQuery[] = []
    api.beforeList = q => queries.push(q)
    await listCaches(api, repo, WHOLE_REPOSITORY)
    // strictly: no filter named at all, not even as undefined
    expect(queries).toStrictEqual(
      [1, 2, 3].map(page => ({ page, perPage: 100, sort: 'created_at', direction: 'asc' }))
    )
  })

  it('reads the counted pages side by side and lists what one page after another lists', async () => {
    const caches = many(3300)
    const api = new MemoryCacheApi(caches)
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(ids(listing.caches)).toEqual(await readOneByOne(new MemoryCacheApi(caches)))
    expect(ids(listing.caches)).toEqual(ids(caches))
    // sorted by id, whatever order the pages came in
    expect(listing.caches.map(c => c.id)).toEqual(ids(caches))
    expect(listing.requests).toBe(33)
    // the first page alone, then the other 32 at most FAN_OUT at a time
    expect(api.maxInFlight).toBe(FAN_OUT)
    expect(api.calls).toHaveLength(33)
  })

  it('asks for only the pages there are when they are fewer than the fan-out', async () => {
    const api = new MemoryCacheApi(many(450))
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(api.maxInFlight).toBe(4)
    expect(listing.requests).toBe(5)
    expect(api.calls).toEqual([1, 2, 3, 4, 5].map(p => `list *  ${p}`))
  })

  it('takes pages in page order when later ones are answered first', async () => {
    const caches = many(1000)
    const api = new MemoryCacheApi(caches)
    api.listTicks = q => 40 - q.page
    const pages: number[] = []
    const listed: number[] = []
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY, {
      onPage: (_scope, page, n, total) => {
        pages.push(page)
        listed.push(n)
        expect(total).toBe(1000)
      }
    })
    expect(pages).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    // each page asked for once: none taken again one by one
    expect(listing.requests).toBe(10)
    expect(api.calls).toHaveLength(10)
    expect(listed).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
    expect(listing.caches.map(c => c.id)).toEqual(ids(caches))
    expect(listing.consistent).toBe(true)
  })

  it('keeps the newest copy of a cache listed twice', async () => {
    const caches = many(150)
    const api = new MemoryCacheApi(caches)
    let lists = 0
    // the first pass's page 2 misses one cache (the total says so); before
    // the second pass, the first cache is used again
    api.beforeList = () => {
      lists++
      if (lists === 2) api.caches = api.caches.filter(c => c.id !== caches[149].id)
      if (lists === 3) {
        api.caches = [...caches]
        api.caches[0] = { ...caches[0], lastAccessedAt: caches[0].lastAccessedAt + 1 }
      }
    }
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.repairs).toBe(1)
    expect(listing.caches[0].lastAccessedAt).toBe(caches[0].lastAccessedAt + 1)
  })

  it('uses the exact ref filter and the key prefix of each scope', async () => {
    const api = new MemoryCacheApi([...many(5, 'refs/pull/7/merge'), ...many(5, 'refs/heads/main')])
    const scopes: ListScope[] = [{ ref: 'refs/pull/7/merge', keyPrefix: 'k-' }]
    const listing = await listCaches(api, repo, scopes)
    expect(listing.caches.map(c => c.ref)).toEqual(Array(5).fill('refs/pull/7/merge'))
    expect(api.calls).toEqual(['list refs/pull/7/merge k- 1'])
    expect(listing.wholeRepository).toBe(false)
  })

  it('lists each scope and keeps every cache once', async () => {
    const pr = many(120, 'refs/pull/7/merge')
    const main = many(30, 'refs/heads/main', 500)
    const api = new MemoryCacheApi([...pr, ...main])
    const scopes: ListScope[] = [{ ref: 'refs/heads/main' }, { ref: 'refs/pull/7/merge' }]
    const seenScopes: ListScope[] = []
    const listing = await listCaches(api, repo, scopes, {
      onPage: scope => seenScopes.push(scope)
    })
    expect(listing.caches.map(c => c.id)).toEqual(ids([...pr, ...main]))
    expect(seenScopes).toEqual([scopes[0], scopes[1], scopes[1]])
    expect(listing.requests).toBe(3)
    expect(listing.wholeRepository).toBe(false)
  })

  it.each([
    ['a ref', [{ ref: 'refs/heads/main' }]],
    ['a key prefix', [{ keyPrefix: 'k-' }]],
    ['two scopes', [{}, {}]]
  ])('does not call a listing by %s the whole repository', async (_, scopes) => {
    const listing = await listCaches(new MemoryCacheApi(many(3)), repo, scopes)
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
    const listed: number[] = []
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY, {
      onPage: (_scope, _page, n) => listed.push(n)
    })
    const found = new Set(listing.caches.map(c => c.id))
    // Every cache still present was listed, none silently skipped.
    for (const c of api.caches) expect(found.has(c.id)).toBe(true)
    expect(listing.repairs).toBe(1)
    expect(listing.consistent).toBe(true)
    // the second pass's pages do not take the count back
    expect(listed).toEqual([...listed].sort((a, b) => a - b))
    expect(listed.at(-1)).toBe(350)
  })

  it('repairs a pass that saw a cache twice', async () => {
    const caches = many(250)
    const api = new MemoryCacheApi(caches)
    let lists = 0
    // after the first page, one cache is deleted and one older than all appears:
    // the total stays, page 2 starts with page 1's last cache
    api.beforeList = () => {
      if (++lists === 2) {
        api.caches = api.caches.filter(c => c.id !== caches[249].id)
        api.caches.push(cache({ key: 'older', createdAt: 1 }))
      }
    }
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.repairs).toBe(1)
    expect(listing.consistent).toBe(true)
    // the 249 left and the one added, each once
    expect(ids(listing.caches)).toEqual(ids(api.caches))
    expect(listing.caches).toHaveLength(250)
  })

  it('repairs a pass whose total_count changed, and gives up after four passes', async () => {
    const api = new MemoryCacheApi(many(250))
    const real = api.listCaches.bind(api)
    // a server whose count never holds still
    let lists = 0
    api.listCaches = async (r, q) => ({ ...(await real(r, q)), totalCount: 250 + (lists++ % 2) })
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.consistent).toBe(false)
    expect(listing.repairs).toBe(3)
    expect(listing.requests).toBe(12)
    expect(listing.caches).toHaveLength(250)
  })

  it('repairs a pass that found fewer caches than the total', async () => {
    const api = new MemoryCacheApi(many(10))
    const real = api.listCaches.bind(api)
    let lists = 0
    // the first answer counts one cache more than it shows
    api.listCaches = async (r, q) => {
      const page = await real(r, q)
      return ++lists === 1 ? { ...page, totalCount: 11 } : page
    }
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.repairs).toBe(1)
    expect(listing.consistent).toBe(true)
    expect(listing.requests).toBe(2)
  })

  it('repairs a pass whose pages overlap, even when the count of ids adds up', async () => {
    const caches = many(250)
    const api = new MemoryCacheApi(caches)
    // a server whose page 2 repeats page 1's last cache and whose page 3 holds 51
    api.listCaches = async (_r, q) => {
      const at = [0, 99, 199][q.page - 1]
      const slice = caches.slice(at, q.page === 3 ? 250 : at + 100)
      return { totalCount: 250, caches: slice, hasNext: q.page < 3 }
    }
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.caches).toHaveLength(250)
    expect(listing.consistent).toBe(false)
    expect(listing.repairs).toBe(3)
  })

  it('ends a pass at the first page that says it is the last, whatever later pages say', async () => {
    const api = new MemoryCacheApi(many(400))
    const real = api.listCaches.bind(api)
    // page 2 says it is the last, although the count and pages 3 and 4 say otherwise
    api.listCaches = async (r, q) => {
      const page = await real(r, q)
      return q.page === 2 ? { ...page, hasNext: false } : page
    }
    const pages: number[] = []
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY, {
      onPage: (_scope, page) => pages.push(page)
    })
    expect(listing.caches).toHaveLength(200)
    expect(pages).toEqual([1, 2, 1, 2, 1, 2, 1, 2])
    expect(listing.consistent).toBe(false)
  })

  it('does not lose caches when new ones appear during the listing', async () => {
    const api = new MemoryCacheApi(many(250))
    let lists = 0
    api.beforeList = () => {
      if (++lists === 2) api.caches.push(cache({ key: 'fresh', createdAt: 9_999_999 }))
    }
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.caches).toHaveLength(251)
    expect(new Set(listing.caches.map(c => c.id)).size).toBe(listing.caches.length)
  })

  it('reads the pages after the counted ones one by one when caches were added meanwhile', async () => {
    const api = new MemoryCacheApi(many(250))
    let lists = 0
    // while page 2 is asked for, 150 newer caches are saved: page 3 is no longer the last
    api.beforeList = () => {
      if (++lists === 2) api.caches.push(...many(150, 'refs/heads/main', 1000))
    }
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.caches).toHaveLength(400)
    // first pass: 1, then 2 and 3 side by side, then 4 alone; the changed count repeats the pass
    expect(api.calls.slice(0, 4)).toEqual([1, 2, 3, 4].map(p => `list *  ${p}`))
    expect(listing.repairs).toBe(1)
    expect(listing.consistent).toBe(true)
    expect(listing.requests).toBe(8)
  })

  it('passes on what the API throws, and asks for no page after it', async () => {
    const api = new MemoryCacheApi(many(5000))
    const real = api.listCaches.bind(api)
    const stop = new StopError('budget', 'the reserve is reached')
    api.listCaches = async (r, q) => {
      if (q.page === 3) throw stop
      return real(r, q)
    }
    await expect(listCaches(api, repo, WHOLE_REPOSITORY)).rejects.toBe(stop)
    const asked = api.calls.length
    expect(asked).toBeLessThanOrEqual(1 + FAN_OUT)
    // the pages already asked for were awaited: nothing is still running
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(api.calls).toHaveLength(asked)
    expect(api.inFlight).toBe(0)
  })
})

/**
 * A hostile server: every page is full and says another follows. `ids`
 * 'new' gives 100 caches never seen before, 'same' the same 100 every time;
 * `total` is the total_count each page claims. (With `hasNext`, an honest
 * server that makes up its caches.)
 */
class EndlessApi implements CacheApi {
  pages: number[] = []
  constructor(
    private readonly ids: 'new' | 'same',
    private readonly total: (page: number) => number,
    private readonly hasNext: (page: number) => boolean = () => true,
    /** caches a page (a page may hold fewer than asked for; thousands of pages cost less so) */
    private readonly size = 100
  ) {}

  async listCaches(_repo: unknown, q: ListQuery): Promise<CachePage> {
    this.pages.push(q.page)
    await Promise.resolve()
    const first = this.ids === 'new' ? (q.page - 1) * this.size + 1 : 1
    return {
      totalCount: this.total(q.page),
      caches: Array.from({ length: this.size }, (_, i) =>
        cache({ id: first + i, key: `endless-${first + i}` })
      ),
      hasNext: this.hasNext(q.page)
    }
  }

  deleteCacheById(): never {
    throw new Error('a listing never deletes')
  }

  deleteCachesByKey(): never {
    throw new Error('a listing never deletes')
  }
}

async function endless(api: CacheApi, onPage?: ListOptions['onPage']): Promise<PagesDoNotEndError> {
  const error = await listCaches(api, repo, WHOLE_REPOSITORY, onPage ? { onPage } : {}).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(PagesDoNotEndError)
  return error as PagesDoNotEndError
}

describe('pages that do not end', () => {
  it('a server that repeats the same full page is stopped at the first repeat', async () => {
    const api = new EndlessApi('same', () => 300)
    const pages: number[] = []
    const error = await endless(api, (_scope, page) => pages.push(page))
    expect(error.name).toBe('PagesDoNotEndError')
    // page 3 was answered too, but nothing after the failing page is taken
    expect(pages).toEqual([1, 2])
    expect(error.message).toMatch(
      /^The list of caches of o\/r does not end: page 2 brought no cache/
    )
    expect(error.message).toMatch(/nothing was deleted/)
    // shown as it is: the server answered 200 every time, so "GitHub answered" would mislead
    expect(error.worded).toBe(true)
    expect(explainApiError(error)).toBe(error.message)
    expect(new ApiError('server', 502, 'bad gateway', 'list caches').worded).toBe(false)
    // page 1, then the two counted pages side by side
    expect(api.pages).toEqual([1, 2, 3])
  })

  it('a repeating server that counts 100,000 caches costs one round of pages, not a thousand', async () => {
    const api = new EndlessApi('same', () => 100_000)
    await endless(api)
    expect(api.pages).toHaveLength(1 + FAN_OUT)
  })

  it('a server with new caches on every page is stopped two pages past its count', async () => {
    const api = new EndlessApi('new', () => 300)
    const error = await endless(api)
    expect(api.pages).toEqual([1, 2, 3, 4, 5])
    expect(error.message).toContain(
      'page 5 still said more follow, past the 3 pages that the 300 caches it counts fill and 2 spare pages'
    )
    expect(error).toMatchObject({
      kind: 'invalid-response',
      request: 'list caches of o/r',
      purpose: { operation: 'list-caches', scope: 'repository' }
    })
  })

  it('a big listing may run a tenth of its pages past its count', async () => {
    const api = new EndlessApi('new', () => 50_000, undefined, 1)
    const error = await endless(api)
    expect(api.pages).toHaveLength(550)
    expect(api.pages.at(-1)).toBe(550)
    expect(error.message).toContain('page 550 still said more follow, past the 500 pages')
  })

  it('a count that keeps growing with the pages is stopped at the hard cap', async () => {
    const api = new EndlessApi('new', page => (page + 1) * 100, undefined, 1)
    const error = await endless(api)
    expect(api.pages).toHaveLength(MAX_PAGES)
    expect(new Set(api.pages).size).toBe(MAX_PAGES)
    expect(error.message).toContain(
      'page 2,000 still said more follow; one listing reads at most 2,000 pages'
    )
  })

  it('a count beyond what one listing reads is refused after the first page', async () => {
    const api = new EndlessApi('new', () => MAX_PAGES * 100 + 1)
    const error = await endless(api)
    expect(api.pages).toEqual([1])
    expect(error.message).toContain(
      'it counts 200,001 caches, more than the 2,000 pages one listing reads'
    )
  })

  it('a count at the cap is read to the end', async () => {
    const api = new EndlessApi(
      'new',
      () => MAX_PAGES * 100,
      page => page < MAX_PAGES,
      1
    )
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    // one cache a page: each pass finds fewer than the count, so all four passes run
    expect(listing.requests).toBe(4 * MAX_PAGES)
    expect(listing.caches).toHaveLength(MAX_PAGES)
  })

  it('a count that lags its pages by the spare pages is no lie', async () => {
    for (const [shown, ends] of [
      [500, true],
      [501, false]
    ] as const) {
      const api = new MemoryCacheApi(many(shown))
      const real = api.listCaches.bind(api)
      api.listCaches = async (r, q) => ({ ...(await real(r, q)), totalCount: 300 })
      const listed = listCaches(api, repo, WHOLE_REPOSITORY)
      if (ends) {
        const listing = await listed
        expect(listing.caches).toHaveLength(shown)
        // the count never matches: every pass is inconsistent, the union is kept
        expect(listing.consistent).toBe(false)
      } else {
        await expect(listed).rejects.toBeInstanceOf(PagesDoNotEndError)
      }
    }
  })

  it('an empty page ends a pass even when it says more follow', async () => {
    const api = new MemoryCacheApi(many(100))
    const real = api.listCaches.bind(api)
    api.listCaches = async (r, q) => ({ ...(await real(r, q)), hasNext: true, totalCount: 100 })
    const listing = await listCaches(api, repo, WHOLE_REPOSITORY)
    expect(listing.caches).toHaveLength(100)
    expect(listing.consistent).toBe(true)
    expect(api.calls).toEqual(['list *  1', 'list *  2'])
  })

  it.each([
    [1, 2],
    [20, 2],
    [21, 3],
    [1000, 100]
  ])('%i counted pages may be followed by %i spare pages', (counted, spare) => {
    expect(sparePages(counted)).toBe(spare)
  })
})

const keys = (...lines: string[]): Matcher => compilePatterns(lines, 'key', 'keys') as Matcher
const refs = (...lines: string[]): Matcher => compilePatterns(lines, 'ref', 'refs') as Matcher
const rule = (parts: Partial<Rule> = {}): Rule => ({ name: 'r', ageBy: 'last-accessed', ...parts })
const policy = (rules: Rule[], extra: Partial<Policy> = {}): Policy => ({ rules, ...extra })

describe('listingScopes', () => {
  it.each<[string, Policy, readonly ListScope[]]>([
    ['a rule for every cache', policy([rule()]), [{}]],
    ['a key prefix', policy([rule({ keys: keys('npm-*') })]), [{ keyPrefix: 'npm-' }]],
    [
      'the prefix shared by every rule',
      policy([rule({ keys: keys('npm-linux-*') }), rule({ keys: keys('npm-macos-*') })]),
      [{ keyPrefix: 'npm-' }]
    ],
    [
      'no prefix when one rule has none',
      policy([rule({ keys: keys('npm-*') }), rule({ keys: keys('*-npm') })]),
      [{}]
    ],
    [
      'no prefix when a rule reads every key',
      policy([rule({ keys: keys('npm-*') }), rule({ olderThanMs: 1 })]),
      [{}]
    ],
    [
      'one literal ref',
      policy([rule({ refs: refs('refs/pull/7/merge') })]),
      [{ ref: 'refs/pull/7/merge' }]
    ],
    [
      'a literal ref and a key prefix',
      policy([rule({ refs: refs('refs/pull/7/merge'), keys: keys('k-*') })]),
      [{ ref: 'refs/pull/7/merge', keyPrefix: 'k-' }]
    ],
    [
      'several literal refs, sorted, each with the prefix of its own rules',
      policy([
        rule({ refs: refs('main', 'dev'), keys: keys('build-a*') }),
        rule({ refs: refs('main'), keys: keys('build-b*') }),
        rule({ refs: refs('dev'), keys: keys('test-*') })
      ]),
      [{ ref: 'refs/heads/dev' }, { ref: 'refs/heads/main', keyPrefix: 'build-' }]
    ],
    [
      'a ref pattern that is not a literal: the key prefix of all',
      policy([
        rule({ refs: refs('refs/pull/*'), keys: keys('k-1*') }),
        rule({ refs: refs('main'), keys: keys('k-2*') })
      ]),
      [{ keyPrefix: 'k-' }]
    ],
    [
      'a rule without refs beside one with a literal ref',
      policy([rule({ refs: refs('main') }), rule({ keys: keys('x') })]),
      [{}]
    ],
    [
      'ten literal refs: ten scopes',
      policy([rule({ refs: refs(...Array.from({ length: 10 }, (_, i) => `b${i}`)) })]),
      Array.from({ length: 10 }, (_, i) => ({ ref: `refs/heads/b${i}` }))
    ],
    [
      'eleven literal refs: too many requests, one scope',
      policy([
        rule({ refs: refs(...Array.from({ length: 11 }, (_, i) => `b${i}`)), keys: keys('k') })
      ]),
      [{ keyPrefix: 'k' }]
    ],
    [
      'a size budget, whatever the rules',
      policy([rule({ refs: refs('main'), keys: keys('k') })], { maxTotalSize: 1 }),
      [{}]
    ],
    [
      'stale refs in any rule',
      policy([
        rule({ refs: refs('main'), keys: keys('k') }),
        rule({ keys: keys('k'), staleRefs: true })
      ]),
      [{}]
    ],
    [
      'a rule whose ref lines exclude themselves: read as a rule for every ref',
      policy([rule({ refs: refs('main', '!main') }), rule({ refs: refs('dev') })]),
      [{}]
    ],
    ['no rule: nothing to list', policy([]), []]
  ])('%s', (_, p, expected) => {
    const scopes = listingScopes(p)
    expect(scopes).toEqual(expected)
    if (expected.length === 1 && Object.keys(expected[0]).length === 0) {
      expect(scopes).toBe(WHOLE_REPOSITORY)
    }
  })

  it.each([
    [['abc', 'abd', 'abcd'], 'ab'],
    [['abcd', 'ab'], 'ab'],
    [['ab', 'abcd'], 'ab'],
    [['abc', 'abc'], 'abc'],
    [['abc', 'x'], '']
  ])('the rules %j share the key prefix %j', (prefixes, shared) => {
    const scopes = listingScopes(policy(prefixes.map(k => rule({ keys: keys(k) }))))
    expect(scopes).toEqual([shared ? { keyPrefix: shared } : {}])
  })
})
