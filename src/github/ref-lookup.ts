// The adapter behind stale-refs: open pull requests, branches and tags,
// listed page by page or asked one by one, over Octokit. Every call runs
// through the run's Governor (retries, pacing, budget). A 404 on a single
// look-up means "gone"; every other failure propagates.

import type { RepoName } from '../engine/cache.js'
import type { Governor } from './governor.js'
import { callApi, hasNextLink, invalid, lastPageOf, type Headers, type Octokit } from './octokit.js'
import { MAX_PER_PAGE, type NamePage, type RefLookup, type RequestPurpose } from './ports.js'

const LOOK_UP: RequestPurpose = { operation: 'look-up-refs', scope: 'repository' }

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

const pageOf = <T>(items: T[], headers: Headers): NamePage<T> => ({
  items,
  hasNext: hasNextLink(headers.link),
  lastPage: lastPageOf(headers.link)
})

export class GitHubRefLookup implements RefLookup {
  constructor(
    private readonly octokit: Octokit,
    private readonly governor: Governor
  ) {}

  defaultBranch(repo: RepoName): Promise<string> {
    const label = `read repository ${repo.owner}/${repo.repo}`
    return callApi(this.governor, {
      method: 'GET',
      label,
      purpose: LOOK_UP,
      send: ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}', {
          owner: repo.owner,
          repo: repo.repo,
          request: { signal: ctx.signal }
        }),
      shape: data => {
        if (
          !isObject(data) ||
          typeof data.default_branch !== 'string' ||
          data.default_branch === ''
        ) {
          throw invalid(label, 'no default_branch')
        }
        return data.default_branch
      }
    })
  }

  openPulls(repo: RepoName, page: number): Promise<NamePage<number>> {
    const label = `list open pull requests of ${repo.owner}/${repo.repo} (page ${page})`
    return callApi(this.governor, {
      method: 'GET',
      label,
      purpose: LOOK_UP,
      send: ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/pulls', {
          owner: repo.owner,
          repo: repo.repo,
          state: 'open',
          sort: 'created',
          direction: 'asc',
          per_page: MAX_PER_PAGE,
          page,
          request: { signal: ctx.signal }
        }),
      shape: (data, headers) => {
        if (!Array.isArray(data)) throw invalid(label, 'not a list of pull requests')
        const items = data.map(p => {
          if (
            !isObject(p) ||
            typeof p.number !== 'number' ||
            !Number.isSafeInteger(p.number) ||
            p.number < 1
          ) {
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
        return pageOf(items, headers)
      }
    })
  }

  pullIsOpen(repo: RepoName, pull: number): Promise<boolean> {
    const label = `read pull request #${pull} of ${repo.owner}/${repo.repo}`
    return callApi<boolean>(this.governor, {
      method: 'GET',
      label,
      purpose: LOOK_UP,
      send: ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
          owner: repo.owner,
          repo: repo.repo,
          pull_number: pull,
          request: { signal: ctx.signal }
        }),
      shape: data => {
        if (!isObject(data) || typeof data.state !== 'string') throw invalid(label, 'no state')
        return data.state === 'open'
      },
      onError: error =>
        error.kind === 'not-found' ? { value: false, headers: error.headers ?? {} } : undefined
    })
  }

  branches(repo: RepoName, page: number): Promise<NamePage<string>> {
    const label = `list branches of ${repo.owner}/${repo.repo} (page ${page})`
    return callApi(this.governor, {
      method: 'GET',
      label,
      purpose: LOOK_UP,
      send: ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/branches', {
          owner: repo.owner,
          repo: repo.repo,
          per_page: MAX_PER_PAGE,
          page,
          request: { signal: ctx.signal }
        }),
      shape: (data, headers) => {
        if (!Array.isArray(data)) throw invalid(label, 'not a list of branches')
        const items = data.map(b => {
          if (!isObject(b) || typeof b.name !== 'string') {
            throw invalid(label, 'a branch without a name')
          }
          return b.name
        })
        return pageOf(items, headers)
      }
    })
  }

  /** By the exact ref (git/ref), which never follows a renamed branch's redirect. */
  branchExists(repo: RepoName, branch: string): Promise<boolean> {
    return this.refExists(repo, `heads/${branch}`)
  }

  tags(repo: RepoName, page: number): Promise<NamePage<string>> {
    const label = `list tags of ${repo.owner}/${repo.repo}`
    return callApi(this.governor, {
      method: 'GET',
      label,
      purpose: LOOK_UP,
      send: ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/git/matching-refs/{ref}', {
          owner: repo.owner,
          repo: repo.repo,
          ref: 'tags',
          ...(page > 1 ? { page } : {}),
          request: { signal: ctx.signal }
        }),
      shape: (data, headers) => {
        if (!Array.isArray(data)) throw invalid(label, 'not a list of refs')
        const items: string[] = []
        for (const r of data) {
          if (!isObject(r) || typeof r.ref !== 'string') {
            throw invalid(label, 'a ref without a name')
          }
          if (r.ref.startsWith('refs/tags/')) items.push(r.ref.slice('refs/tags/'.length))
        }
        return pageOf(items, headers)
      }
    })
  }

  tagExists(repo: RepoName, tag: string): Promise<boolean> {
    return this.refExists(repo, `tags/${tag}`)
  }

  private refExists(repo: RepoName, ref: string): Promise<boolean> {
    const label = `read ref refs/${ref} of ${repo.owner}/${repo.repo}`
    return callApi<boolean>(this.governor, {
      method: 'GET',
      label,
      purpose: LOOK_UP,
      send: ctx =>
        this.octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
          owner: repo.owner,
          repo: repo.repo,
          ref,
          request: { signal: ctx.signal }
        }),
      shape: data => {
        if (!isObject(data) || typeof data.ref !== 'string') throw invalid(label, 'no ref')
        // the endpoint matches exactly; any other answer is not one we can trust
        if (data.ref !== `refs/${ref}`) throw invalid(label, `answered for ${data.ref}`)
        return true
      },
      onError: error =>
        error.kind === 'not-found' ? { value: false, headers: error.headers ?? {} } : undefined
    })
  }
}
