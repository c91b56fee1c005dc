// Stale refs, the pure decisions: what a ref is, what to ask, how to ask,
// which refs are dead.
import {
  chooseStrategy,
  classifyRef,
  deadRefs,
  lookupNeeds,
  parseMergeQueueRef,
  PER_REF_AT_MOST,
  type RefFacts
} from '../../src/engine/stale-refs.js'

const SHA = 'a'.repeat(40)

describe('parseMergeQueueRef', () => {
  it.each([
    [`refs/heads/gh-readonly-queue/main/pr-12-${SHA}`, { base: 'main', pull: 12 }],
    [`refs/heads/gh-readonly-queue/release/1.x/pr-7-${SHA}`, { base: 'release/1.x', pull: 7 }]
  ])('%s is a merge-queue ref', (ref, expected) => {
    const q = parseMergeQueueRef(ref)
    expect(q).toEqual({
      ...expected,
      sha: SHA,
      branch: ref.slice('refs/heads/'.length)
    })
  })

  it.each([
    'refs/heads/main',
    'refs/heads/gh-readonly-queue/main/pr-12-abc',
    `refs/heads/gh-readonly-queue/pr-12-${SHA}`,
    `refs/heads/gh-readonly-queue/main/pr-0-${SHA}`,
    `refs/heads/gh-readonly-queue/main/pr-x-${SHA}`,
    `refs/tags/gh-readonly-queue/main/pr-1-${SHA}`
  ])('%s is not', ref => {
    expect(parseMergeQueueRef(ref)).toBeUndefined()
  })
})

describe('classifyRef', () => {
  it.each([
    ['refs/pull/42/merge', { kind: 'pull', number: 42 }],
    ['refs/pull/42/head', { kind: 'pull', number: 42 }],
    ['refs/heads/feature/x', { kind: 'branch', name: 'feature/x' }],
    [
      'refs/heads/gh-readonly-queue/main/pr-1-short',
      { kind: 'branch', name: 'gh-readonly-queue/main/pr-1-short' }
    ],
    ['refs/tags/v1.2.3', { kind: 'tag', name: 'v1.2.3' }],
    ['refs/pull/0/merge', { kind: 'other' }],
    ['refs/pull/12/merge/extra', { kind: 'other' }],
    ['refs/heads/', { kind: 'other' }],
    ['refs/remotes/origin/main', { kind: 'other' }],
    ['main', { kind: 'other' }]
  ])('%s', (ref, expected) => {
    expect(classifyRef(ref)).toEqual(expected)
  })

  it('classifies a merge-queue ref as one', () => {
    expect(classifyRef(`refs/heads/gh-readonly-queue/main/pr-5-${SHA}`).kind).toBe('queue')
  })
})

describe('lookupNeeds', () => {
  it('asks each distinct name once, and a merge-queue ref needs its branch and its pull request', () => {
    const needs = lookupNeeds([
      'refs/pull/9/merge',
      'refs/pull/9/merge',
      'refs/pull/3/merge',
      'refs/heads/b',
      'refs/heads/a',
      `refs/heads/gh-readonly-queue/main/pr-4-${SHA}`,
      'refs/tags/v2',
      'refs/tags/v1',
      'refs/tags/v1',
      'refs/notes/x'
    ])
    expect(needs).toEqual({
      pulls: [3, 4, 9],
      branches: ['a', 'b', `gh-readonly-queue/main/pr-4-${SHA}`],
      tags: ['v1', 'v2']
    })
  })
})

describe('deadRefs', () => {
  const queue = (n: number): string => `refs/heads/gh-readonly-queue/main/pr-${n}-${SHA}`
  const refs = [
    'refs/pull/1/merge',
    'refs/pull/2/merge',
    'refs/heads/main',
    'refs/heads/gone',
    'refs/tags/v1',
    'refs/tags/v0',
    queue(1), // pull open, branch exists: alive
    queue(2), // pull closed: dead
    queue(3), // pull open, queue branch gone: dead
    'refs/remotes/x'
  ]
  const expected = ['refs/pull/2/merge', 'refs/heads/gone', 'refs/tags/v0', queue(2), queue(3)]

  it('from complete lists', () => {
    const facts: RefFacts = {
      pulls: { complete: new Set([1, 3]) },
      branches: { complete: new Set(['main', queue(1).slice(11), queue(2).slice(11)]) },
      tags: { complete: new Set(['v1']) }
    }
    expect([...deadRefs(refs, facts)].sort()).toEqual([...expected].sort())
  })

  it('from answers per name, with the same result', () => {
    const facts: RefFacts = {
      pulls: {
        answers: new Map([
          [1, true],
          [2, false],
          [3, true]
        ])
      },
      branches: {
        answers: new Map([
          ['main', true],
          ['gone', false],
          [queue(1).slice(11), true],
          [queue(2).slice(11), true],
          [queue(3).slice(11), false]
        ])
      },
      tags: {
        answers: new Map([
          ['v1', true],
          ['v0', false]
        ])
      }
    }
    expect([...deadRefs(refs, facts)].sort()).toEqual([...expected].sort())
  })

  it('never takes a name nobody asked about for dead', () => {
    const facts: RefFacts = {
      pulls: { answers: new Map() },
      branches: { answers: new Map() },
      tags: { answers: new Map() }
    }
    expect(() => deadRefs(['refs/pull/5/merge'], facts)).toThrow(/not looked up/)
    expect(deadRefs(['refs/remotes/x', 'weird'], facts).size).toBe(0)
  })
})

describe('chooseStrategy', () => {
  it.each([
    [0, undefined, 'per-ref'],
    [1, undefined, 'per-ref'],
    [PER_REF_AT_MOST, undefined, 'per-ref'],
    [PER_REF_AT_MOST + 1, undefined, 'page'],
    [500, undefined, 'page'],
    [3, 10, 'per-ref'],
    [10, 10, 'page'],
    [11, 10, 'page'],
    [0, 4, 'per-ref'],
    [1, 0, 'page']
  ] as const)('%i unknown, %s pages left: %s', (unresolved, pagesLeft, strategy) => {
    const choice = chooseStrategy(unresolved, pagesLeft)
    expect(choice.strategy).toBe(strategy)
    expect(choice.why).toContain(String(unresolved))
  })

  it('honours a different threshold', () => {
    expect(chooseStrategy(5, undefined, 5).strategy).toBe('per-ref')
    expect(chooseStrategy(6, undefined, 5).strategy).toBe('page')
  })
})
