// The `repository` input as a pattern over one organization's repositories:
// `my-org/*`, with `!` lines that exclude. Pure.

import { InputError } from './errors.js'
import { parseLines, parseRepositoryPattern } from './parse.js'
import { compilePatterns } from './patterns.js'

export interface RepoPattern {
  readonly owner: string
  /** the input's lines, as written */
  readonly lines: readonly string[]
  /** does `owner/name` belong to the pattern (case-insensitive, like GitHub's names) */
  matches(fullName: string): boolean
}

const WILDCARD = /[*?]/

/**
 * Reads the `repository` input as a pattern over one organization's
 * repositories, or returns undefined when it names one repository (one line,
 * no wildcard, no `!`). Every line must name the same owner; `!` lines
 * exclude; at least one line must include.
 */
export function parseRepoPattern(text: string, input: string): RepoPattern | undefined {
  const lines = parseLines(text)
  if (lines.length === 1 && !WILDCARD.test(lines[0]) && !lines[0].startsWith('!')) return undefined
  if (lines.length === 0) return undefined
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
