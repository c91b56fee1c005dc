// The REST look-ups behind stale-refs: open pull requests, branches and tags,
// listed page by page or asked one by one. Every call runs through the run's
// Governor (retries, pacing, budget). A 404 on a single look-up means "gone";
// every other failure propagates, and resolveStaleRefs turns it into an abort.

import type { CacheApi } from './ports.js'
import type { RepoName } from '../engine/cache.js'
import { callApi, GitHubCacheApi, hasNextLink, invalid, type Octokit } from './cache-api.js'
import type { Governor } from './governor.js'
import type { StaleRefFinder } from '../run/prune-repository.js'
import { resolveStaleRefs, type NamePage, type RefLookup } from '../engine/stale-refs.js'

const PER_PAGE = 100

/** The page number of the rel="last" link, if there is one. */
export function lastPageOf(link: string | undefined): number | undefined {
  if (link === undefined) return undefined
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="last"/.exec(part)
    if (!m) continue
    try {
      const page = Number(new URL(m[1]).searchParams.get('page'))
      return Number.isSafeInteger(page) && page >= 1 ? page : undefined
    } catch {
      return undefined
    }
  }
  return undefined
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

export class GitHubRefLookup implements RefLookup {
  constructor(
    private readonly octokit: Octokit,
    private readonly governor: Governor
  ) {}

  openPulls(repo: RepoName, page: number): Promise<NamePage<number>> {
    const label = `list open pull requests of ${repo.owner}/${repo.repo} (page ${page})`
    return callApi(
      this.governor,
      'GET',
      label,
      ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/pulls', {
          owner: repo.owner,
          repo: repo.repo,
          state: 'open',
          sort: 'created',
          direction: 'asc',
          per_page: PER_PAGE,
          page,
          request: { signal: ctx.signal }
        }),
      (data, headers) => {
        if (!Array.isArray(data)) throw invalid(label, 'not a list of pull requests')
        const items = data.map(p => {
          if (!isObject(p) || typeof p.number !== 'number') {
            throw invalid(label, 'a pull request without a number')
          }
          if (p.state !== undefined && p.state !== 'open') {
            throw invalid(
              label,
              `pull request #${p.number} is ${String(p.state)} in a list of open ones`
            )
          }
          return p.number
        })
        return { items, hasNext: hasNextLink(headers.link), lastPage: lastPageOf(headers.link) }
      }
    )
  }

  pullIsOpen(repo: RepoName, pull: number): Promise<boolean> {
    const label = `read pull request #${pull} of ${repo.owner}/${repo.repo}`
    return callApi<boolean>(
      this.governor,
      'GET',
      label,
      ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
          owner: repo.owner,
          repo: repo.repo,
          pull_number: pull,
          request: { signal: ctx.signal }
        }),
      data => {
        if (!isObject(data) || typeof data.state !== 'string') throw invalid(label, 'no state')
        return data.state === 'open'
      },
      error =>
        error.kind === 'not-found' ? { value: false, headers: error.headers ?? {} } : undefined
    )
  }

  branches(repo: RepoName, page: number): Promise<NamePage<string>> {
    const label = `list branches of ${repo.owner}/${repo.repo} (page ${page})`
    return callApi(
      this.governor,
      'GET',
      label,
      ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/branches', {
          owner: repo.owner,
          repo: repo.repo,
          per_page: PER_PAGE,
          page,
          request: { signal: ctx.signal }
        }),
      (data, headers) => {
        if (!Array.isArray(data)) throw invalid(label, 'not a list of branches')
        const items = data.map(b => {
          if (!isObject(b) || typeof b.name !== 'string')
            throw invalid(label, 'a branch without a name')
          return b.name
        })
        return { items, hasNext: hasNextLink(headers.link), lastPage: lastPageOf(headers.link) }
      }
    )
  }

  /** By the exact ref (git/ref), which never follows a renamed branch's redirect. */
  branchExists(repo: RepoName, branch: string): Promise<boolean> {
    return this.refExists(repo, `heads/${branch}`)
  }

  tags(repo: RepoName, page: number): Promise<NamePage<string>> {
    const label = `list tags of ${repo.owner}/${repo.repo}`
    return callApi(
      this.governor,
      'GET',
      label,
      ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/git/matching-refs/{ref}', {
          owner: repo.owner,
          repo: repo.repo,
          ref: 'tags',
          ...(page > 1 ? { page } : {}),
          request: { signal: ctx.signal }
        }),
      (data, headers) => {
        if (!Array.isArray(data)) throw invalid(label, 'not a list of refs')
        const items: string[] = []
        for (const r of data) {
          if (!isObject(r) || typeof r.ref !== 'string')
            throw invalid(label, 'a ref without a name')
          if (r.ref.startsWith('refs/tags/')) items.push(r.ref.slice('refs/tags/'.length))
        }
        return { items, hasNext: hasNextLink(headers.link), lastPage: lastPageOf(headers.link) }
      }
    )
  }

  tagExists(repo: RepoName, tag: string): Promise<boolean> {
    return this.refExists(repo, `tags/${tag}`)
  }

  private refExists(repo: RepoName, ref: string): Promise<boolean> {
    const label = `read ref refs/${ref} of ${repo.owner}/${repo.repo}`
    return callApi<boolean>(
      this.governor,
      'GET',
      label,
      ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
          owner: repo.owner,
          repo: repo.repo,
          ref,
          request: { signal: ctx.signal }
        }),
      data => {
        if (!isObject(data) || typeof data.ref !== 'string') throw invalid(label, 'no ref')
        // the endpoint matches exactly; any other answer is not one we can trust
        if (data.ref !== `refs/${ref}`) throw invalid(label, `answered for ${data.ref}`)
        return true
      },
      error =>
        error.kind === 'not-found' ? { value: false, headers: error.headers ?? {} } : undefined
    )
  }
}

/** A StaleRefFinder over any RefLookup (tests pass an in-memory one). */
export function staleRefFinder(lookup: RefLookup): StaleRefFinder {
  return async (_api, repo, refs, ui) => (await resolveStaleRefs(lookup, repo, refs, ui)).dead
}

/**
 * The finder for the action and the CLI: it looks refs up with the same
 * Octokit client and Governor as the GitHubCacheApi it is given.
 */
export const findStaleRefs: StaleRefFinder = (api: CacheApi, repo, refs, ui) => {
  if (!(api instanceof GitHubCacheApi)) {
    throw new Error('stale-refs: looking up refs needs the GitHub API adapter (GitHubCacheApi)')
  }
  return staleRefFinder(new GitHubRefLookup(api.octokit, api.governor))(api, repo, refs, ui)
}
