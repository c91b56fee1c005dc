// The `repository` input as a set of one organization's repositories: a
// pattern, `my-org/*`, with `!` lines that exclude; or a list, one
// `owner/name` a line (a shard of `command: usage`'s `repository-shards`).
// Pure.

import { InputError } from './errors.js'
import { parseLines, parseRepository, parseRepositoryPattern } from './parse.js'
import { compilePatterns } from './patterns.js'

export interface RepoPattern {
  readonly owner: string
  /** the input's lines, as written */
  readonly lines: readonly string[]
  /**
   * Set when the input is a list (two lines or more, none with a wildcard or
   * a `!`): exactly these repositories, as `owner/name`, in the order given,
   * each once (case-insensitively, as GitHub compares names). A list is
   * pruned without the organization's usage report.
   */
  readonly list?: readonly string[]
  /** does `owner/name` belong to the pattern (case-insensitive, like GitHub's names) */
  matches(fullName: string): boolean
}

const WILDCARD = /[*?]/

const isPlain = (line: string): boolean => !WILDCARD.test(line) && !line.startsWith('!')

/**
 * Reads the `repository` input as a pattern or a list over one
 * organization's repositories, or returns undefined when it names one
 * repository (one line, no wildcard, no `!`). Every line must name the same
 * owner. In a pattern `!` lines exclude and at least one line must include;
 * in a list every line is a repository name as GitHub allows it.
 */
export function parseRepoPattern(text: string, input: string): RepoPattern | undefined {
  const lines = parseLines(text)
  if (lines.length === 0) return undefined
  if (lines.every(isPlain)) return lines.length === 1 ? undefined : parseRepoList(lines, input)
  let owner: string | undefined
  const names: string[] = []
  for (const line of lines) {
    const negated = line.startsWith('!')
    const parsed = parseRepositoryPattern(negated ? line.slice(1) : line, input)
    if (owner !== undefined && parsed.owner.toLowerCase() !== owner.toLowerCase()) {
      throw new InputError(
        input,
        `'${line}' names the owner '${parsed.owner}', but '${lines[0].replace(/^!/, '')}' names '${owner}': a pattern covers the repositories of one organization`
      )
    }
    owner ??= parsed.owner
    // Names are matched case-insensitively, as GitHub resolves them; the
    // pattern alphabet (letters, digits, - _ . * ?) lower-cases safely.
    names.push(`${negated ? '!' : ''}${parsed.pattern.toLowerCase()}`)
  }
  if (names.every(n => n.startsWith('!'))) {
    throw new InputError(
      input,
      `only excludes; add a line that includes, like '${owner}/*' before the '!' lines`
    )
  }
  const matcher = compilePatterns(names, 'key', input)
  const own = (owner as string).toLowerCase()
  return Object.freeze({
    owner: owner as string,
    lines,
    matches: (fullName: string): boolean => {
      const at = fullName.indexOf('/')
      if (at < 0 || fullName.slice(0, at).toLowerCase() !== own) return false
      return matcher?.matches(fullName.slice(at + 1).toLowerCase()) ?? false
    }
  })
}

/** A list of repositories of one owner, each line checked as GitHub checks names. */
function parseRepoList(lines: readonly string[], input: string): RepoPattern {
  const first = parseRepository(lines[0], input)
  const own = first.owner.toLowerCase()
  const seen = new Set<string>()
  const list: string[] = []
  for (const line of lines) {
    const { owner, repo } = parseRepository(line, input)
    if (owner.toLowerCase() !== own) {
      throw new InputError(
        input,
        `'${line}' names the owner '${owner}', but '${lines[0]}' names '${first.owner}': a list names repositories of one owner`
      )
    }
    const full = `${owner}/${repo}`
    if (seen.has(full.toLowerCase())) continue
    seen.add(full.toLowerCase())
    list.push(full)
  }
  return Object.freeze({
    owner: first.owner,
    lines,
    list,
    matches: (fullName: string): boolean => seen.has(fullName.toLowerCase())
  })
}
