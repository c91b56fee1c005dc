// What the baselines share: listing a repository's caches the way most
// cache-cleanup actions do (100 a page, following the Link header, one page
// after another) and classifying an answer. Self-contained: plain fetch, no
// code from src/.

export interface BaselineTarget {
  /** the API base URL, as in GITHUB_API_URL */
  apiUrl: string
  token: string
  /** owner/name */
  repository: string
  /** the list's exact ref filter (a pull-request cleanup narrows by its ref) */
  ref?: string
}

export interface ListedCache {
  id: number
  key: string
  ref: string
  size_in_bytes: number
}

export interface BaselineResult {
  listed: number
  listRequests: number
  deleteRequests: number
  /** 204 answers */
  deleted: number
  /** 403/429 answers whose message names the secondary rate limit */
  secondaryLimited: number
  /** every other failure (other statuses, network errors) */
  failed: number
}

const headers = (token: string): Record<string, string> => ({
  accept: 'application/vnd.github+json',
  authorization: `Bearer ${token}`,
  'x-github-api-version': '2022-11-28'
})

/** Lists every cache in scope; throws on an error answer, as the actions it imitates do. */
export async function listAllCaches(
  target: BaselineTarget
): Promise<{ caches: ListedCache[]; requests: number }> {
  const [owner, repo] = target.repository.split('/')
  const query = new URLSearchParams({ per_page: '100' })
  if (target.ref) query.set('ref', target.ref)
  let url: string | undefined =
    `${target.apiUrl}/repos/${owner}/${repo}/actions/caches?${query.toString()}`
  const caches: ListedCache[] = []
  let requests = 0
  while (url) {
    const res = await fetch(url, { headers: headers(target.token) })
    requests++
    if (!res.ok) throw new Error(`listing failed: ${res.status} ${await res.text()}`)
    const body = (await res.json()) as { actions_caches: ListedCache[] }
    caches.push(...body.actions_caches)
    url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1]
  }
  return { caches, requests }
}

export type DeleteAnswer = 'deleted' | 'secondary-limited' | 'failed'

/** One DELETE by id, never retried. */
export async function deleteOnce(target: BaselineTarget, id: number): Promise<DeleteAnswer> {
  const [owner, repo] = target.repository.split('/')
  try {
    const res = await fetch(`${target.apiUrl}/repos/${owner}/${repo}/actions/caches/${id}`, {
      method: 'DELETE',
      headers: headers(target.token)
    })
    const text = await res.text()
    if (res.status === 204) return 'deleted'
    if ((res.status === 403 || res.status === 429) && /secondary rate limit/i.test(text)) {
      return 'secondary-limited'
    }
    return 'failed'
  } catch {
    return 'failed'
  }
}

export function tally(
  listed: number,
  listRequests: number,
  answers: readonly DeleteAnswer[]
): BaselineResult {
  return {
    listed,
    listRequests,
    deleteRequests: answers.length,
    deleted: answers.filter(a => a === 'deleted').length,
    secondaryLimited: answers.filter(a => a === 'secondary-limited').length,
    failed: answers.filter(a => a === 'failed').length
  }
}
