// The policies go through the real engine: readSettings for the inputs,
// scopeFromEvent for the payloads, decide() for the plan; the runner only
// counts requests. And the bookkeeping around them: payloads, request costs,
// caches needed again, stored GB-hours.
import { readFileSync } from 'node:fs'
import type { Cache } from '../../src/engine/cache.js'
import { scopeFromEvent } from '../../src/engine/event.js'
import { lookupRequests, listPages } from '../../simulator/api-cost.js'
import { Recorder } from '../../simulator/metrics.js'
import { NeededAgain } from '../../simulator/needed.js'
import { pullRequestClosed, refDeleted, scheduled } from '../../simulator/payloads.js'
import { policiesFor, type Occasion, type SimPolicy } from '../../simulator/policies.js'
import { parseWorkload } from '../../simulator/workload.js'
import { World } from '../../simulator/world.js'

const NOW = Date.UTC(2025, 1, 3, 12)
const H = 3_600_000
const D = 24 * H
const GiB = 2 ** 30
const MAIN = 'refs/heads/main'

const workload = parseWorkload(
  {
    name: 'p',
    description: 'd',
    set: 'tuning',
    repository: { sizeLimitGb: 1 },
    workflows: [{ name: 'ci', on: ['push'], families: ['npm'] }],
    families: [{ name: 'npm', keyPrefix: 'npm-', sizeMb: 100, rebuildMinutes: 4 }]
  },
  'p.json'
)

let nextId = 1
const cache = (ref: string, key: string, ageMs: number, size = 100 * 2 ** 20): Cache => ({
  id: nextId++,
  ref,
  key,
  version: 'v',
  sizeInBytes: size,
  createdAt: NOW - ageMs,
  lastAccessedAt: NOW - ageMs
})

const policy = (id: string): SimPolicy => {
  const p = policiesFor(workload).find(x => x.id === id)
  if (!p) throw new Error(`no policy ${id}`)
  return p
}

const nightly: Occasion = {
  moment: 'nightly',
  now: NOW,
  eventName: 'schedule',
  payload: scheduled('17 3 * * *')
}

function worldWith(closedPulls: number[], deleted: string[] = [], openPulls: number[] = []): World {
  const w = new World('main')
  for (const n of [...closedPulls, ...openPulls])
    w.apply({ kind: 'pr-opened', at: 0, number: n, base: 'main', head: `f${n}` })
  for (const n of closedPulls)
    w.apply({ kind: 'pr-closed', at: 0, number: n, base: 'main', head: `f${n}`, merged: true })
  for (const ref of deleted) {
    w.apply({ kind: 'ref-created', at: 0, ref })
    w.apply({ kind: 'ref-deleted', at: 0, ref })
  }
  return w
}

describe('payloads', () => {
  it('are read by the real event handling as a workflow’s would be', () => {
    expect(
      scopeFromEvent('pull_request', pullRequestClosed(12, 'main', 'feature/x', true, 'main'))
    ).toMatchObject({
      refs: ['refs/pull/12/merge'],
      pullRequest: 12,
      readOnlyToken: false
    })
    expect(scopeFromEvent('delete', refDeleted('refs/heads/feature/x', 'main')).refs).toEqual([
      'refs/heads/feature/x'
    ])
    expect(scopeFromEvent('delete', refDeleted('refs/tags/v1.0.0', 'main')).refs).toEqual([
      'refs/tags/v1.0.0'
    ])
    expect(scopeFromEvent('schedule', scheduled('17 3 * * *')).refs).toBeUndefined()
  })

  it('use only fields that GitHub’s own example payloads have, with the same types', () => {
    const examples = JSON.parse(
      readFileSync(
        new URL(
          '../../node_modules/@octokit/webhooks-examples/api.github.com/index.json',
          import.meta.url
        ),
        'utf8'
      )
    ) as { name: string; examples: Record<string, unknown>[] }[]
    const example = (event: string, action?: string): Record<string, unknown> => {
      const found = examples
        .find(e => e.name === event)
        ?.examples.find(e => action === undefined || e.action === action)
      if (!found) throw new Error(`no example for ${event}`)
      return found
    }
    const sameShape = (ours: unknown, theirs: unknown, path: string): void => {
      if (ours === null || typeof ours !== 'object') {
        expect([path, typeof ours]).toEqual([path, typeof theirs])
        return
      }
      expect([path, typeof theirs]).toEqual([path, 'object'])
      for (const [k, v] of Object.entries(ours)) {
        expect([path, k, k in (theirs as object)]).toEqual([path, k, true])
        sameShape(v, (theirs as Record<string, unknown>)[k], `${path}.${k}`)
      }
    }
    sameShape(
      pullRequestClosed(1, 'main', 'x', true, 'main'),
      example('pull_request', 'closed'),
      'pull_request'
    )
    sameShape(refDeleted('refs/heads/x', 'main'), example('delete'), 'delete')
  })
})

describe('request costs', () => {
  it('lists in pages of 100, at least one', () => {
    expect([0, 1, 100, 101, 250].map(listPages)).toEqual([1, 1, 1, 2, 3])
  })

  it('asks for a handful of names one by one, and pages for more', () => {
    const w = worldWith([1, 2], [], [3])
    expect(lookupRequests([MAIN, 'refs/pull/1/merge'], new Set(['refs/pull/1/merge']), w)).toBe(2)
    // three pull requests: paging the open ones (one page)
    expect(
      lookupRequests(
        ['refs/pull/1/merge', 'refs/pull/2/merge', 'refs/pull/3/merge', MAIN],
        new Set(),
        w
      )
    ).toBe(2)
  })

  it('confirms the names a multi-page list did not show', () => {
    const open = Array.from({ length: 250 }, (_, i) => i + 10)
    const w = worldWith([1, 2, 3], [], open)
    const refs = [1, 2, 3, 10, 11].map(n => `refs/pull/${n}/merge`)
    const dead = new Set(refs.slice(0, 3))
    // 3 pages, then the 3 not seen one by one
    expect(lookupRequests(refs, dead, w)).toBe(6)
    const many = [...Array.from({ length: 5 }, (_, i) => i + 1000), 10].map(
      n => `refs/pull/${n}/merge`
    )
    // 5 unseen, more than the 3 pages: the list is read again
    expect(lookupRequests(many, new Set(many.slice(0, 5)), w)).toBe(6)
  })
})

describe('the policies', () => {
  const closedPr = pullRequestClosed(5, 'main', 'feature/five', true, 'main')

  it('are the ones the issue compares, GitHub alone first', () => {
    expect(policiesFor(workload).map(p => p.id)).toEqual([
      'github-only',
      'pr-close',
      'age-7d',
      'age-3d',
      'lru-budget',
      'recommended',
      'recommended-nightly'
    ])
  })

  it('pr-close deletes the closed pull request’s caches, listing only its ref', () => {
    const caches = [
      cache('refs/pull/5/merge', 'npm-a', H),
      cache('refs/pull/6/merge', 'npm-a', H),
      cache(MAIN, 'npm-a', H)
    ]
    const out = policy('pr-close').run({
      occasion: {
        moment: 'pull-request-closed',
        now: NOW,
        eventName: 'pull_request',
        payload: closedPr
      },
      caches,
      world: worldWith([5]),
      workload
    })
    expect(out.deletions.map(d => d.cache.ref)).toEqual(['refs/pull/5/merge'])
    expect(out.requests).toBe(2)
  })

  it('age prunes delete by last access, listing everything', () => {
    const caches = [
      cache(MAIN, 'npm-a', 8 * D),
      cache(MAIN, 'npm-b', 4 * D),
      cache(MAIN, 'npm-c', D)
    ]
    const run = (id: string): string[] =>
      policy(id)
        .run({ occasion: nightly, caches, world: worldWith([]), workload })
        .deletions.map(d => d.cache.key)
    expect(run('age-7d')).toEqual(['npm-a'])
    expect(run('age-3d').sort()).toEqual(['npm-a', 'npm-b'])
  })

  it('the LRU budget keeps 80% of the limit, least recently used first', () => {
    const caches = Array.from({ length: 10 }, (_, i) =>
      cache(MAIN, `npm-${i}`, (10 - i) * H, Math.round(0.1 * GiB))
    )
    const out = policy('lru-budget').run({
      occasion: nightly,
      caches,
      world: worldWith([]),
      workload
    })
    expect(out.deletions.map(d => d.cache.key)).toEqual(['npm-0', 'npm-1'])
    expect(out.requests).toBe(1 + 2)
  })

  it('recommended gets the default branch from the payload, the size limit, and the dead refs', () => {
    const caches = [
      cache(MAIN, 'npm-a', 9 * D), // the newest on main: kept, however old
      cache('refs/pull/5/merge', 'npm-a', H), // closed: dead
      cache('refs/heads/gone', 'npm-a', H), // deleted: dead
      cache('refs/pull/7/merge', 'npm-a', H) // open
    ]
    const world = worldWith([5], ['refs/heads/gone'], [7])
    const onClose = policy('recommended').run({
      occasion: {
        moment: 'pull-request-closed',
        now: NOW,
        eventName: 'pull_request',
        payload: closedPr
      },
      caches,
      world,
      workload
    })
    expect(onClose.deletions.map(d => d.cache.ref).sort()).toEqual([
      'refs/heads/gone',
      'refs/pull/5/merge'
    ])
    // 1 list page + look-ups (2 pull requests and 2 branches, main included: asked one by one)
    // + 1 for the size limit + 2 deletes
    expect(onClose.requests).toBe(1 + 4 + 1 + 2)
    // a schedule's payload has no repository: one more request for the default branch
    const onSchedule = policy('recommended').run({ occasion: nightly, caches, world, workload })
    expect(onSchedule.requests).toBe(onClose.requests + 1)
  })
})

describe('needed again', () => {
  const t = NOW
  const scope = ['refs/pull/1/merge', MAIN]

  it('counts a removed cache that a later restore would have used, once', () => {
    const needed = new NeededAgain(7 * D)
    const removed = cache(MAIN, 'npm-a', D)
    needed.add([removed], 'evicted', t)
    const live = (): Cache[] => []
    expect(needed.check(scope, 'npm-a', ['npm-'], 'v', t + H, live, undefined)).toEqual({
      cause: 'evicted',
      sizeInBytes: removed.sizeInBytes,
      removedAt: t
    })
    expect(needed.check(scope, 'npm-a', ['npm-'], 'v', t + 2 * H, live, undefined)).toBeUndefined()
  })

  it('does not count it when the restore did as well without it, or after the retention period', () => {
    const needed = new NeededAgain(7 * D)
    needed.add([cache(MAIN, 'npm-a', D)], 'policy', t)
    const other = cache(MAIN, 'npm-b', 0)
    const found = { candidate: other, match: 'partial' as const, ref: MAIN }
    // a partial hit either way: not needed
    expect(needed.check(scope, 'npm-z', ['npm-'], 'v', t + H, () => [other], found)).toBeUndefined()
    // an exact hit: never
    expect(
      needed.check(scope, 'npm-a', [], 'v', t + H, () => [], { ...found, match: 'exact' })
    ).toBeUndefined()
    // too late
    expect(needed.check(scope, 'npm-a', [], 'v', t + 8 * D, () => [], undefined)).toBeUndefined()
  })
})

describe('the recorder', () => {
  it('integrates the stored bytes over the measured hours, from the warm-up’s end', () => {
    const from = NOW
    const r = new Recorder('x', from)
    r.storage(from - H, 2 * GiB) // before the window: counts from `from`
    r.storage(from + H, 4 * GiB) // 2 GiB for an hour
    r.storage(from + 3 * H, 1 * GiB) // 4 GiB for two hours
    const m = r.finish(from + 4 * H) // 1 GiB for an hour
    expect(m.storedGbHours).toBeCloseTo(2 + 8 + 1, 9)
    expect(m.peakGb).toBe(4)
  })

  it('ignores what happens during the warm-up', () => {
    const r = new Recorder('x', NOW)
    r.restore(NOW - 1, true, 'miss', 5)
    r.restore(NOW, true, 'partial', 2)
    r.removed(NOW - 1, 'policy', 3, 300)
    r.policyRun(NOW - 1, 10)
    const m = r.finish(NOW + H)
    expect(m).toMatchObject({
      restores: 1,
      partial: 1,
      rebuildMinutes: 2,
      policyDeletions: 0,
      apiRequests: 0
    })
    expect(m.defaultPartialRate).toBe(1)
  })
})
