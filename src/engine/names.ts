// GitHub's rules for the names this project puts in URLs: owners (users,
// organizations, enterprises) and repositories. Inputs are checked against
// them before any request, and so are the names a server sends back (an
// organization's usage by repository), so a name can never walk out of its
// URL segment (`..`, `/`) or carry anything but the characters GitHub allows.

/**
 * Letters, digits, '-', '_' (managed users' `_shortcode`) and '.', not
 * starting with '-', at most 100, not '.' or '..'.
 */
const OWNER = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,99}$/

/** Letters, digits, '-', '_' and '.', at most 100, not '.' or '..', not starting with '-'. */
const REPOSITORY = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,99}$/

export const isOwnerName = (name: string): boolean =>
  OWNER.test(name) && name !== '.' && name !== '..'

export const isRepositoryName = (name: string): boolean =>
  REPOSITORY.test(name) && name !== '.' && name !== '..'

/** `owner/name` as GitHub spells a repository. */
export function isFullName(fullName: string): boolean {
  const parts = fullName.split('/')
  return parts.length === 2 && isOwnerName(parts[0]) && isRepositoryName(parts[1])
}
