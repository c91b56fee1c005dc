// Errors that cross module boundaries. An InputError always names the input
// (or policy field) at fault; it is raised before any request is made.

export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string
  ) {
    super(`Input '${input}': ${message}`)
    this.name = 'InputError'
  }
}
