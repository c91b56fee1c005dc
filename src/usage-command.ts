// The usage command (being built).
import { InputError } from './errors.js'
import type { RunEnvironment } from './runtime.js'

export async function usageCommand(_runtime: RunEnvironment): Promise<void> {
  throw new InputError('command', 'usage is not available yet')
}
