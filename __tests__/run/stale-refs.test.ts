// The stale-refs look-ups over an in-memory RefLookup that counts its requests.
import { ApiError, StopError, type NamePage, type RefLookup } from '../../src/github/ports.js'
import { explainLookupFailure } from '../../src/commands/messages.js'
import {
  DefaultBranchUnseenError,
  resolveStaleRefs,
  StaleRefsError
} from '../../src/run/stale-refs.js'
import type { Ui } from '../../src/run/ui.js'

const repo = { owner: 'o', repo: 'r' }

function quietUi(): Ui & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    group: (_name, fn) => fn(),
    info: m => lines.push(m),
    warning: m => lines.push(`warning: ${m}`),
    debug: () => undefined,
    progress: () => undefined
  }
}

class MemoryRefs implements RefLookup {
  calls: string[] = []
  fail?: (call: string) => Error | undefined
  /** omit rel="last" from pages */
  noLast = false

  constructor(
    readonly open: number[],
    readonly branchNames: string[],
    readonly tagNames: string[]
  ) {}

  /** the default branch the repository reports */
  main = 'main'

  /** runs after a call is answered: a list changing while it is read */
  afterCall?: (call: string) => void

  private record(call: string): void {
    this.calls.push(call)
    const e = this.fail?.(call)
    if (e) throw e
  }

  private answered<T>(call: string, answer: T): T {
    this.afterCall?.(call)
    return answer
  }

  private page<T>(items: readonly T[], page: number): NamePage<T> {
    const last = Math.max(1, Math.ceil(items.length / 100))
    return {
      items: items.slice((page - 1) * 100, page * 100),
      hasNext: page < last,
      ...(this.noLast || page >= last ? {} : { lastPage: last })
    }
  }

  /** default-branch look-ups, counted apart from the ref look-ups in `calls` */
  repoCalls = 0
  async defaultBranch(): Promise<string> {
    this.repoCalls++
    return this.main
  }
  async openPulls(_r: unknown, page: number): Promise<NamePage<number>> {
    this.record(`pulls ${page}`)
    return this.answered(`pulls ${page}`, this.page(this.open, page))
  }
  async pullIsOpen(_r: unknown, n: number): Promise<boolean> {
    this.record(`pull ${n}`)
    return this.open.includes(n)
  }
  async branches(_r: unknown, page: number): Promise<NamePage<string>> {
    this.record(`branches ${page}`)
    return this.answered(`branches ${page}`, this.page(this.branchNames, page))
  }
  async branchExists(_r: unknown, b: string): Promise<boolean> {
    this.record(`branch ${b}`)
    return this.branchNames.includes(b)
  }
  async tags(_r: unknown, page: number): Promise<NamePage<string>> {
    this.record(`tags ${page}`)
    return this.answered(`tags ${page}`, this.page(this.tagNames, page))
  }
  async tagExists(_r: unknown, t: string): Promise<boolean> {
    this.record(`tag ${t}`)
    return this.tagNames.includes(t)
  }
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i)

describe('resolveStaleRefs', () => {
  it('asks per ref for a handful of refs', async () => {
    const lookup = new MemoryRefs(range(1, 500), ['main'], ['v1'])
    const ui = quietUi()
    const refs = ['refs/pull/3/merge', 'refs/pull/900/merge', 'refs/heads/main', 'refs/tags/v0']
    const result = await resolveStaleRefs(lookup, repo, refs, ui)
    expect([...result.dead].sort()).toEqual(['refs/pull/900/merge', 'refs/tags/v0'])
    expect(lookup.calls.sort()).toEqual(['branch main', 'pull 3', 'pull 900', 'tag v0'])
    expect(ui.lines.join('\n')).toMatch(/pull requests: 2 to look up .*asking for each/)
  })

  it('pages every list when many refs are asked, and needs ceil(n/100) requests each', async () => {
    const open = range(1000, 250)
    const branches = ['main', ...range(1, 150).map(i => `b${i}`)]
    const lookup = new MemoryRefs(open, branches, ['v1', 'v2'])
    const refs = [
      ...range(1000, 250).map(n => `refs/pull/${n}/merge`),
      ...range(1, 50).map(n => `refs/pull/${n}/merge`), // closed
      ...range(1, 200).map(i => `refs/heads/b${i}`), // b151..b200 deleted
      'refs/tags/v1',
      'refs/tags/v2',
      'refs/tags/v3'
    ]
    const result = await resolveStaleRefs(lookup, repo, refs, quietUi())
    const expected = [
      ...range(1, 50).map(n => `refs/pull/${n}/merge`),
      ...range(151, 50).map(i => `refs/heads/b${i}`),
      'refs/tags/v3'
    ].sort()
    expect([...result.dead].sort()).toEqual(expected)
    // 50 pull requests and 50 branches were not listed, more than the pages
    // read: each list is read a second time to confirm them; one page is a snapshot
    expect(lookup.calls).toEqual([
      'pulls 1',
      'pulls 2',
      'pulls 3',
      'pulls 1',
      'pulls 2',
      'pulls 3',
      'branches 1',
      'branches 2',
      'branches 1',
      'branches 2',
      'tags 1'
    ])
    expect(result.kinds.map(k => [k.label, k.pages, k.asked])).toEqual([
      ['pull requests', 6, 0],
      ['branches', 4, 0],
      ['tags', 1, 0]
    ])
  })

  // b001..b150 in name order; after page 1 is read, b050 is deleted, so b101
  // moves to page 1 and the second page starts at b102: b101 is never listed
  const shifting = (): MemoryRefs => {
    const names = range(1, 150).map(i => `b${String(i).padStart(3, '0')}`)
    const lookup = new MemoryRefs([], names, [])
    lookup.afterCall = call => {
      if (call === 'branches 1' && names.includes('b050')) names.splice(names.indexOf('b050'), 1)
    }
    return lookup
  }

  it('asks for a name a shifting list skipped, and does not judge it gone', async () => {
    const lookup = shifting()
    const refs = ['refs/heads/b101', 'refs/heads/b120', 'refs/heads/b200', 'refs/heads/b201']
    const result = await resolveStaleRefs(lookup, repo, refs, quietUi())
    expect([...result.dead].sort()).toEqual(['refs/heads/b200', 'refs/heads/b201'])
    // three not listed after two pages: more than the pages, so the list is read again
    expect(lookup.calls).toEqual(['branches 1', 'branches 2', 'branches 1', 'branches 2'])
  })

  it('confirms one by one when no more names are unlisted than pages were read', async () => {
    const lookup = shifting()
    const refs = ['refs/heads/b101', 'refs/heads/b120', 'refs/heads/b130', 'refs/heads/b200']
    const result = await resolveStaleRefs(lookup, repo, refs, quietUi())
    expect([...result.dead]).toEqual(['refs/heads/b200'])
    expect(lookup.calls).toEqual(['branches 1', 'branches 2', 'branch b101', 'branch b200'])
    expect(result.kinds[1]).toMatchObject({ label: 'branches', pages: 2, asked: 2 })
  })

  it('switches from paging to asking when fewer refs are left unknown than pages', async () => {
    // 1,000 open pull requests (10 pages); the three asked about are all on page 1 but one
    const lookup = new MemoryRefs(range(1, 1000), ['main'], [])
    const refs = [
      'refs/pull/5/merge',
      'refs/pull/6/merge',
      'refs/pull/7/merge',
      'refs/pull/5000/merge'
    ]
    const ui = quietUi()
    const result = await resolveStaleRefs(lookup, repo, refs, ui)
    expect([...result.dead]).toEqual(['refs/pull/5000/merge'])
    expect(lookup.calls).toEqual(['pulls 1', 'pull 5000'])
    expect(ui.lines.join('\n')).toMatch(/1 still unknown, fewer than the 9 pages left/)
  })

  it('pages to the end when the server does not say how many pages there are', async () => {
    const lookup = new MemoryRefs(range(1, 250), [], [])
    lookup.noLast = true
    const refs = range(1, 10).map(n => `refs/pull/${n * 100}/merge`)
    const result = await resolveStaleRefs(lookup, repo, refs, quietUi())
    expect([...result.dead].sort()).toEqual(
      range(3, 8)
        .map(n => `refs/pull/${n * 100}/merge`)
        .sort()
    )
    // after page 1, 9 are unknown: more than the per-ref threshold, so it pages
    // on; 8 are not listed, more than the 3 pages, so it reads the list again
    expect(lookup.calls).toEqual(['pulls 1', 'pulls 2', 'pulls 3', 'pulls 1', 'pulls 2', 'pulls 3'])
  })

  it('makes no request when no ref can be stale', async () => {
    const lookup = new MemoryRefs([], [], [])
    const result = await resolveStaleRefs(lookup, repo, ['refs/remotes/x'], quietUi())
    expect(result.dead.size).toBe(0)
    expect(lookup.calls).toEqual([])
  })

  it('aborts on any failed look-up: no partial result', async () => {
    const lookup = new MemoryRefs(range(1, 300), ['main'], [])
    lookup.fail = call =>
      call === 'pulls 1'
        ? new ApiError('server', 502, 'Bad Gateway', 'list open pull requests (page 1)')
        : undefined
    const refs = range(1, 10)
      .map(n => `refs/pull/${n}/merge`)
      .concat('refs/pull/999/merge')
    const error = await resolveStaleRefs(lookup, repo, refs, quietUi()).catch(e => e)
    expect(error).toBeInstanceOf(StaleRefsError)
    expect(explainLookupFailure(error)).toMatch(/nothing was deleted.*502.*Bad Gateway/s)
  })

  it('names the permissions on a 403', async () => {
    const lookup = new MemoryRefs([], ['main'], [])
    lookup.fail = call =>
      call.startsWith('branch')
        ? new ApiError('forbidden', 403, 'Resource not accessible by integration', 'read ref')
        : undefined
    const error = await resolveStaleRefs(lookup, repo, ['refs/heads/x'], quietUi()).catch(e => e)
    expect(error).toBeInstanceOf(StaleRefsError)
    expect(explainLookupFailure(error)).toContain('contents: read')
    expect(explainLookupFailure(error)).toContain('pull-requests: read')
  })

  it('lets a spent budget stop the run as it does elsewhere', async () => {
    const lookup = new MemoryRefs([], [], [])
    lookup.fail = () => new StopError('budget', 'only the reserve is left')
    const error = await resolveStaleRefs(lookup, repo, ['refs/tags/v1'], quietUi()).catch(e => e)
    expect(error).toBeInstanceOf(StopError)
  })

  it('never judges the default branch stale: answers that say so stop the run', async () => {
    // a token that cannot see branches gets 404 for every one, main included
    const lookup = new MemoryRefs([], [], [])
    const error = await resolveStaleRefs(
      lookup,
      repo,
      ['refs/heads/main', 'refs/heads/x'],
      quietUi()
    ).catch(e => e)
    expect(error).toBeInstanceOf(StaleRefsError)
    expect((error as StaleRefsError).cause).toBeInstanceOf(DefaultBranchUnseenError)
    expect(explainLookupFailure(error)).toMatch(
      /default branch 'main' does not exist[\s\S]*contents: read/
    )
  })

  it('asks for the default branch only when branches are judged', async () => {
    const lookup = new MemoryRefs([], ['main'], ['v1'])
    await resolveStaleRefs(lookup, repo, ['refs/tags/v2', 'refs/pull/3/merge'], quietUi())
    expect(lookup.repoCalls).toBe(0)
    await resolveStaleRefs(lookup, repo, ['refs/heads/gone'], quietUi())
    expect(lookup.repoCalls).toBe(1)
  })
})
