// What the triggering event says about scope. Pure: it reads the event name
// and payload, never GITHUB_REF (which on a merged pull request's `closed`
// event is the base branch, and would aim the cleanup at main).

export interface EventScope {
  /** full refs the event points at; undefined means every ref */
  readonly refs?: readonly string[]
  /** for logs and the summary, e.g. 'pull request #12 was closed' */
  readonly description: string
  /** the event's token is read-only by GitHub's rules (fork or Dependabot pull request) */
  readonly readOnlyToken: boolean
  readonly pullRequest?: number
}

interface PullRequestPayload {
  action?: string
  number?: number
  pull_request?: {
    number?: number
    user?: { login?: string }
    head?: { repo?: { full_name?: string } | null }
  }
  repository?: { full_name?: string }
  sender?: { login?: string }
}

interface DeletePayload {
  ref?: string
  ref_type?: string
}

const DEPENDABOT = 'dependabot[bot]'

export function scopeFromEvent(eventName: string, payload: unknown, actor = ''): EventScope {
  const p = (payload ?? {}) as PullRequestPayload & DeletePayload
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const number = p.pull_request?.number ?? p.number
    const headRepo = p.pull_request?.head?.repo
    const fromFork =
      headRepo === null ||
      (headRepo?.full_name !== undefined && headRepo.full_name !== p.repository?.full_name)
    const fromDependabot = p.pull_request?.user?.login === DEPENDABOT || actor === DEPENDABOT
    const readOnlyToken = eventName === 'pull_request' && (fromFork || fromDependabot)
    if (p.action === 'closed' && typeof number === 'number') {
      return {
        refs: [`refs/pull/${number}/merge`],
        description: `pull request #${number} was closed`,
        readOnlyToken,
        pullRequest: number
      }
    }
    return { description: `${eventName} (${p.action ?? 'no action'}): every ref`, readOnlyToken }
  }
  if (eventName === 'delete' && typeof p.ref === 'string' && p.ref !== '') {
    const short = p.ref.replace(/^refs\/(heads|tags)\//, '')
    const tag = p.ref_type === 'tag'
    return {
      refs: [tag ? `refs/tags/${short}` : `refs/heads/${short}`],
      description: `${tag ? 'tag' : 'branch'} ${short} was deleted`,
      readOnlyToken: false
    }
  }
  return { description: `${eventName || 'no event'}: every ref`, readOnlyToken: false }
}
