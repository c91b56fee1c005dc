// Whom a usage report or a limit is about (a repository, an organization or
// an enterprise), and which family of endpoints a server has. Pure.

export type AdminTarget =
  | { readonly kind: 'repo'; readonly owner: string; readonly repo: string }
  | { readonly kind: 'org'; readonly org: string }
  | { readonly kind: 'enterprise'; readonly enterprise: string }

export const describeTarget = (t: AdminTarget): string =>
  t.kind === 'repo'
    ? `repository ${t.owner}/${t.repo}`
    : t.kind === 'org'
      ? `organization ${t.org}`
      : `enterprise ${t.enterprise}`

/** Which family of limit endpoints a server has. */
export type ApiFamily = 'github.com' | 'ghes'

/**
 * GHES serves its REST API under `/api/v3` (GitHub's docs give
 * `https://HOST/api/v3`, and the runner puts exactly that in GITHUB_API_URL);
 * github.com and GHE.com data residency (`api.SUBDOMAIN.ghe.com`) serve it at
 * the root. So the path decides. A host that is neither api.github.com nor a
 * ghe.com host but serves at the root (a proxy, a local fake) is treated as
 * github.com, because that is the layout it serves.
 */
export function detectFamily(apiUrl: string): ApiFamily {
  let path: string
  try {
    path = new URL(apiUrl).pathname
  } catch {
    path = apiUrl
  }
  return /\/api\/v3\/*$/.test(path) ? 'ghes' : 'github.com'
}
