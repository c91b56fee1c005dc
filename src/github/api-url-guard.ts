// @actions/github reads GITHUB_API_URL when it is first imported and throws
// on a value that is not a URL, before any of our code can say which setting
// is wrong. Both entry points import this module first: it sets an unusable
// value aside, so the import succeeds, and keeps it for the input check,
// which then fails the run with a message that names GITHUB_API_URL.

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
