// Deterministic, realistic seeding. The same seed and `now` always give the
// same caches, pull requests, branches and tags. The mix mirrors what real
// repositories accumulate: valuable caches on the default branch, many dead
// ones of pull requests (some closed), feature branches (some deleted), a few
// tags and merge-queue refs; several versions of some keys; sizes skewed to
// tens or hundreds of megabytes; timestamps within the last ~10 days.

import type { ApiCache } from './wire.js'
import type { FakeStore } from './store.js'

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Rng = () => number

const randomInt = (rng: Rng, min: number, maxInclusive: number): number =>
  min + Math.floor(rng() * (maxInclusive - min + 1))

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]

/** `length` random hex digits (a flat string: cheap to keep by the hundred thousand). */
function randomHex(rng: Rng, length: number): string {
  const bytes = Buffer.allocUnsafe(Math.ceil(length / 2) + 4)
  for (let i = 0; i < bytes.length - 3; i += 4) {
    bytes.writeUInt32LE(Math.floor(rng() * 0x100000000), i)
  }
  return bytes.toString('hex', 0, Math.ceil(length / 2)).slice(0, length)
}

const KB = 1024
const MB = 1024 * KB
const GB = 1024 * MB
const DAY = 24 * 60 * 60 * 1000

/** Cache key families as produced by common setup actions and actions/cache recipes. */
const KEY_FAMILIES: readonly { weight: number; make: (rng: Rng) => string }[] = [
  { weight: 14, make: r => `Linux-node-${randomHex(r, 40)}` },
  { weight: 10, make: r => `node-cache-Linux-x64-npm-${randomHex(r, 64)}` },
  { weight: 4, make: r => `node-cache-macOS-arm64-pnpm-${randomHex(r, 64)}` },
  { weight: 6, make: r => `Windows-cargo-${randomHex(r, 40)}` },
  { weight: 6, make: r => `Linux-cargo-registry-${randomHex(r, 40)}` },
  { weight: 8, make: r => `setup-java-Linux-maven-${randomHex(r, 64)}` },
  { weight: 5, make: r => `setup-java-Linux-x64-gradle-${randomHex(r, 64)}` },
  { weight: 7, make: r => `Linux-gradle-${randomHex(r, 40)}` },
  { weight: 8, make: r => `pip-${randomHex(r, 40)}` },
  {
    weight: 5,
    make: r =>
      `setup-python-Linux-x64-24.04-Ubuntu-python-3.12.${randomInt(r, 1, 9)}-pip-${randomHex(r, 64)}`
  },
  {
    weight: 5,
    make: r => `setup-go-Linux-x64-ubuntu24-go-1.22.${randomInt(r, 0, 9)}-${randomHex(r, 64)}`
  },
  { weight: 4, make: r => `Linux-buildx-${randomHex(r, 40)}` },
  { weight: 3, make: r => `ccache-Linux-${randomInt(r, 1_700_000_000, 1_800_000_000)}` },
  { weight: 3, make: r => `macOS-pods-${randomHex(r, 40)}` }
]
const KEY_WEIGHT = KEY_FAMILIES.reduce((s, f) => s + f.weight, 0)

function randomKey(rng: Rng): string {
  let x = rng() * KEY_WEIGHT
  for (const f of KEY_FAMILIES) {
    x -= f.weight
    if (x < 0) return f.make(rng)
  }
  return KEY_FAMILIES[0].make(rng)
}

/** Sizes from a few KB to ~1.5 GB, most between 10 and 300 MB. */
function randomSize(rng: Rng): number {
  const u = rng()
  if (u < 0.1) return randomInt(rng, 2 * KB, 10 * MB)
  if (u < 0.85) return Math.round(10 * MB * Math.pow(30, rng())) // log-uniform 10..300 MB
  if (u < 0.96) return randomInt(rng, 300 * MB, 700 * MB)
  return randomInt(rng, 700 * MB, Math.round(1.5 * GB))
}

const FEATURE_WORDS = [
  'login',
  'cache',
  'billing',
  'search',
  'docs',
  'ci',
  'parser',
  'auth',
  'export',
  'ui',
  'api',
  'perf'
]

export interface SeedOptions {
  /** number of caches */
  count: number
  seed: number
  /** epoch ms that timestamps are relative to (default Date.now()) */
  now?: number
  /** id of the first cache (default 1) */
  firstId?: number
  /** default branch (default main) */
  defaultBranch?: string
}

interface GeneratedPull {
  number: number
  state: 'open' | 'closed'
  merged: boolean
  headRef: string
  createdAt: string
  closedAt?: string
}

export interface GeneratedRepo {
  caches: ApiCache[]
  pulls: GeneratedPull[]
  /** branches that still exist (the default branch included) */
  branches: string[]
  /** feature branches that caches refer to but that were deleted */
  deletedBranches: string[]
  tags: string[]
  deletedTags: string[]
}

const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * Generates a repository's caches and the refs around them. Pure and fast
 * (100k caches in well under a second); ids run from `firstId`.
 */
export function generateRepo(options: SeedOptions): GeneratedRepo {
  const rng = mulberry32(options.seed)
  const now = options.now ?? Date.now()
  const count = Math.max(0, Math.floor(options.count))
  const main = options.defaultBranch ?? 'main'
  let id = options.firstId ?? 1

  // Pull requests: about one per eight caches; ~45% closed (most merged).
  const pullCount = Math.max(3, Math.ceil(count / 8))
  let number = randomInt(rng, 10, 400)
  const pulls: GeneratedPull[] = []
  for (let i = 0; i < pullCount; i++) {
    number += randomInt(rng, 1, 3)
    const closed = rng() < 0.45
    const created = now - randomInt(rng, 1, 12) * DAY + randomInt(rng, 0, DAY)
    const dependabot = rng() < 0.15
    const headRef = dependabot
      ? `dependabot/npm_and_yarn/${pick(rng, ['lodash', 'eslint', 'jest', 'react'])}-${randomInt(rng, 1, 9)}.${randomInt(rng, 0, 20)}.${randomInt(rng, 0, 9)}`
      : `feature/${pick(rng, FEATURE_WORDS)}-${number}`
    const pull: GeneratedPull = {
      number,
      state: closed ? 'closed' : 'open',
      merged: closed && rng() < 0.8,
      headRef,
      createdAt: iso(Math.min(created, now))
    }
    if (closed) pull.closedAt = iso(Math.min(now, created + randomInt(rng, 1, 3 * DAY)))
    pulls.push(pull)
  }
  // Feature branches without pull requests; a third of them deleted since.
  const extraBranches = Array.from(
    { length: Math.max(2, Math.ceil(count / 40)) },
    (_, i) => `feature/${pick(rng, FEATURE_WORDS)}-spike-${i + 1}`
  )
  const deletedBranches = extraBranches.filter(() => rng() < 0.35)
  const branches = [
    main,
    ...pulls.filter(p => p.state === 'open').map(p => p.headRef),
    ...extraBranches.filter(b => !deletedBranches.includes(b))
  ]
  const tagCount = Math.max(2, Math.ceil(count / 60))
  const tags = Array.from(
    { length: tagCount },
    (_, i) => `v${1 + Math.floor(i / 10)}.${i % 10}.${randomInt(rng, 0, 5)}`
  )
  const uniqueTags = [...new Set(tags)]
  const deletedTags = uniqueTags.length > 2 ? [uniqueTags[0]] : []

  const randomRef = (): string => {
    const u = rng()
    if (u < 0.27) return `refs/heads/${main}`
    if (u < 0.77) return `refs/pull/${pick(rng, pulls).number}/merge`
    if (u < 0.88) return `refs/heads/${pick(rng, extraBranches)}`
    if (u < 0.93) return `refs/tags/${pick(rng, uniqueTags)}`
    const pr = pick(rng, pulls).number
    return `refs/heads/gh-readonly-queue/${main}/pr-${pr}-${randomHex(rng, 40)}`
  }

  const caches: ApiCache[] = []
  const window = 10 * DAY
  for (let i = 0; i < count; i++) {
    let key: string
    let ref: string
    const previous = caches.length > 0 ? caches[Math.floor(rng() * caches.length)] : undefined
    const u = rng()
    if (previous && u < 0.08) {
      // another version of the same key on the same ref (different paths/OS)
      key = previous.key
      ref = previous.ref
    } else if (previous && u < 0.16) {
      // the same key saved by another ref
      key = previous.key
      ref = randomRef()
    } else {
      key = randomKey(rng)
      ref = randomRef()
    }
    const version = randomHex(rng, 64)
    const isMain = ref === `refs/heads/${main}`
    const created = now - Math.floor(rng() * window)
    // caches on the default branch are restored often, others rarely
    const span = now - created
    const accessed = isMain
      ? now - Math.floor(rng() * Math.min(span, DAY))
      : created + Math.floor(Math.pow(rng(), 3) * span)
    caches.push({
      id: id++,
      ref,
      key,
      version,
      last_accessed_at: iso(Math.max(accessed, created)),
      created_at: iso(created),
      size_in_bytes: randomSize(rng)
    })
  }
  return { caches, pulls, branches, deletedBranches, tags: uniqueTags, deletedTags }
}

/**
 * Seeds one repository of the store: caches (ids assigned by the store, in
 * generation order), pull requests, existing branches and tags. Returns what
 * was generated, with the ids the store gave.
 */
export function seedRepo(
  store: FakeStore,
  fullName: string,
  options: Omit<SeedOptions, 'firstId'>
): GeneratedRepo {
  const repo = store.addRepo(fullName, { defaultBranch: options.defaultBranch })
  const generated = generateRepo({ ...options, firstId: store.peekNextCacheId() })
  generated.caches = generated.caches.map(c => store.addCache(fullName, c))
  for (const p of generated.pulls) {
    if (repo.pulls.has(p.number)) continue
    store.addPull(fullName, {
      number: p.number,
      state: p.state,
      merged: p.merged,
      headRef: p.headRef,
      createdAt: p.createdAt,
      closedAt: p.closedAt
    })
  }
  for (const b of generated.branches) store.addBranch(fullName, b)
  for (const t of generated.tags) if (!generated.deletedTags.includes(t)) store.addTag(fullName, t)
  return generated
}

const ORG_TEAMS = [
  'payments',
  'identity',
  'search-relevance',
  'platform',
  'mobile-apps',
  'data-engineering',
  'infrastructure',
  'billing',
  'growth-experiments',
  'security',
  'observability',
  'checkout'
]
const ORG_PARTS = [
  'service',
  'api-gateway',
  'event-worker',
  'deployment-pipeline',
  'web-frontend',
  'backend',
  'client-sdk',
  'terraform-modules',
  'helm-charts',
  'integration-tests',
  'configuration',
  'schema-migrations'
]
const ORG_FLAVOURS = ['', '', 'legacy', 'v2', 'experimental', 'internal', 'shared', 'archive']

export interface LargeOrgOptions {
  /** repositories with caches */
  repos: number
  /** repositories without caches besides (default 0) */
  empty?: number
  seed: number
  /** epoch ms that timestamps are relative to (default the store's clock) */
  now?: number
}

/**
 * Seeds an organization of many repositories with long names like real large
 * organizations have (`data-engineering-deployment-pipeline-legacy-0042`,
 * 20 to 56 characters), each with 1 to 4 caches of skewed sizes (a few
 * repositories hold far more than the rest), last used between half a day
 * and thirteen and a half days ago (never near a whole day). Only caches and
 * repositories, no refs: cheap enough for 5,000 repositories in a test.
 * Returns the full names of the repositories with caches.
 */
export function seedLargeOrg(store: FakeStore, org: string, options: LargeOrgOptions): string[] {
  const rng = mulberry32(options.seed)
  const now = options.now ?? store.now()
  const names: string[] = []
  const total = options.repos + (options.empty ?? 0)
  for (let i = 0; i < total; i++) {
    const flavour = pick(rng, ORG_FLAVOURS)
    const name = [pick(rng, ORG_TEAMS), pick(rng, ORG_PARTS), flavour, String(i).padStart(4, '0')]
      .filter(Boolean)
      .join('-')
    const fullName = `${org}/${name}`
    store.addRepo(fullName)
    if (i >= options.repos) continue
    names.push(fullName)
    // one repository in fifty is a monorepo with caches ten to a hundred times larger
    const scale = rng() < 0.02 ? randomInt(rng, 10, 100) : 1
    for (let c = randomInt(rng, 1, 4); c > 0; c--) {
      const idle = (randomInt(rng, 0, 13) + 0.5) * DAY
      store.addCache(fullName, {
        key: randomKey(rng),
        ref: rng() < 0.5 ? 'refs/heads/main' : `refs/pull/${randomInt(rng, 1, 999)}/merge`,
        size_in_bytes: Math.min(randomSize(rng) * scale, 10 * GB),
        last_accessed_at: iso(now - idle),
        created_at: iso(now - idle - randomInt(rng, 0, 2) * DAY)
      })
    }
  }
  return names
}
