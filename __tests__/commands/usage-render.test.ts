// The usage report's renderers: bars, percentages, job summary, outputs, text.
import {
  GB,
  summarizeRepositories,
  type RepoUsage,
  type UsageReport
} from '../../src/engine/usage.js'
import {
  bar,
  percent,
  renderUsageSummary,
  renderUsageText,
  usageOutputs
} from '../../src/commands/usage/render.js'

const MiB = 2 ** 20
const repo = (fullName: string, sizeInBytes: number, count = 1): RepoUsage => ({
  fullName,
  sizeInBytes,
  count
})

describe('bar and percent', () => {
  it.each([
    [0, 10, '░░░░░░░░░░'],
    [1, 10, '██████████'],
    [2, 10, '██████████'],
    [-1, 10, '░░░░░░░░░░'],
    [0.5, 10, '█████░░░░░'],
    [0.05, 10, '▌░░░░░░░░░'],
    [Number.NaN, 4, '░░░░']
  ])('bar(%p, %i)', (f, width, expected) => {
    expect(bar(f, width)).toBe(expected)
    expect([...bar(f, width)]).toHaveLength(width)
  })

  it.each([
    [0, '0.0%'],
    [0.0004, '<0.1%'],
    [0.054, '5.4%'],
    [0.5, '50%'],
    [1.234, '123%']
  ])('percent(%p)', (f, expected) => {
    expect(percent(f)).toBe(expected)
  })
})

describe('renderers', () => {
  const org: UsageReport = {
    target: { kind: 'org', org: 'o' },
    totalBytes: 100 * MiB,
    totalCount: 12,
    limit: { gb: 10, bytes: 10 * GB, source: 'default' },
    repositories: summarizeRepositories(
      [repo('o/a', 60 * MiB, 5), repo('o/b', 30 * MiB, 4), repo('o/c', 10 * MiB, 3)],
      2,
      { gb: 10, bytes: 10 * GB, source: 'default' }
    )
  }

  it('summary: ranked rows with bars relative to the largest, the rest, and the default limit named', () => {
    const md = renderUsageSummary(org)
    expect(md).toContain('## Cache usage of organization o')
    expect(md).toContain(
      'Total: 12 caches, 100 MiB (104,857,600 bytes), in 3 repositories with caches.'
    )
    expect(md).toContain('| 1 | `o/a` | 5 | 60 MiB | 60% | 0.6% | ████████████████████ |')
    expect(md).toContain('| 2 | `o/b` | 4 | 30 MiB | 30% | 0.3% | ██████████░░░░░░░░░░ |')
    expect(md).toContain('| | 1 other repository | 3 | 10 MiB | 10% | | |')
    expect(md).toContain("10 GB per repository (GitHub's default")
  })

  it('summary: a repository over its limit says so', () => {
    const md = renderUsageSummary({
      target: { kind: 'repo', owner: 'o', repo: 'r' },
      totalBytes: 12 * GB,
      totalCount: 3,
      limit: { gb: 10, bytes: 10 * GB, source: 'storage-limit' }
    })
    expect(md).toContain('| `o/r` | 3 | 12 GiB | 120% | ████████████████████ over |')
  })

  it('outputs: totals, usage JSON and every repository name for a matrix', () => {
    const out = usageOutputs(org)
    expect(out['total-bytes']).toBe(String(100 * MiB))
    expect(out['total-count']).toBe('12')
    expect(JSON.parse(out.repositories)).toEqual(['o/a', 'o/b', 'o/c'])
    expect(JSON.parse(out.usage)).toEqual({
      scope: 'organization',
      name: 'o',
      total_bytes: 100 * MiB,
      total_count: 12,
      size_limit_gb: 10,
      size_limit_source: 'default',
      repositories: [
        { full_name: 'o/a', size_in_bytes: 60 * MiB, count: 5 },
        { full_name: 'o/b', size_in_bytes: 30 * MiB, count: 4 }
      ],
      rest: { repositories: 1, size_in_bytes: 10 * MiB, count: 3 }
    })
  })

  it('text: an aligned table for a terminal', () => {
    expect(renderUsageText(org)).toEqual([
      'Cache usage of organization o',
      'total: 12 caches, 100 MiB',
      "limit: 10 GB per repository (GitHub's default: the token could not read the configured limit)",
      '',
      'repository  caches    size  share',
      '----------  ------  ------  -----',
      'o/a              5  60 MiB    60%',
      'o/b              4  30 MiB    30%',
      '(1 more)         3  10 MiB    10%'
    ])
  })
})
