// The limits command (being built).
import { InputError } from './errors.js'
import type { RunEnvironment } from './runtime.js'

export async function limitsCommand(_runtime: RunEnvironment): Promise<void> {
  throw new InputError('command', 'limits is not available yet')
}
