// The action's inputs as the commands read them: through @actions/core, with
// the token masked in the log the moment it is read.

import * as core from '@actions/core'
import { Input, type InputGetter } from '../engine/inputs.js'

export const getInput: InputGetter = name => {
  const value = core.getInput(name)
  if (name === Input.Token && value.trim() !== '') core.setSecret(value.trim())
  return value
}
