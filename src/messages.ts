// Turning an API failure into a sentence a person can act on. A raw
// "403 Resource not accessible by integration" tells nobody what to change.

import type { ApiError } from './api.js'

export function explainApiError(error: ApiError): string {
  const what = `GitHub answered ${error.status ?? 'nothing'} (${error.message}) to: ${error.request}.`
  switch (error.kind) {
    case 'forbidden':
      return (
        `${what} The token may not do this. Give the job permission to manage caches:\n` +
        '  permissions:\n    actions: write\n' +
        '(listing needs actions: read, deleting needs actions: write; organization and enterprise reports need an admin token).'
      )
    case 'unauthorized':
      return `${what} The token is invalid or has expired; check the 'token' input.`
    case 'not-found':
      return `${what} The repository does not exist, or the token cannot see it (GitHub answers 404 for private repositories a token cannot reach); check the 'repository' input.`
    case 'rate-limited':
    case 'secondary-rate-limit':
      return `${what} GitHub's rate limit stopped the run; run it again later or use a token with a larger budget.`
    default:
      return what
  }
}
