// How reports print counts, sizes, durations and text chosen by others, the
// same in the log, the job summary and the terminal. Pure.
//
// Cache keys, branch names, repository names and server messages are chosen
// by others; shown through visible(), a value is one line of printable text:
// line breaks, control characters (C0, DEL, C1, so no ANSI or OSC sequence),
// bidirectional controls and line separators appear as escapes a person can
// read, and a value longer than a bound is cut in the middle.

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB']

/** A count with thousands separators, the same on every machine: 12,345. */
export const formatCount = (x: number): string => x.toLocaleString('en-US')

/**
 * Binary sizes with three significant digits (whole numbers from 100 up):
 * `0 B`, `512 B`, `1.5 KiB`, `234 MiB`, `1.21 GiB`, `1000 MiB`.
 */
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

/** Longest value shown whole; beyond it, the middle is cut. */
const MAX_SHOWN = 300

const NAMED: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u001b': '\\e'
}

// C0 controls and DEL, C1 controls, the bidirectional controls (embeddings,
// overrides, isolates and marks), zero-width joiners and the Unicode line and
// paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g

const escapeOne = (ch: string): string => {
  const named = NAMED[ch]
  if (named) return named
  const code = ch.charCodeAt(0)
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u{${code.toString(16).padStart(4, '0')}}`
}

/** A value as one line of printable text, bounded in length. */
export function visible(value: string, max: number = MAX_SHOWN): string {
  const text = String(value)
  if (text.length <= max) return text.replace(UNSAFE, escapeOne)
  // cut by code points, so no surrogate pair is split
  const points = Array.from(text)
  if (points.length <= max) return text.replace(UNSAFE, escapeOne)
  const head = points.slice(0, Math.ceil(max / 2)).join('')
  const tail = points.slice(points.length - Math.floor(max / 2)).join('')
  return `${head}…${tail}`.replace(UNSAFE, escapeOne)
}

/**
 * A line that the Actions runner can never read as a workflow command, for
 * its log and for a command line run in a workflow step. The runner reads a
 * line as a command when it starts with `::` after spaces, or when it holds
 * `##[` anywhere (the older form, still parsed): the first gets a visible
 * mark in front, the second a space inside.
 */
export function commandSafe(line: string): string {
  const older = line.replace(/##\[/g, '## [')
  return /^\s*::/.test(older) ? `» ${older}` : older
}
