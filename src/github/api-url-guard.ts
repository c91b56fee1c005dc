// A GITHUB_API_URL that is not a URL must fail the run with a message that
// names it, before any request. (@actions/github, no longer a dependency,
// used to throw on it at import.) Both entry points import this module
// first: it sets an unusable value aside, so nothing reads it by accident,
// and keeps it for the input check, which then fails the run with a message
// that names GITHUB_API_URL.

const given = process.env.GITHUB_API_URL

function parses(value: string): boolean {
  try {
    new URL(value)
    return true
  } catch {
    return false
  }
}

if (given !== undefined && given.trim() !== '' && !parses(given.trim())) {
  delete process.env.GITHUB_API_URL
}

/** GITHUB_API_URL as the environment gave it, even a value set aside here. */
export const apiUrlAsGiven = (env: NodeJS.ProcessEnv): string | undefined =>
  env.GITHUB_API_URL ?? given
