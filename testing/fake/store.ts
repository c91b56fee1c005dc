// In-memory state of the fake GitHub: repositories with their caches (kept in
// the REST API's shape), pull requests, branches and tags; organisations and
// enterprises; the cache limits settable through the API. Ids are monotonic
// and never reused. The server reads and mutates this; tests seed it directly.

import { createHash } from 'node:crypto'
import type { ApiCache } from './wire.js'

export type { ApiCache }

export interface StoredPull {
  number: number
  state: 'open' | 'closed'
  merged: boolean
  title: string
  head: { ref: string; sha: string }
  base: { ref: string; sha: string }
  created_at: string
  updated_at: string
  closed_at: string | null
  merged_at: string | null
}

export interface StoredBranch {
  name: string
  sha: string
  protected: boolean
}

export interface StoredTag {
  name: string
  sha: string
}

interface RepoLimits {
  /** GHES usage policy */
  repoCacheSizeLimitInGb: number
  /** github.com retention-limit */
  maxCacheRetentionDays: number
  /** github.com storage-limit */
  maxCacheSizeGb: number
}

export interface OwnerLimits {
  maxCacheRetentionDays: number
  maxCacheSizeGb: number
}

export interface EnterpriseLimits extends OwnerLimits {
  /** GHES usage policy: default per-repository limit */
  repoCacheSizeLimitInGb: number
  /** GHES usage policy: the most a repository may be given */
  maxRepoCacheSizeLimitInGb: number
}

export interface RepoState {
  readonly id: number
  readonly fullName: string
  readonly owner: string
  readonly name: string
  private: boolean
  defaultBranch: string
  caches: ApiCache[]
  pulls: Map<number, StoredPull>
  branches: Map<string, StoredBranch>
  tags: Map<string, StoredTag>
  limits: RepoLimits
}

export interface AddRepoOptions {
  private?: boolean
  defaultBranch?: string
  /** create the default branch (default true) */
  withDefaultBranch?: boolean
}

export interface AddPullInput {
  number?: number
  state?: 'open' | 'closed'
  merged?: boolean
  title?: string
  /** head branch name, e.g. `feature/x` (a `refs/heads/` prefix is stripped) */
  headRef?: string
  headSha?: string
  baseRef?: string
  createdAt?: string
  closedAt?: string
}

const DEFAULT_REPO_LIMITS: Readonly<RepoLimits> = {
  repoCacheSizeLimitInGb: 10,
  maxCacheRetentionDays: 7,
  maxCacheSizeGb: 10
}

/** Deterministic 40-hex "commit sha" derived from any text. */
export const fakeSha = (text: string): string =>
  createHash('sha1').update(text).digest('hex').slice(0, 40)

/** Deterministic 64-hex cache version derived from any text. */
const fakeVersion = (text: string): string => createHash('sha256').update(text).digest('hex')

const lower = (s: string): string => s.toLowerCase()

export class FakeStore {
  private readonly repoMap = new Map<string, RepoState>()
  private readonly orgMap = new Map<string, { name: string; repos: Set<string> }>()
  private readonly orgLimits = new Map<string, OwnerLimits>()
  private readonly enterpriseMap = new Map<
    string,
    { name: string; orgs: Set<string>; limits: EnterpriseLimits }
  >()
  private nextCacheId: number
  private readonly usedCacheIds = new Set<number>()
  private nextRepoId = 100000
  /** clock used for default timestamps */
  now: () => number

  constructor(options: { firstCacheId?: number; now?: () => number } = {}) {
    this.nextCacheId = options.firstCacheId ?? 1
    this.now = options.now ?? Date.now
  }

  // ---- repositories -------------------------------------------------------

  /** Adds a repository (idempotent; returns the existing one). Its owner becomes an organisation. */
  addRepo(fullName: string, options: AddRepoOptions = {}): RepoState {
    const existing = this.repo(fullName)
    if (existing) return existing
    const [owner, name, ...rest] = fullName.split('/')
    if (!owner || !name || rest.length > 0)
      throw new Error(`not a full repository name: ${fullName}`)
    const state: RepoState = {
      id: this.nextRepoId++,
      fullName,
      owner,
      name,
      private: options.private ?? true,
      defaultBranch: options.defaultBranch ?? 'main',
      caches: [],
      pulls: new Map(),
      branches: new Map(),
      tags: new Map(),
      limits: { ...DEFAULT_REPO_LIMITS }
    }
    this.repoMap.set(lower(fullName), state)
    this.addOrg(owner).repos.add(lower(fullName))
    if (options.withDefaultBranch !== false) this.addBranch(fullName, state.defaultBranch)
    return state
  }

  /** Case-insensitive lookup, like GitHub's. */
  repo(fullName: string): RepoState | undefined {
    return this.repoMap.get(lower(fullName))
  }

  hasRepo(fullName: string): boolean {
    return this.repoMap.has(lower(fullName))
  }

  repoNames(): string[] {
    return [...this.repoMap.values()].map(r => r.fullName)
  }

  private must(fullName: string): RepoState {
    const r = this.repo(fullName)
    if (!r) throw new Error(`no such repository in the fake store: ${fullName}`)
    return r
  }

  // ---- caches -------------------------------------------------------------

  /** The next id addCache would assign. */
  peekNextCacheId(): number {
    return this.nextCacheId
  }

  /**
   * Adds a cache (the repository is created when missing). Missing fields get
   * plausible defaults; an explicit id must be unused and moves the counter past it.
   */
  addCache(fullName: string, partial: Partial<ApiCache> = {}): ApiCache {
    const repo = this.repo(fullName) ?? this.addRepo(fullName)
    let id = partial.id
    if (id === undefined) id = this.nextCacheId++
    else {
      if (!Number.isSafeInteger(id) || id < 1) throw new Error(`bad cache id ${id}`)
      if (this.usedCacheIds.has(id)) throw new Error(`cache id ${id} already used`)
      this.nextCacheId = Math.max(this.nextCacheId, id + 1)
    }
    this.usedCacheIds.add(id)
    const nowIso = new Date(this.now()).toISOString()
    const key = partial.key ?? `cache-${id}`
    const created = partial.created_at ?? partial.last_accessed_at ?? nowIso
    const cache: ApiCache = {
      id,
      ref: partial.ref ?? `refs/heads/${repo.defaultBranch}`,
      key,
      version: partial.version ?? fakeVersion(`${key}#${id}`),
      last_accessed_at: partial.last_accessed_at ?? created,
      created_at: created,
      size_in_bytes: partial.size_in_bytes ?? 1024
    }
    repo.caches.push(cache)
    return cache
  }

  /** Adds many caches at once (faster than repeated addCache for large seeds). */
  addCaches(fullName: string, partials: readonly Partial<ApiCache>[]): ApiCache[] {
    return partials.map(p => this.addCache(fullName, p))
  }

  /** A copy of the repository's caches, in insertion order ([] for an unknown repository). */
  caches(fullName: string): ApiCache[] {
    return [...(this.repo(fullName)?.caches ?? [])]
  }

  cacheCount(fullName: string): number {
    return this.repo(fullName)?.caches.length ?? 0
  }

  getCache(fullName: string, id: number): ApiCache | undefined {
    return this.repo(fullName)?.caches.find(c => c.id === id)
  }

  /** Removes one cache; returns it, or undefined when it was not there. */
  removeCache(fullName: string, id: number): ApiCache | undefined {
    const repo = this.repo(fullName)
    if (!repo) return undefined
    const i = repo.caches.findIndex(c => c.id === id)
    if (i < 0) return undefined
    const [removed] = repo.caches.splice(i, 1)
    return removed
  }

  /** Removes every cache matching the predicate; returns them in store order. */
  removeCaches(fullName: string, predicate: (c: ApiCache) => boolean): ApiCache[] {
    const repo = this.repo(fullName)
    if (!repo) return []
    const removed: ApiCache[] = []
    const kept: ApiCache[] = []
    for (const c of repo.caches) (predicate(c) ? removed : kept).push(c)
    repo.caches = kept
    return removed
  }

  /** Marks a cache as restored at `at` (epoch ms, default now). */
  touchCache(fullName: string, id: number, at: number = this.now()): ApiCache | undefined {
    const c = this.getCache(fullName, id)
    if (c) c.last_accessed_at = new Date(at).toISOString()
    return c
  }

  usage(fullName: string): { count: number; sizeInBytes: number } {
    const caches = this.repo(fullName)?.caches ?? []
    let sizeInBytes = 0
    for (const c of caches) sizeInBytes += c.size_in_bytes
    return { count: caches.length, sizeInBytes }
  }

  // ---- pull requests, branches, tags -------------------------------------

  addPull(fullName: string, input: AddPullInput = {}): StoredPull {
    const repo = this.repo(fullName) ?? this.addRepo(fullName)
    const number =
      input.number ?? Math.max(0, ...repo.pulls.keys(), ...this.pullNumbersFromCaches(repo)) + 1
    const state = input.state ?? 'open'
    const merged = state === 'closed' ? (input.merged ?? false) : false
    const created = input.createdAt ?? new Date(this.now()).toISOString()
    const closed = state === 'closed' ? (input.closedAt ?? created) : null
    const headRef = (input.headRef ?? `feature/pr-${number}`).replace(/^refs\/heads\//, '')
    const baseRef = input.baseRef ?? repo.defaultBranch
    const pull: StoredPull = {
      number,
      state,
      merged,
      title: input.title ?? `Change #${number}`,
      head: { ref: headRef, sha: input.headSha ?? fakeSha(`${fullName}#${number}:head`) },
      base: { ref: baseRef, sha: fakeSha(`${fullName}:${baseRef}`) },
      created_at: created,
      updated_at: closed ?? created,
      closed_at: closed,
      merged_at: merged ? closed : null
    }
    repo.pulls.set(number, pull)
    return pull
  }

  private pullNumbersFromCaches(repo: RepoState): number[] {
    const out: number[] = []
    for (const c of repo.caches) {
      const m = /^refs\/pull\/(\d+)\//.exec(c.ref)
      if (m) out.push(Number(m[1]))
    }
    return out
  }

  getPull(fullName: string, number: number): StoredPull | undefined {
    return this.repo(fullName)?.pulls.get(number)
  }

  pulls(fullName: string): StoredPull[] {
    return [...(this.repo(fullName)?.pulls.values() ?? [])]
  }

  closePull(fullName: string, number: number, merged = false): StoredPull | undefined {
    const p = this.getPull(fullName, number)
    if (p && p.state === 'open') {
      const at = new Date(this.now()).toISOString()
      p.state = 'closed'
      p.merged = merged
      p.closed_at = at
      p.updated_at = at
      p.merged_at = merged ? at : null
    }
    return p
  }

  addBranch(
    fullName: string,
    name: string,
    options: { sha?: string; protected?: boolean } = {}
  ): StoredBranch {
    const repo = this.repo(fullName) ?? this.addRepo(fullName)
    const branch: StoredBranch = {
      name: name.replace(/^refs\/heads\//, ''),
      sha: options.sha ?? fakeSha(`${fullName}:${name}`),
      protected: options.protected ?? name === repo.defaultBranch
    }
    repo.branches.set(branch.name, branch)
    return branch
  }

  deleteBranch(fullName: string, name: string): boolean {
    return this.repo(fullName)?.branches.delete(name) ?? false
  }

  branches(fullName: string): StoredBranch[] {
    return [...(this.repo(fullName)?.branches.values() ?? [])]
  }

  addTag(fullName: string, name: string, sha?: string): StoredTag {
    const repo = this.repo(fullName) ?? this.addRepo(fullName)
    const tag: StoredTag = {
      name: name.replace(/^refs\/tags\//, ''),
      sha: sha ?? fakeSha(`${fullName}:tag:${name}`)
    }
    repo.tags.set(tag.name, tag)
    return tag
  }

  deleteTag(fullName: string, name: string): boolean {
    return this.repo(fullName)?.tags.delete(name) ?? false
  }

  tags(fullName: string): StoredTag[] {
    return [...(this.repo(fullName)?.tags.values() ?? [])]
  }

  // ---- organisations and enterprises -------------------------------------

  /** Adds an organisation (idempotent); repositories of this owner join it automatically. */
  addOrg(
    name: string,
    repoFullNames: readonly string[] = []
  ): { name: string; repos: Set<string> } {
    let org = this.orgMap.get(lower(name))
    if (!org) {
      org = { name, repos: new Set() }
      this.orgMap.set(lower(name), org)
    }
    for (const r of repoFullNames) {
      this.addRepo(r)
      org.repos.add(lower(r))
    }
    return org
  }

  hasOrg(name: string): boolean {
    return this.orgMap.has(lower(name))
  }

  /** Full names of the organisation's repositories, sorted ([] for an unknown organisation). */
  orgRepos(name: string): string[] {
    const org = this.orgMap.get(lower(name))
    if (!org) return []
    return [...org.repos]
      .map(k => this.repoMap.get(k)?.fullName)
      .filter((x): x is string => x !== undefined)
      .sort()
  }

  orgLimitsOf(name: string): OwnerLimits {
    let l = this.orgLimits.get(lower(name))
    if (!l) {
      l = { maxCacheRetentionDays: 7, maxCacheSizeGb: 10 }
      this.orgLimits.set(lower(name), l)
    }
    return l
  }

  addEnterprise(name: string, orgs: readonly string[] = []): { name: string; orgs: Set<string> } {
    let e = this.enterpriseMap.get(lower(name))
    if (!e) {
      e = {
        name,
        orgs: new Set(),
        limits: {
          maxCacheRetentionDays: 7,
          maxCacheSizeGb: 10,
          repoCacheSizeLimitInGb: 10,
          maxRepoCacheSizeLimitInGb: 25
        }
      }
      this.enterpriseMap.set(lower(name), e)
    }
    for (const o of orgs) {
      this.addOrg(o)
      e.orgs.add(lower(o))
    }
    return e
  }

  hasEnterprise(name: string): boolean {
    return this.enterpriseMap.has(lower(name))
  }

  enterpriseOrgs(name: string): string[] {
    const e = this.enterpriseMap.get(lower(name))
    if (!e) return []
    return [...e.orgs].map(o => this.orgMap.get(o)?.name ?? o).sort()
  }

  enterpriseLimitsOf(name: string): EnterpriseLimits | undefined {
    return this.enterpriseMap.get(lower(name))?.limits
  }

  /** The enterprise an organisation belongs to, if any. */
  enterpriseOfOrg(org: string): string | undefined {
    for (const e of this.enterpriseMap.values()) if (e.orgs.has(lower(org))) return e.name
    return undefined
  }
}
