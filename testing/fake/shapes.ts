// JSON bodies in the shapes of GitHub's OpenAPI description: caches, users,
// repositories, pull requests, branches, git refs and error bodies. Fields the
// schemas require but cache-steward never reads get plausible values.

import type { ApiCache } from './wire.js'
import { fakeSha, type RepoState, type StoredBranch, type StoredPull } from './store.js'

/** Where links in bodies point: the API root and the web root. */
export interface Bases {
  api: string
  web: string
}

export const DOCS = 'https://docs.github.com/rest'

export const errorBody = (
  message: string,
  status: number,
  documentationUrl: string = DOCS
): { message: string; documentation_url: string; status: string } => ({
  message,
  documentation_url: documentationUrl,
  status: String(status)
})

/** ISO timestamp, optionally with a 7-digit fraction made deterministic by `salt`. */
function renderTime(iso: string, fractional: boolean, salt: number): string {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  const base = new Date(ms).toISOString() // YYYY-MM-DDTHH:mm:ss.sssZ
  if (!fractional) return base
  const extra = String(Math.abs(salt * 7919) % 10000).padStart(4, '0')
  return `${base.slice(0, -1)}${extra}Z`
}

export function cacheJson(c: ApiCache, fractional: boolean): ApiCache {
  return {
    id: c.id,
    ref: c.ref,
    key: c.key,
    version: c.version,
    last_accessed_at: renderTime(c.last_accessed_at, fractional, c.id),
    created_at: renderTime(c.created_at, fractional, c.id + 1),
    size_in_bytes: c.size_in_bytes
  }
}

const hashId = (text: string): number => parseInt(fakeSha(text).slice(0, 8), 16) % 100_000_000

function userJson(b: Bases, login: string, type: 'User' | 'Organization' | 'Bot' = 'User') {
  const id = hashId(`user:${login}`)
  const api = `${b.api}/users/${encodeURIComponent(login)}`
  return {
    login,
    id,
    node_id: `U_${id.toString(36)}`,
    avatar_url: `${b.web}/avatars/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${b.web}/${encodeURIComponent(login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    site_admin: false
  }
}

const repoPath = (r: RepoState): string =>
  `${encodeURIComponent(r.owner)}/${encodeURIComponent(r.name)}`

function repoJson(b: Bases, r: RepoState) {
  const api = `${b.api}/repos/${repoPath(r)}`
  const html = `${b.web}/${repoPath(r)}`
  const created = '2020-01-01T00:00:00Z'
  return {
    id: r.id,
    node_id: `R_${r.id.toString(36)}`,
    name: r.name,
    full_name: r.fullName,
    owner: userJson(b, r.owner, 'Organization'),
    private: r.private,
    html_url: html,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://example.invalid/${r.fullName}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@example.invalid:${r.fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1024,
    default_branch: r.defaultBranch,
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    visibility: r.private ? 'private' : 'public',
    pushed_at: created,
    created_at: created,
    updated_at: created,
    license: null
  }
}

function pullCommon(b: Bases, r: RepoState, p: StoredPull) {
  const api = `${b.api}/repos/${repoPath(r)}`
  const html = `${b.web}/${repoPath(r)}/pull/${p.number}`
  const id = hashId(`pull:${r.fullName}#${p.number}`)
  const author = userJson(b, 'octocat')
  const repo = repoJson(b, r)
  const link = (href: string) => ({ href })
  return {
    url: `${api}/pulls/${p.number}`,
    id,
    node_id: `PR_${id.toString(36)}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${p.number}`,
    commits_url: `${api}/pulls/${p.number}/commits`,
    review_comments_url: `${api}/pulls/${p.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${p.number}/comments`,
    statuses_url: `${api}/statuses/${p.head.sha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: author,
    body: null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: p.created_at,
    updated_at: p.updated_at,
    closed_at: p.closed_at,
    merged_at: p.merged_at,
    merge_commit_sha: p.merged ? fakeSha(`merge:${r.fullName}#${p.number}`) : null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${r.owner}:${p.head.ref}`,
      ref: p.head.ref,
      sha: p.head.sha,
      user: userJson(b, r.owner, 'Organization'),
      repo
    },
    base: {
      label: `${r.owner}:${p.base.ref}`,
      ref: p.base.ref,
      sha: p.base.sha,
      user: userJson(b, r.owner, 'Organization'),
      repo
    },
    _links: {
      self: link(`${api}/pulls/${p.number}`),
      html: link(html),
      issue: link(`${api}/issues/${p.number}`),
      comments: link(`${api}/issues/${p.number}/comments`),
      review_comments: link(`${api}/pulls/${p.number}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${api}/pulls/${p.number}/commits`),
      statuses: link(`${api}/statuses/${p.head.sha}`)
    },
    author_association: 'CONTRIBUTOR' as const,
    auto_merge: null,
    draft: false
  }
}

/** An item of GET /repos/{o}/{r}/pulls (schema pull-request-simple). */
export const pullSimpleJson = (b: Bases, r: RepoState, p: StoredPull) => pullCommon(b, r, p)

/** GET /repos/{o}/{r}/pulls/{n} (schema pull-request). */
export function pullJson(b: Bases, r: RepoState, p: StoredPull) {
  return {
    ...pullCommon(b, r, p),
    merged: p.merged,
    mergeable: p.state === 'open' ? true : null,
    rebaseable: p.state === 'open' ? true : null,
    mergeable_state: p.state === 'open' ? 'clean' : 'unknown',
    merged_by: p.merged ? userJson(b, 'octocat') : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 10,
    deletions: 2,
    changed_files: 1
  }
}

/** An item of GET /repos/{o}/{r}/branches (schema short-branch). */
export function shortBranchJson(b: Bases, r: RepoState, br: StoredBranch) {
  return {
    name: br.name,
    commit: { sha: br.sha, url: `${b.api}/repos/${repoPath(r)}/commits/${br.sha}` },
    protected: br.protected
  }
}

/** GET /repos/{o}/{r}/branches/{branch} (schema branch-with-protection). */
export function branchJson(b: Bases, r: RepoState, br: StoredBranch) {
  const api = `${b.api}/repos/${repoPath(r)}`
  const parent = fakeSha(`parent:${br.sha}`)
  const tree = fakeSha(`tree:${br.sha}`)
  const when = '2024-01-01T00:00:00Z'
  const gitUser = { name: 'Octo Cat', email: 'octocat@example.invalid', date: when }
  const branchPath = br.name.split('/').map(encodeURIComponent).join('/')
  return {
    name: br.name,
    commit: {
      sha: br.sha,
      node_id: `C_${br.sha.slice(0, 12)}`,
      url: `${api}/commits/${br.sha}`,
      html_url: `${b.web}/${repoPath(r)}/commit/${br.sha}`,
      comments_url: `${api}/commits/${br.sha}/comments`,
      commit: {
        url: `${api}/git/commits/${br.sha}`,
        author: gitUser,
        committer: gitUser,
        message: `Tip of ${br.name}`,
        tree: { sha: tree, url: `${api}/git/trees/${tree}` },
        comment_count: 0
      },
      author: null,
      committer: null,
      parents: [{ sha: parent, url: `${api}/commits/${parent}` }]
    },
    _links: {
      html: `${b.web}/${repoPath(r)}/tree/${branchPath}`,
      self: `${api}/branches/${branchPath}`
    },
    protected: br.protected,
    protection: {
      enabled: br.protected,
      required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] }
    },
    protection_url: `${api}/branches/${branchPath}/protection`
  }
}

/** One git reference (schema git-ref); `ref` is the full ref, e.g. refs/tags/v1. */
export function gitRefJson(b: Bases, r: RepoState, ref: string, sha: string) {
  const api = `${b.api}/repos/${repoPath(r)}`
  const refPath = ref.split('/').map(encodeURIComponent).join('/')
  return {
    ref,
    node_id: `REF_${fakeSha(ref).slice(0, 12)}`,
    url: `${api}/git/${refPath}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` }
  }
}

/** GET /repos/{owner}/{repo}: the repository with the fields a full repository adds. */
export function fullRepoJson(b: Bases, r: RepoState) {
  return {
    ...repoJson(b, r),
    network_count: 0,
    subscribers_count: 0,
    has_discussions: false
  }
}
