// Usage as values: ranking, the top N and the rest, the share of the limit.
import {
  GB,
  rankRepositories,
  summarizeRepositories,
  type RepoUsage
} from '../../src/engine/usage.js'

const repo = (fullName: string, sizeInBytes: number, count = 1): RepoUsage => ({
  fullName,
  sizeInBytes,
  count
})

describe('rankRepositories', () => {
  it('orders by size, then count, then name', () => {
    const ranked = rankRepositories([
      repo('o/b', 10, 1),
      repo('o/a', 10, 1),
      repo('o/c', 10, 5),
      repo('o/d', 99, 1)
    ])
    expect(ranked.map(r => r.fullName)).toEqual(['o/d', 'o/c', 'o/a', 'o/b'])
  })
})

describe('summarizeRepositories', () => {
  const repos = [repo('o/a', 10), repo('o/b', 40, 2), repo('o/c', 30), repo('o/d', 20, 4)]

  it.each([
    [1, ['o/b'], { repositories: 3, sizeInBytes: 60, count: 6 }],
    [2, ['o/b', 'o/c'], { repositories: 2, sizeInBytes: 30, count: 5 }],
    [4, ['o/b', 'o/c', 'o/d', 'o/a'], { repositories: 0, sizeInBytes: 0, count: 0 }],
    [9, ['o/b', 'o/c', 'o/d', 'o/a'], { repositories: 0, sizeInBytes: 0, count: 0 }]
  ])('top %i', (top, names, rest) => {
    const s = summarizeRepositories(repos, top)
    expect(s.top.map(r => r.fullName)).toEqual(names)
    expect(s.rest).toEqual(rest)
    expect(s.all).toHaveLength(4)
  })

  it('gives shares of the total and of the limit, and drops repositories without caches', () => {
    const s = summarizeRepositories([repo('o/x', 3 * GB), repo('o/y', GB), repo('o/z', 0, 0)], 5, {
      gb: 2,
      bytes: 2 * GB,
      source: 'default'
    })
    expect(s.all.map(r => [r.fullName, r.shareOfTotal, r.shareOfLimit])).toEqual([
      ['o/x', 0.75, 1.5],
      ['o/y', 0.25, 0.5]
    ])
  })
})
