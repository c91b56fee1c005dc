// How reports print counts, sizes and durations, the same in the log, the
// job summary and the terminal. Pure.

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
