// Value parsers for the action's inputs, and the two formatters that reports
// use to print sizes and durations. Pure: every parser either returns a value
// (undefined for an empty input, where that means "unset") or throws an
// InputError that names the input, says what was expected and gives an example.

import { InputError } from './errors.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const WEEK = 7 * DAY

const DURATION_UNITS: Readonly<Record<string, number>> = { m: MINUTE, h: HOUR, d: DAY, w: WEEK }
const DURATION_HELP = 'units: m (minutes), h (hours), d (days), w (weeks)'

// A positive decimal: digits, optionally a dot and more digits. No sign, no
// exponent, no leading or trailing dot.
const DECIMAL = '(\\d+(?:\\.\\d+)?)'

const show = (text: string): string => `'${text}'`

/**
 * A duration such as `90m`, `36h`, `7d`, `2w` or `1.5d`, in milliseconds.
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

// Size units are matched case-insensitively (`MB`, `mb` and `Mb` all mean
// 10^6 bytes; `MiB` and `mib` mean 2^20). A cache size is never in bits, so
// reading `b` as bytes loses nothing.
const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40
}
const SIZE_HELP = 'units: B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024)'

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

// GitHub owners and repository names: letters, digits, `-`, `_` and `.`.
const NAME = /^[A-Za-z0-9_.-]+$/
const NAME_PATTERN = /^[A-Za-z0-9_.*?-]+$/
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
  if (!NAME.test(owner) || owner.length > MAX_NAME) {
    throw new InputError(
      input,
      `${show(t)}: the owner ${show(owner)} may only hold letters, digits, '-', '_' and '.'; ${REPO_EXAMPLE}`
    )
  }
  refuseDotsAndDash(owner, 'owner', t, input)
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
  const allowed = pattern ? NAME_PATTERN : NAME
  const chars = pattern
    ? "letters, digits, '-', '_', '.' and the wildcards '*' and '?'"
    : "letters, digits, '-', '_' and '.'"
  if (!allowed.test(name) || name.length > MAX_NAME) {
    throw new InputError(
      input,
      `${show(full.trim())}: the name ${show(name)} may only hold ${chars} (at most ${MAX_NAME}); ${REPO_EXAMPLE}`
    )
  }
  refuseDotsAndDash(name, 'name', full.trim(), input)
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
  const exact = choices.find(c => c === t)
  if (exact !== undefined) return exact
  const folded = choices.find(c => c.toLowerCase() === t.toLowerCase())
  if (folded !== undefined) return folded
  const list = choices.map(show).join(', ')
  throw new InputError(
    input,
    `${show(t)} is not one of ${list}; for example '${choices[0] ?? defaultValue}'`
  )
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB']

/**
 * Binary sizes with three significant digits (whole numbers from 100 up):
 * `0 B`, `512 B`, `1.5 KiB`, `234 MiB`, `1.21 GiB`, `1000 MiB`.
 */
/** A count with thousands separators, the same on every machine: 12,345. */
export const formatCount = (x: number): string => x.toLocaleString('en-US')

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return `${n} B`
  if (n < 0) return `-${formatBytes(-n)}`
  if (n < 1024) return `${Math.round(n)} B`
  let unit = 0
  let value = n
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  // three significant digits, but whole numbers from 100 up (1000-1023 keep their digits)
  let rounded = value >= 100 ? Math.round(value) : Number(value.toPrecision(3))
  // 1023.9 KiB rounds to 1024 KiB: say 1 MiB instead.
  if (rounded >= 1024 && unit < BYTE_UNITS.length - 1) {
    unit++
    rounded = 1
  }
  return `${rounded} ${BYTE_UNITS[unit]}`
}

/**
 * A short, truncated (never rounded up) duration: `45s` under a minute, `45m`
 * under an hour, `36h` or `1h 30m` under two days, then `9d 4h` or `7d`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms)
  if (ms < 0) return `-${formatDuration(-ms)}`
  if (ms < MINUTE) return `${Math.floor(ms / 1000)}s`
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m`
  const two = (big: number, bigUnit: string, small: number, smallUnit: string): string => {
    const a = Math.floor(ms / big)
    const b = Math.floor((ms - a * big) / small)
    return b === 0 ? `${a}${bigUnit}` : `${a}${bigUnit} ${b}${smallUnit}`
  }
  if (ms < 2 * DAY) return two(HOUR, 'h', MINUTE, 'm')
  return two(DAY, 'd', HOUR, 'h')
}
