// The job summary stays under GitHub's 1 MiB a step, which drops a larger one
// whole: with the longest keys and refs, escaped at their widest, and with
// more caches, refs, failures and repositories than any run would list.
import type { Cache } from '../../src/engine/cache.js'
import type { Decision } from '../../src/engine/policy.js'
import { noRequests } from '../../src/github/ports.js'
import { renderOrgSummary } from '../../src/commands/prune/organization-report.js'
import { renderSummary } from '../../src/commands/prune/summary.js'
import { Room, SUMMARY_LIMIT } from '../../src/commands/room.js'
import type { Item } from '../../src/run/executor.js'
import type { OrgPruneReport } from '../../src/run/prune-organization.js'
import type { PruneReport } from '../../src/run/prune-repository.js'
import { cache } from '../support/memory-api.js'

const NOW = Date.parse('2026-11-22T12:00:00Z')
const size = (text: string) => Buffer.byteLength(text, 'utf8')

// 512 characters, each written at its widest: `&` and `<` become character
// references in HTML, a control character a visible escape, `|` a `\|`
const hostile = (i: number, length = 512) => `${i}:${'&<|\u0007`'.repeat(length)}`.slice(0, length)

function report(
  caches: readonly Cache[],
  outcome: (i: number) => Item['outcome'],
  dryRun = false,
  repository = 'acme/app'
): PruneReport {
  const decisions: Decision[] = caches.map(c => ({
    cache: c,
    delete: true,
    reason: 'matched',
    rule: 'inputs',
    detail: 'key matches `*`'
  }))
  const bytes = caches.reduce((total, c) => total + c.sizeInBytes, 0)
  return {
    repository,
    dryRun,
    scope: { description: 'a scheduled run', readOnlyToken: false },
    listing: {
      caches,
      scopes: [{}],
      wholeRepository: true,
      requests: 1,
      repairs: 0,
      consistent: true
    },
    plan: {
      decisions,
      deletions: decisions,
      totalCount: caches.length,
      totalBytes: bytes,
      plannedBytes: bytes
    },
    execution: { items: decisions.map((d, i) => ({ decision: d, outcome: outcome(i) })) },
    stats: noRequests(),
    now: NOW,
    elapsedMs: 1000
  } as unknown as PruneReport
}

// 100,000 caches over 20,000 refs, 5 caches to a ref
const many = (count: number, refs: number) =>
  Array.from({ length: count }, (_, i) =>
    cache({ id: i + 1, key: hostile(i), ref: `refs/pull/${hostile(i % refs, 255)}/merge` }, NOW)
  )

describe('the job summary of a repository', () => {
  const caches = many(100_000, 20_000)

  it('fits in 1 MiB for a dry run of 100,000 caches in 20,000 refs, and says what it left out', () => {
    const text = renderSummary(report(caches, () => ({ status: 'would-delete' }), true))
    expect(size(text)).toBeLessThan(SUMMARY_LIMIT)
    const sections = text.match(/^<details/gm) ?? []
    expect(sections.length).toBeGreaterThan(0)
    const rest =
      /^… and ([\d,]+) more caches \(.+\) in ([\d,]+) more refs, not listed here\.$/m.exec(text)
    expect(rest).not.toBeNull()
    // every ref is either a section or counted in the closing line
    expect(sections.length + Number(rest![2].replace(/,/g, ''))).toBe(20_000)
  })

  it('fits in 1 MiB when all 100,000 deletes fail with a long message', () => {
    const error = hostile(0, 4000)
    const text = renderSummary(report(caches, () => ({ status: 'failed', error, kind: 'server' })))
    expect(size(text)).toBeLessThan(SUMMARY_LIMIT)
    const more = /^\| … ([\d,]+) more \| \| \|$/m.exec(text)
    expect(more).not.toBeNull()
    const rows = text.split('\n').filter(line => /^\| `/.test(line))
    expect(rows.length + Number(more![1].replace(/,/g, ''))).toBe(100_000)
  })

  it('lists everything when it fits: a few caches, no line about the rest', () => {
    const few = many(6, 2)
    const text = renderSummary(report(few, () => ({ status: 'deleted' })))
    expect(text.match(/^<details open>/gm)).toHaveLength(2)
    expect(text).not.toMatch(/more ref|… \d+ more/)
  })

  it('lists nothing beyond its room, and names how much it left out', () => {
    const few = many(6, 2)
    const text = renderSummary(
      report(few, () => ({ status: 'deleted' })),
      new Room(0)
    )
    expect(text).not.toContain('<details')
    expect(text).toContain('… and 6 more caches (5.86 KiB) in 2 more refs, not listed here.')
  })
})

describe('the job summary of an organization', () => {
  it('fits in 1 MiB with 5,000 repositories of 100 caches each, and names what it left out', () => {
    const caches = many(100, 20)
    const repos = Array.from({ length: 5000 }, (_, i) => {
      const name = `acme/${hostile(i, 100)}`
      return {
        status: 'pruned' as const,
        usage: { fullName: name, count: 100, sizeInBytes: 100_000 },
        report: report(caches, () => ({ status: 'would-delete' }), true, name)
      }
    })
    const org: OrgPruneReport = {
      owner: 'acme',
      lines: ['acme/*'],
      dryRun: true,
      withCaches: repos.length,
      repos,
      stats: noRequests(),
      elapsedMs: 0
    }
    const text = renderOrgSummary(org)
    expect(size(text)).toBeLessThan(SUMMARY_LIMIT)
    const tableMore = /^\| … ([\d,]+) more \| \| \| \| \| \| \|$/m.exec(text)
    expect(tableMore).not.toBeNull()
    const sectionsMore = /^… and ([\d,]+) more repositories, not shown here\.$/m.exec(text)
    expect(sectionsMore).not.toBeNull()
    const sections = text.match(/^<details><summary><code>acme\//gm) ?? []
    expect(sections.length + Number(sectionsMore![1].replace(/,/g, ''))).toBe(5000)
  })

  it('keeps the listed parts of one summary within the room it was given', () => {
    const room = 100_000
    const text = renderSummary(
      report(many(2000, 400), () => ({ status: 'would-delete' }), true),
      new Room(room)
    )
    const listed = text.slice(text.indexOf('### Would delete'), text.indexOf('### Kept'))
    expect(size(listed)).toBeLessThanOrEqual(room)
    // the room is filled, not just respected: no more than one row's width is left
    expect(size(listed)).toBeGreaterThan(room - 3000)
  })
})
