// Value parsers for the action's inputs. Pure: every parser either returns a value
// (undefined for an empty input, where that means "unset") or throws an
// InputError that names the input, says what was expected and gives an example.

import { InputError } from './errors.js'
import { isOwnerName, isRepositoryName } from './names.js'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const WEEK = 7 * DAY

const DURATION_UNITS: Readonly<Record<string, number>> = {
  s: SECOND,
  m: MINUTE,
  h: HOUR,
  d: DAY,
  w: WEEK
}
const DURATION_HELP = 'units: s (seconds), m (minutes), h (hours), d (days), w (weeks)'

// A positive decimal: digits, optionally a dot and more digits. No sign, no
// exponent, no leading or trailing dot.
const DECIMAL = '(\\d+(?:\\.\\d+)?)'

const show = (text: string): string => `'${text}'`

/**
 * A duration such as `30s`, `90m`, `36h`, `7d`, `2w` or `1.5d`, in milliseconds.
 * Units are lowercase only; a bare number is refused (it would be ambiguous).
 * Empty or blank text is unset (undefined). Zero and negative durations are
 * refused.
 */
export function parseDuration(text: string, input: string): number | undefined {
  const t = text.trim()
  if (t === '') return undefined
  const example = `write it like '7d' (${DURATION_HELP})`
  if (/^[-+]/.test(t)) {
    throw new InputError(input, `${show(t)} is not a duration: it must be positive; ${example}`)
  }
  const m = new RegExp(`^${DECIMAL}\\s*([A-Za-z]*)$`).exec(t)
  if (!m) {
    throw new InputError(
      input,
      `${show(t)} is not a duration: expected one number and one unit, like '7d' or '36h' (${DURATION_HELP})`
    )
  }
  const [, num, unit] = m
  if (unit === '') {
    throw new InputError(input, `${show(t)} has no unit; ${example}`)
  }
  const factor = DURATION_UNITS[unit]
  if (factor === undefined) {
    const lower = unit.toLowerCase()
    if (DURATION_UNITS[lower] !== undefined) {
      throw new InputError(
        input,
        `${show(t)}: units are lowercase; write '${num}${lower}' (${DURATION_HELP})`
      )
    }
    throw new InputError(input, `${show(t)} has an unknown unit '${unit}'; ${example}`)
  }
  const ms = Math.round(Number(num) * factor)
  if (!Number.isFinite(ms) || ms > Number.MAX_SAFE_INTEGER) {
    throw new InputError(input, `${show(t)} is too long a duration; ${example}`)
  }
  if (ms <= 0) {
    throw new InputError(input, `${show(t)} must be longer than zero; ${example}`)
  }
  return ms
}

// Sizes are binary everywhere, as GitHub's cache limits are read: GB and GiB
// both mean 2^30 bytes, and reports print KiB, MiB, GiB (format.ts). Units
// are matched case-insensitively; a cache size is never in bits, so reading
// `b` as bytes loses nothing.
const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 2 ** 10,
  mb: 2 ** 20,
  gb: 2 ** 30,
  tb: 2 ** 40,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40
}
const SIZE_HELP = 'units: B, KB, MB, GB, TB, all powers of 1024 (KiB, MiB, GiB, TiB mean the same)'

/**
 * A size such as `500MB`, `500 MB`, `1.5GiB`, `200KiB`, `512B` or a plain
 * byte count `1048576`, in whole bytes (rounded). Empty is unset (undefined).
 * Zero is allowed; negative, fractional byte counts and anything else are not.
 */
export function parseSize(text: string, input: string): number | undefined {
  const t = text.trim()
  if (t === '') return undefined
  const example = `write it like '500MB', '1.5GiB' or a number of bytes (${SIZE_HELP})`
  if (/^[-+]/.test(t)) {
    throw new InputError(input, `${show(t)} is not a size: it must not be negative; ${example}`)
  }
  const m = new RegExp(`^${DECIMAL}\\s*([A-Za-z]*)$`).exec(t)
  if (!m) {
    throw new InputError(input, `${show(t)} is not a size; ${example}`)
  }
  const [, num, unit] = m
  const factor = unit === '' ? 1 : SIZE_UNITS[unit.toLowerCase()]
  if (factor === undefined) {
    throw new InputError(input, `${show(t)} has an unknown unit '${unit}'; ${example}`)
  }
  if (factor === 1 && num.includes('.')) {
    throw new InputError(
      input,
      `${show(t)}: a number of bytes must be whole; use a larger unit for fractions, like '1.5KiB'`
    )
  }
  const bytes = Math.round(Number(num) * factor)
  if (!Number.isFinite(bytes) || bytes > Number.MAX_SAFE_INTEGER) {
    throw new InputError(input, `${show(t)} is too large; ${example}`)
  }
  return bytes
}

export interface CountOptions {
  /** the smallest value allowed (default 0) */
  readonly min?: number
}

/** A whole non-negative number such as `0` or `25`. Empty is unset (undefined). */
export function parseCount(
  text: string,
  input: string,
  options: CountOptions = {}
): number | undefined {
  const t = text.trim()
  if (t === '') return undefined
  const min = options.min ?? 0
  if (!/^\d+$/.test(t)) {
    throw new InputError(input, `${show(t)} is not a whole number; write digits only, like '10'`)
  }
  const n = Number(t)
  if (!Number.isSafeInteger(n)) {
    throw new InputError(input, `${show(t)} is too large (at most ${Number.MAX_SAFE_INTEGER})`)
  }
  if (n < min) {
    throw new InputError(input, `${show(t)} is too small: it must be at least ${min}`)
  }
  return n
}

const TRUE = new Set(['true', 'yes', '1'])
const FALSE = new Set(['false', 'no', '0'])

/** `true`/`yes`/`1` or `false`/`no`/`0`, any case. Empty gives the default. */
export function parseBoolean(text: string, input: string, defaultValue: boolean): boolean {
  const t = text.trim()
  if (t === '') return defaultValue
  const lower = t.toLowerCase()
  if (TRUE.has(lower)) return true
  if (FALSE.has(lower)) return false
  throw new InputError(input, `${show(t)} is not a boolean; write 'true' or 'false'`)
}

/**
 * One item per line, each trimmed; empty lines are dropped. Commas are not
 * separators and `#` does not start a comment: both can be part of a value.
 */
export function parseLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map(line => line.trim())
    .filter(line => line !== '')
}

// A repository name pattern: a name's characters plus the wildcards.
const NAME_PATTERN = /^[A-Za-z0-9_.*?][A-Za-z0-9_.*?-]*$/
const MAX_NAME = 100
const REPO_EXAMPLE = "write it as owner/name, like 'octo-org/octo-repo'"

function splitRepository(text: string, input: string): { owner: string; name: string } {
  const t = text.trim()
  if (t === '') throw new InputError(input, `is empty; ${REPO_EXAMPLE}`)
  const parts = t.split('/')
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new InputError(input, `${show(t)} is not a repository; ${REPO_EXAMPLE}`)
  }
  const [owner, name] = parts
  refuseDotsAndDash(owner, 'owner', t, input)
  if (!isOwnerName(owner)) {
    throw new InputError(
      input,
      `${show(t)}: the owner ${show(owner)} may only hold letters, digits, '-', '_' and '.' (at most ${MAX_NAME}); ${REPO_EXAMPLE}`
    )
  }
  return { owner, name }
}

/**
 * What GitHub refuses beyond the alphabet: `.` and `..` (they would also
 * walk up a URL path) and a leading `-` (GitHub never starts a name with one;
 * a command-line tool would read it as an option).
 */
function refuseDotsAndDash(part: string, what: string, full: string, input: string): void {
  if (part === '.' || part === '..') {
    throw new InputError(input, `${show(full)}: ${show(part)} is not a repository ${what}`)
  }
  if (part.startsWith('-')) {
    throw new InputError(
      input,
      `${show(full)}: the ${what} ${show(part)} starts with '-', which GitHub does not allow; ${REPO_EXAMPLE}`
    )
  }
}

function checkName(name: string, full: string, input: string, pattern: boolean): void {
  refuseDotsAndDash(name, 'name', full.trim(), input)
  const chars = pattern
    ? "letters, digits, '-', '_', '.' and the wildcards '*' and '?', not starting with '-'"
    : "letters, digits, '-', '_' and '.', not starting with '-'"
  const ok = pattern ? NAME_PATTERN.test(name) && name.length <= MAX_NAME : isRepositoryName(name)
  if (!ok) {
    throw new InputError(
      input,
      `${show(full.trim())}: the name ${show(name)} may only hold ${chars} (at most ${MAX_NAME}); ${REPO_EXAMPLE}`
    )
  }
}

/** `owner/name`, as GitHub spells repositories. */
export function parseRepository(text: string, input: string): { owner: string; repo: string } {
  const { owner, name } = splitRepository(text, input)
  checkName(name, text, input, false)
  return { owner, repo: name }
}

/**
 * `owner/name` where the name may hold the wildcards `*` (any run of
 * characters) and `?` (one character), like `octo-org/*` or
 * `octo-org/service-*`. The owner must be literal.
 */
export function parseRepositoryPattern(
  text: string,
  input: string
): { owner: string; pattern: string } {
  const { owner, name } = splitRepository(text, input)
  checkName(name, text, input, true)
  return { owner, pattern: name }
}

/** One of `choices` (exact, or differing only in case). Empty gives the default. */
export function parseChoice<T extends string>(
  text: string,
  input: string,
  choices: readonly T[],
  defaultValue: T
): T {
  const t = text.trim()
  if (t === '') return defaultValue
  // no two choices differ only in case, so an exact match is also this one
  const folded = choices.find(c => c.toLowerCase() === t.toLowerCase())
  if (folded !== undefined) return folded
  const list = choices.map(show).join(', ')
  throw new InputError(
    input,
    `${show(t)} is not one of ${list}; for example '${choices[0] ?? defaultValue}'`
  )
}
