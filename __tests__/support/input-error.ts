// The InputError a call throws: the test fails when it throws nothing or
// something else. Shared by the tests of the input parsers and the rules reader.

import { expect } from '@jest/globals'
import { InputError } from '../../src/engine/errors.js'

export function inputError(f: () => unknown): InputError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError, nothing was thrown')
}
