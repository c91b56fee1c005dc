// End-to-end: the `rules` input through the bundled action against the fake
// GitHub API. A three-rule policy deletes exactly what its rules select and
// the summary names the rule behind each deletion; every kind of mistake in
// the document fails the step before a single request is made.
import { startFakeGitHub, type FakeGitHub } from '../../testing/fake/server.js'
import { runAction, type RunOptions } from '../../testing/action-runner.js'
import { addCaches, ids, type CacheSpec } from '../../testing/scenario.js'

const REPO = 'octo-org/app'
const FAST = { CACHE_STEWARD_TIME_SCALE: '0.001' }
const MB = 1_000_000

let fake: FakeGitHub
afterEach(async () => {
  await fake?.close()
})

async function start(): Promise<FakeGitHub> {
  fake = await startFakeGitHub()
  fake.store.addRepo(REPO)
  return fake
}

const run = (o: Partial<RunOptions>) =>
  runAction({ apiUrl: fake.url, repository: REPO, ...o, env: { ...FAST, ...o.env } })
const deletedIds = (): number[] => fake.deletions.map(d => d.id).sort((a, b) => a - b)
const one = (spec: CacheSpec) => addCaches(fake, REPO, [spec])[0]

const POLICY = `
rules:
  - name: closed pull requests
    refs: 'refs/pull/*'
    stale-refs: true
  - name: old feature caches
    refs: feature/*
    older-than: 3d
  - name: big ones
    keys: Linux-cargo-*
    larger-than: 30MB
    keep-latest: 1
protect:
  refs: [main]
max-deletions: 1000
`

describe('a three-rule policy', () => {
  it('deletes exactly what some rule selects and nothing protected, naming the rule', async () => {
    await start()
    fake.store.addPull(REPO, { number: 1, state: 'closed', merged: true })
    fake.store.addPull(REPO, { number: 2 })
    fake.store.addBranch(REPO, 'feature/x')
    fake.store.addTag(REPO, 'v1')
    const pr1 = 'refs/pull/1/merge'
    const pr2 = 'refs/pull/2/merge'
    // rule 1: the closed pull request's caches
    const closed = [
      one({ key: 'Linux-node-a1', ref: pr1, idleHours: 1, size: 10 * MB }),
      one({ key: 'Linux-node-a2', ref: pr1, idleHours: 2, size: 10 * MB })
    ]
    // the open pull request: rule 3 keeps the newest big cargo cache and takes the older one
    const openKept = [
      one({ key: 'Linux-node-b1', ref: pr2, idleHours: 1, size: 10 * MB }),
      one({ key: 'Linux-cargo-b2', ref: pr2, idleHours: 1, size: 60 * MB })
    ]
    const bigOld = one({ key: 'Linux-cargo-b1', ref: pr2, idleHours: 5, size: 50 * MB })
    // rule 2: old feature-branch caches only
    const oldFeature = one({ key: 'Windows-node-c1', ref: 'refs/heads/feature/x', idleHours: 100 })
    const newFeature = one({ key: 'Windows-node-c2', ref: 'refs/heads/feature/x', idleHours: 10 })
    // main is protected, though rule 3 would take its older cargo cache
    const main = [
      one({ key: 'Linux-cargo-m1', ref: 'refs/heads/main', idleHours: 200, size: 80 * MB }),
      one({ key: 'Linux-cargo-m2', ref: 'refs/heads/main', idleHours: 1, size: 80 * MB })
    ]
    // no rule matches a tag's small node cache
    const tag = one({ key: 'Linux-node-t1', ref: 'refs/tags/v1', idleHours: 300, size: MB })

    const result = await run({ inputs: { rules: POLICY } })
    expect(result.errors).toEqual([])
    expect(result.code).toBe(0)
    expect(deletedIds()).toEqual(ids([...closed, bigOld, oldFeature]))
    const left = fake.store.caches(REPO).map(c => c.id)
    expect(left.sort((a, b) => a - b)).toEqual(ids([...openKept, newFeature, ...main, tag]))

    const byId = new Map(
      (JSON.parse(result.outputs.deleted) as Array<{ id: number; reason: string }>).map(d => [
        d.id,
        d.reason
      ])
    )
    expect(byId.get(closed[0].id)).toBe('stale-ref')
    expect(byId.get(oldFeature.id)).toBe('older-than')
    expect(byId.get(bigOld.id)).toBe('larger-than')
    const rowOf = (key: string): string =>
      result.summary.split('\n').find(l => l.includes(key)) ?? ''
    expect(rowOf('Linux-node-a1')).toContain('rule 1 (closed pull requests)')
    expect(rowOf('Windows-node-c1')).toContain('rule 2 (old feature caches)')
    expect(rowOf('Linux-cargo-b1')).toContain('rule 3 (big ones)')
  })

  it("applies the event's pull request to rules without refs", async () => {
    await start()
    const pr = addCaches(fake, REPO, [
      { key: 'Linux-node-1', ref: 'refs/pull/7/merge', idleHours: 1 },
      { key: 'Linux-node-2', ref: 'refs/pull/7/merge', idleHours: 1 }
    ])
    addCaches(fake, REPO, [{ key: 'Linux-node-3', ref: 'refs/heads/main', idleHours: 400 }])
    const payload = {
      action: 'closed',
      number: 7,
      pull_request: { number: 7, head: { repo: { full_name: REPO } } },
      repository: { full_name: REPO }
    }
    const result = await run({
      eventName: 'pull_request_target',
      payload,
      inputs: { rules: '- name: this pull request\n- older-than: 1d' }
    })
    expect(result.code).toBe(0)
    expect(deletedIds()).toEqual(ids(pr))
  })
})

describe('a bad rules document fails before any request', () => {
  it.each([
    [
      'unknown field',
      { rules: '- keys: a\n  older_than: 7d' },
      /rule 1: unknown field 'older_than' \(did you mean 'older-than'\?\)/
    ],
    [
      'wrong type',
      { rules: '- keys: a\n  keep-latest: [1]' },
      /rule 1, field 'keep-latest': must be a whole number or text, not a list/
    ],
    [
      'bad duration',
      { rules: '- keys: a\n- older-than: 7' },
      /rule 2, field 'older-than': '7' has no unit; write it like '7d'/
    ],
    [
      'bad size',
      { rules: '- keys: a\n  larger-than: 12XB' },
      /rule 1, field 'larger-than': '12XB' has an unknown unit/
    ],
    [
      'bad glob',
      { rules: "- keys: 'Linux-[node'" },
      /rule 1, field 'keys': pattern 'Linux-\[node' has an unclosed '\['/
    ],
    ['empty rules', { rules: 'rules: []' }, /Input 'rules': has no rules/],
    [
      'rules + flat input',
      { rules: '- keys: a', 'older-than': '7d' },
      /Input 'rules': cannot be combined with the input 'older-than'/
    ],
    ['non-YAML', { rules: '- keys: [a, b' }, /Input 'rules': is not valid YAML/],
    ['plain text', { rules: 'please delete old ones' }, /must be a YAML list of rules/],
    [
      'a rule that narrows nothing',
      { rules: '- age-by: created' },
      /rule 1 narrows nothing.*keys: '\*'/
    ]
  ])('%s', async (_name, inputs, message) => {
    await start()
    addCaches(fake, REPO, [{ key: 'Linux-node-1', ref: 'refs/heads/main', idleHours: 400 }])
    const result = await run({ inputs })
    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(message)
    expect(fake.requests).toEqual([])
  })
})
