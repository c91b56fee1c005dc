// Where a repository lives, read the way gh reads it: `-R [HOST/]OWNER/REPO`
// (and GH_REPO), or the URL of a git remote in any of its forms (https, ssh,
// scp-like `git@host:owner/repo.git`, git://). A host other than github.com
// is GitHub Enterprise Server, whose REST API is https://HOST/api/v3. Pure:
// the front end runs git and reads the environment; this only parses.

export interface RepoLocation {
  /** lowercased host name, `github.com` for GitHub itself; with `:port` only for an http(s) remote */
  readonly host: string
  readonly owner: string
  readonly repo: string
  /** the remote's scheme, kept for an http remote (a test server); otherwise https */
  readonly scheme: 'http' | 'https'
}

const GITHUB = 'github.com'

/** Hosts that are github.com under another name (ssh over port 443, the www. site). */
const GITHUB_ALIASES = new Set(['github.com', 'www.github.com', 'ssh.github.com'])

const normalHost = (host: string): string => {
  const h = host.toLowerCase().replace(/\.$/, '')
  return GITHUB_ALIASES.has(h) ? GITHUB : h
}

/** `owner/repo` from a URL path: `/owner/repo.git/` and `owner/repo` alike; anything else is undefined. */
function ownerRepo(path: string): { owner: string; repo: string } | undefined {
  const parts = path
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined
  return { owner: parts[0], repo: parts[1] }
}

/**
 * A git remote's URL as a repository on a GitHub host, or undefined when it
 * is not one (a local path, a bundle, a URL with a longer path). Credentials
 * in the URL are dropped, never kept.
 */
export function parseRemoteUrl(url: string): RepoLocation | undefined {
  const text = url.trim()
  // scp-like: [user@]host:owner/repo(.git); no scheme, and the colon comes before any slash
  const scp = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)([^\s]+)$/.exec(text)
  if (scp && !/^[A-Za-z]:[\\/]/.test(text)) {
    const path = ownerRepo(scp[2])
    return path ? { host: normalHost(scp[1]), ...path, scheme: 'https' } : undefined
  }
  let parsed: URL
  try {
    parsed = new URL(text)
  } catch {
    return undefined
  }
  const scheme = parsed.protocol.replace(/:$/, '')
  if (!['https', 'http', 'ssh', 'git', 'git+ssh', 'ssh+git'].includes(scheme)) return undefined
  if (parsed.hostname === '') return undefined
  const path = ownerRepo(decodeURIComponent(parsed.pathname))
  if (!path) return undefined
  const web = scheme === 'http' || scheme === 'https'
  // an ssh port is not the web server's; an http(s) remote's port is
  const host = web && parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname
  return { host: normalHost(host), ...path, scheme: scheme === 'http' ? 'http' : 'https' }
}

/** A host name as gh accepts it before OWNER/REPO: has a dot, a port, or is localhost. */
const looksLikeHost = (word: string): boolean =>
  /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d+)?$/.test(word) &&
  (word.includes('.') || word.includes(':') || word.toLowerCase() === 'localhost')

/**
 * `-R` or GH_REPO: `OWNER/REPO`, or `HOST/OWNER/REPO` as gh takes it. Returns
 * the host (when given) and the rest, which the repository input's own
 * parser checks. A URL is taken too (`https://HOST/OWNER/REPO`).
 */
export function splitRepoHost(text: string): { host?: string; repository: string } {
  const t = text.trim()
  if (/^[a-z+]+:\/\//i.test(t)) {
    const location = parseRemoteUrl(t)
    if (location) return { host: location.host, repository: `${location.owner}/${location.repo}` }
    return { repository: t }
  }
  const parts = t.split('/')
  if (parts.length === 3 && looksLikeHost(parts[0])) {
    return { host: normalHost(parts[0]), repository: `${parts[1]}/${parts[2]}` }
  }
  return { repository: t }
}

/**
 * The REST API of a host: api.github.com for github.com (undefined: the
 * default), api.SUBDOMAIN.ghe.com for GitHub Enterprise Cloud with data
 * residency, and SCHEME://HOST/api/v3 for GitHub Enterprise Server.
 */
export function apiUrlForHost(
  host: string,
  scheme: 'http' | 'https' = 'https'
): string | undefined {
  const h = normalHost(host)
  if (h === GITHUB) return undefined
  if (/^[a-z0-9-]+\.ghe\.com$/.test(h)) return `https://api.${h}`
  return `${scheme}://${h}/api/v3`
}

/** The host a token is asked for (`gh auth token --hostname HOST`): no port, no scheme. */
export const tokenHost = (host: string): string => normalHost(host).replace(/:\d+$/, '')
