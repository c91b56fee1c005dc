// Turning an API failure into a sentence a person can act on. A raw
// "403 Resource not accessible by integration" tells nobody what to change.

import { visible } from '../engine/format.js'
import { ApiError } from '../github/ports.js'
import { DefaultBranchUnseenError, type StaleRefsError } from '../run/stale-refs.js'

// Which permission to name depends on what the request was for: the adapters
// tag every request with its purpose (operation and scope).
function adminPermission(error: ApiError): string | undefined {
  const accepted = error.headers?.['x-accepted-github-permissions']
  const says = accepted ? ` (GitHub says this request needs: ${accepted})` : ''
  const noWorkflowToken =
    ' The workflow GITHUB_TOKEN cannot get this permission; pass a token in a secret.'
  if (error.purpose?.scope === 'enterprise') {
    return (
      `Enterprise cache usage and limits need an enterprise owner's personal access token (classic) with the admin:enterprise scope (read:enterprise to read)${says}.` +
      noWorkflowToken
    )
  }
  if (error.purpose?.scope === 'organization') {
    return (
      `Organization cache usage and limits need organization administration: a GitHub App installation token with "Administration" organization permission (read to read, write to set limits), or an organization owner's personal access token with admin:org (read:org to read)${says}.` +
      noWorkflowToken
    )
  }
  if (error.purpose?.operation === 'set-limits') {
    return (
      `Changing a repository's cache limits needs repository administration: a GitHub App or fine-grained token with "Administration: write", or a repository admin's personal access token (classic) with the repo scope${says}.` +
      noWorkflowToken
    )
  }
  return undefined
}

export function explainApiError(error: ApiError): string {
  if (error.worded) return error.message
  const what = `GitHub answered ${error.status ?? 'nothing'} (${visible(error.message)}) to: ${visible(error.request)}.`
  const admin = error.kind === 'forbidden' ? adminPermission(error) : undefined
  if (admin) return `${what} ${admin}`
  switch (error.kind) {
    case 'client':
      if (error.purpose?.operation === 'set-limits') {
        return (
          `${what} GitHub refused the value. On github.com a public repository keeps caches for at most 90 days (365 for private ones) and storage goes up to 10,000 GB; ` +
          "on GitHub Enterprise Server a repository's size limit cannot exceed the enterprise's max-size-limit-gb (25 GB unless an enterprise owner raised it)."
        )
      }
      return what
    case 'forbidden':
      return (
        `${what} The token may not do this. Give the job permission to manage caches:\n` +
        '  permissions:\n    actions: write\n' +
        '(listing needs actions: read, deleting needs actions: write; organization and enterprise reports need an admin token).'
      )
    case 'unauthorized':
      return `${what} The token is invalid or has expired; check the token (the 'token' input; GH_TOKEN or GITHUB_TOKEN on the command line).`
    case 'not-found':
      return `${what} The repository does not exist, or the token cannot see it (GitHub answers 404 for private repositories a token cannot reach); check the repository name (the 'repository' input; --repo on the command line).`
    case 'rate-limited':
    case 'secondary-rate-limit':
      return `${what} GitHub's rate limit stopped the run; run it again later or use a token with a larger budget.`
    default:
      return what
  }
}

const STALE_REFS_PERMISSIONS =
  'permissions:\n    actions: write\n    contents: read        # branches and tags\n    pull-requests: read   # pull requests'

/** The message for a failed stale-ref look-up; a 403 or 404 names the permissions it needs. */
export function explainLookupFailure(failure: StaleRefsError): string {
  const head = `${failure.message}.`
  const error = failure.cause
  if (error instanceof DefaultBranchUnseenError) {
    return `${head} ${visible(error.message)}. Give the job\n  ${STALE_REFS_PERMISSIONS}`
  }
  if (error instanceof ApiError) {
    const answered = `GitHub answered ${error.status ?? 'nothing'} (${visible(error.message)}) to: ${visible(error.request)}.`
    if (error.kind === 'forbidden' || error.kind === 'not-found') {
      return (
        `${head} ${answered} Looking up refs needs the token to read pull requests and contents; give the job\n` +
        `  ${STALE_REFS_PERMISSIONS}`
      )
    }
    return `${head} ${answered} The next run tries again.`
  }
  return `${head} ${visible((error as Error)?.message ?? String(error))}`
}
