// A run that ended by an exception, in words: an input mistake names the
// input, an API failure says what to change, anything else is a bug and says
// so with its stack.

import { InputError } from '../engine/errors.js'
import { ApiError } from '../github/ports.js'
import { explainApiError } from './messages.js'

export type Failure =
  | { readonly kind: 'input'; readonly input: string; readonly message: string }
  | { readonly kind: 'api'; readonly message: string }
  | { readonly kind: 'bug'; readonly message: string }

export function describeFailure(error: unknown): Failure {
  if (error instanceof InputError) {
    return { kind: 'input', input: error.input, message: error.message }
  }
  if (error instanceof ApiError) return { kind: 'api', message: explainApiError(error) }
  return {
    kind: 'bug',
    message: `failed: ${(error as Error)?.stack ?? String(error)}`
  }
}
