// Splitting an organization's repositories into shards for a job matrix: the
// examples, the invariants (every repository in exactly one shard, no more
// shards than asked or than repositories, none empty, the result independent
// of the input's order) and the imbalance bounds of "largest first, into the
// lightest shard", against a brute-force optimum on small inputs.
import fc from 'fast-check'
import { InputError } from '../../src/engine/errors.js'
import { Input, MAX_SHARDS, type InputName } from '../../src/engine/inputs.js'
import {
  balanceShards,
  JOB_OUTPUT_LIMIT_BYTES,
  readShards,
  shardsJson,
  utf16Bytes
} from '../../src/engine/shards.js'
import type { RepoUsage, Shard } from '../../src/engine/usage.js'

const repo = (name: string, sizeInBytes: number, count = 1): RepoUsage => ({
  fullName: `octo/${name}`,
  sizeInBytes,
  count
})
const names = (s: Shard): string[] => s.repositories.map(r => r.fullName)
const sizes = (shards: readonly Shard[]): number[] => shards.map(s => s.sizeInBytes)

describe('balanceShards', () => {
  it('puts the largest first, each into the lightest shard', () => {
    const shards = balanceShards(
      [repo('a', 7), repo('b', 5), repo('c', 4), repo('d', 3), repo('e', 3), repo('f', 2)],
      3
    )
    expect(shards.map(names)).toEqual([
      ['octo/a', 'octo/f'],
      ['octo/b', 'octo/e'],
      ['octo/c', 'octo/d']
    ])
    expect(sizes(shards)).toEqual([9, 8, 7])
    expect(shards.map(s => s.shard)).toEqual([1, 2, 3])
  })

  it('makes no more shards than repositories, and none for none', () => {
    expect(balanceShards([repo('a', 1), repo('b', 2)], 256).map(names)).toEqual([
      ['octo/b'],
      ['octo/a']
    ])
    expect(balanceShards([], 256)).toEqual([])
  })

  it('spreads repositories without bytes too, by how many each shard holds', () => {
    const shards = balanceShards([repo('a', 0), repo('b', 0), repo('c', 0), repo('d', 0)], 2)
    expect(shards.map(s => s.repositories.length)).toEqual([2, 2])
  })

  it('sums the caches of each shard', () => {
    const [one] = balanceShards([repo('a', 10, 3), repo('b', 5, 4)], 1)
    expect(one).toMatchObject({ sizeInBytes: 15, count: 7 })
  })

  it.each([0, -1, 1.5, Number.NaN])('refuses %p shards (a bug: the input is read first)', k => {
    expect(() => balanceShards([repo('a', 1)], k)).toThrow(RangeError)
  })
})

// Repositories with distinct names (case-insensitively, as usage-by-repository gives them).
const repos = (max: number, maxSize = 2 ** 40) =>
  fc
    .uniqueArray(
      fc.record({
        name: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,11}$/),
        sizeInBytes: fc.integer({ min: 0, max: maxSize }),
        count: fc.integer({ min: 1, max: 500 })
      }),
      { maxLength: max, selector: r => r.name }
    )
    .map(rs => rs.map(r => repo(r.name, r.sizeInBytes, r.count)))

describe('balanceShards, for any repositories', () => {
  it('places every repository in exactly one shard; no shard is empty; at most k shards', () => {
    fc.assert(
      fc.property(repos(300), fc.integer({ min: 1, max: MAX_SHARDS }), (rs, k) => {
        const shards = balanceShards(rs, k)
        expect(shards).toHaveLength(Math.min(k, rs.length))
        expect(shards.every(s => s.repositories.length > 0)).toBe(true)
        expect(shards.flatMap(names).sort()).toEqual(rs.map(r => r.fullName).sort())
        for (const s of shards) {
          expect(s.sizeInBytes).toBe(s.repositories.reduce((t, r) => t + r.sizeInBytes, 0))
          expect(s.count).toBe(s.repositories.reduce((t, r) => t + r.count, 0))
          // largest first within a shard, as a list is pruned in its order
          const within = s.repositories.map(r => r.sizeInBytes)
          expect(within).toEqual([...within].sort((a, b) => b - a))
        }
      }),
      { numRuns: 200 }
    )
  })

  it('does not depend on the order the repositories come in', () => {
    fc.assert(
      fc.property(
        repos(80).chain(rs =>
          fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length }))
        ),
        fc.integer({ min: 1, max: 40 }),
        ([rs, shuffled], k) => {
          expect(balanceShards(shuffled, k)).toEqual(balanceShards(rs, k))
        }
      ),
      { numRuns: 200 }
    )
  })

  it('keeps every shard within one largest repository of the lightest, and of the mean', () => {
    fc.assert(
      fc.property(repos(300), fc.integer({ min: 1, max: MAX_SHARDS }), (rs, k) => {
        const shards = balanceShards(rs, k)
        if (shards.length === 0) return
        const used = shards.length
        const largest = Math.max(...rs.map(r => r.sizeInBytes))
        const total = rs.reduce((t, r) => t + r.sizeInBytes, 0)
        const heaviest = Math.max(...sizes(shards))
        expect(heaviest - Math.min(...sizes(shards))).toBeLessThanOrEqual(largest)
        // heaviest <= total/k + (1 - 1/k) * largest, in whole numbers
        expect(used * heaviest).toBeLessThanOrEqual(total + (used - 1) * largest)
      }),
      { numRuns: 200 }
    )
  })

  it("is within Graham's 4/3 - 1/(3k) of the best split (brute force on small inputs)", () => {
    fc.assert(
      fc.property(repos(8, 1000), fc.integer({ min: 1, max: 3 }), (rs, k) => {
        const shards = balanceShards(rs, k)
        if (shards.length === 0) return
        const used = shards.length
        const best = bestHeaviest(
          rs.map(r => r.sizeInBytes),
          used
        )
        const heaviest = Math.max(...sizes(shards))
        expect(3 * used * heaviest).toBeLessThanOrEqual((4 * used - 1) * best)
      }),
      { numRuns: 300 }
    )
  })
})

/** The smallest possible heaviest shard over every assignment to k shards. */
function bestHeaviest(items: readonly number[], k: number): number {
  const loads = new Array<number>(k).fill(0)
  let best = Infinity
  const place = (i: number): void => {
    if (i === items.length) {
      best = Math.min(best, Math.max(...loads))
      return
    }
    for (let b = 0; b < k; b++) {
      loads[b] += items[i]
      if (loads[b] < best) place(i + 1)
      loads[b] -= items[i]
    }
  }
  place(0)
  return best
}

describe('readShards', () => {
  const get = (value: string) => (name: InputName) => (name === Input.Shards ? value : '')

  it.each([
    ['', 256],
    ['256', 256],
    ['1', 1],
    [' 40 ', 40]
  ])('%j is %d', (text, n) => {
    expect(readShards(get(text))).toBe(n)
  })

  it.each([
    ['0', 'at least 1'],
    ['257', 'at most 256 jobs'],
    ['ten', 'not a whole number'],
    ['-3', 'not a whole number']
  ])('%j is refused, naming the input', (text, message) => {
    expect(() => readShards(get(text))).toThrow(InputError)
    expect(() => readShards(get(text))).toThrow(message)
    expect(() => readShards(get(text))).toThrow("Input 'shards'")
  })
})

describe('shardsJson', () => {
  it('gives each shard its number, its repositories one a line, and its bytes', () => {
    const json = shardsJson(balanceShards([repo('a', 5), repo('b', 3), repo('c', 1)], 2))
    expect(json).toBe(
      '[{"shard":1,"repositories":"octo/a","bytes":5},{"shard":2,"repositories":"octo/b\\nocto/c","bytes":4}]'
    )
    expect(utf16Bytes(json)).toBe(2 * json.length)
  })

  it('stays under 70% of the limit for 5,000 repositories with full names of 60 characters', () => {
    const rs = Array.from({ length: 5000 }, (_, i) =>
      repo(`${'platform-service-'.padEnd(50, 'x')}-${String(i).padStart(4, '0')}`, 2 ** 30 + i)
    )
    expect(rs[0].fullName).toHaveLength(60)
    const bytes = utf16Bytes(shardsJson(balanceShards(rs, 256)))
    // 5,000 x (60 + 2 for "\n") + 256 shards x about 48 characters of JSON, twice as UTF-16
    expect(bytes).toBeLessThan(0.7 * JOB_OUTPUT_LIMIT_BYTES)
  })
})
