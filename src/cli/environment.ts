// Where the command line finds its repository and its token when no flag
// names them, as gh does: -R, else GH_REPO, else GITHUB_REPOSITORY, else the
// `origin` remote of the git repository in the current folder; the token in
// GH_TOKEN, else GITHUB_TOKEN, else `gh auth token` when the GitHub CLI is
// installed. Here is the I/O (the environment, git, gh, each spawned with a
// timeout); the parsing is engine/remote.ts's.

import { execFile } from 'node:child_process'
import { apiUrlForHost, parseRemoteUrl, splitRepoHost, tokenHost } from '../engine/remote.js'

/** Runs a program and gives its stdout, or undefined when it is missing, fails or takes too long. */
export type Run = (program: string, args: readonly string[]) => Promise<string | undefined>

/** How long git or gh may take to answer before we go on without them. */
const SPAWN_TIMEOUT_MS = 5000

export function spawnRunner(cwd: string, env: NodeJS.ProcessEnv): Run {
  return (program, args) =>
    new Promise(resolve => {
      execFile(
        program,
        [...args],
        { cwd, env, timeout: SPAWN_TIMEOUT_MS, windowsHide: true, maxBuffer: 1024 * 1024 },
        (error, stdout) => resolve(error ? undefined : String(stdout))
      )
    })
}

export interface RepositoryFound {
  /** `OWNER/REPO` (or the lines of --repo, which prune may give as patterns) */
  readonly repository: string
  readonly source: string
  /** the API of the host named with the repository, when it is not github.com */
  readonly apiUrl?: string
}

/**
 * The repository: the flag's value, else GH_REPO, else GITHUB_REPOSITORY,
 * else the origin remote. A host given with it (`HOST/OWNER/REPO`, a GHES
 * remote) names the API too; undefined when nothing names a repository.
 */
export async function findRepository(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  run: Run
): Promise<RepositoryFound | undefined> {
  const named = (text: string, source: string): RepositoryFound => {
    const lines = text.split('\n').map(line => splitRepoHost(line))
    const host = lines.find(l => l.host !== undefined)?.host
    const apiUrl = host !== undefined ? apiUrlForHost(host) : undefined
    return {
      repository: lines.map(l => l.repository).join('\n'),
      source,
      ...(apiUrl !== undefined ? { apiUrl } : {})
    }
  }
  if (flag !== undefined && flag.trim() !== '') return named(flag, '--repo')
  const ghRepo = env.GH_REPO?.trim()
  if (ghRepo) return named(ghRepo, 'GH_REPO')
  const actions = env.GITHUB_REPOSITORY?.trim()
  if (actions) return named(actions, 'GITHUB_REPOSITORY')
  const url = (await run('git', ['remote', 'get-url', 'origin']))?.trim()
  if (!url) return undefined
  const location = parseRemoteUrl(url)
  if (!location) return undefined
  const apiUrl = apiUrlForHost(location.host, location.scheme)
  return {
    repository: `${location.owner}/${location.repo}`,
    source: 'the origin remote',
    ...(apiUrl !== undefined ? { apiUrl } : {})
  }
}

export interface TokenFound {
  readonly token: string
  readonly source: string
}

/** GH_TOKEN, else GITHUB_TOKEN, else `gh auth token` (for the API's host). */
export async function findToken(
  env: NodeJS.ProcessEnv,
  apiUrl: string | undefined,
  run: Run
): Promise<TokenFound | undefined> {
  for (const name of ['GH_TOKEN', 'GITHUB_TOKEN'] as const) {
    const value = env[name]?.trim()
    if (value) return { token: value, source: name }
  }
  const host = apiUrl ? hostOfApi(apiUrl) : undefined
  const args = ['auth', 'token', ...(host ? ['--hostname', host] : [])]
  const token = (await run('gh', args))?.trim()
  return token ? { token, source: 'gh auth token' } : undefined
}

/** The web host behind an API URL: api.github.com -> github.com, HOST/api/v3 -> HOST. */
function hostOfApi(apiUrl: string): string | undefined {
  let url: URL
  try {
    url = new URL(apiUrl)
  } catch {
    return undefined
  }
  const host = url.hostname.toLowerCase()
  if (host === 'api.github.com') return undefined
  const tenant = /^api\.([a-z0-9-]+\.ghe\.com)$/.exec(host)
  return tokenHost(tenant ? tenant[1] : host)
}
