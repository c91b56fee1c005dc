// The organization-wide verdict: the notices an org prune ends with, read from
// its report alone (the end-to-end tests cover the runs that produce them).
import type { RepoUsage } from '../../src/engine/usage.js'
import type { Cache } from '../../src/engine/cache.js'
import type { Item } from '../../src/run/executor.js'
import { noRequests, StopError } from '../../src/github/ports.js'
import { orgVerdict } from '../../src/commands/prune/organization.js'
import type { OrgPruneReport } from '../../src/run/prune-organization.js'
import type { PruneReport } from '../../src/run/prune-repository.js'
import { cache } from '../support/memory-api.js'

const usage = (fullName: string): RepoUsage => ({ fullName, count: 2, sizeInBytes: 2000 })

function pruned(fullName: string, items: Item[], caches: Cache[]) {
  const report = {
    repository: fullName,
    listing: { caches },
    execution: { items, requests: items.length }
  } as unknown as PruneReport
  return { status: 'pruned' as const, usage: usage(fullName), report }
}

const item = (c: Cache, outcome: Item['outcome']): Item => ({
  decision: { cache: c, delete: true, reason: 'matched', rule: 'inputs', detail: '' },
  outcome
})

function report(repos: OrgPruneReport['repos'], stopped?: StopError): OrgPruneReport {
  return {
    owner: 'acme',
    lines: ['acme/*'],
    dryRun: false,
    withCaches: repos.length,
    repos,
    ...(stopped ? { stopped } : {}),
    stats: noRequests(),
    elapsedMs: 0
  }
}

describe('orgVerdict', () => {
  const [a, b, c, d] = ['a-1', 'a-2', 'b-1', 'b-2'].map(key => cache({ key }))
  const repos = [
    pruned(
      'acme/a',
      [
        item(a, { status: 'deleted' }),
        item(b, { status: 'pending', why: 'deadline', mayHaveApplied: true })
      ],
      [a, b]
    ),
    pruned(
      'acme/b',
      [
        item(c, { status: 'pending', why: 'deadline', mayHaveApplied: true }),
        item(d, { status: 'pending', why: 'deadline' })
      ],
      [c, d]
    )
  ]

  it('says how many pending deletes, across repositories, may have gone through', () => {
    const notices = orgVerdict(report(repos, new StopError('deadline', 'the deadline was reached')))
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ level: 'warning', stopped: true })
    expect(notices[0].message).toContain('3 selected caches are pending')
    expect(notices[0].message).toContain('(2 of them may be gone already')
  })

  it('says nothing of it when every pending delete was never sent', () => {
    const unsent = [pruned('acme/b', [item(d, { status: 'pending', why: 'budget' })], [d])]
    const notices = orgVerdict(report(unsent, new StopError('budget', 'the budget was spent')))
    expect(notices[0].message).toContain('1 selected caches are pending')
    expect(notices[0].message).not.toContain('may be gone')
  })
})
