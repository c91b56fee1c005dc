// Unicode bars and percentages for usage tables: they render in a job
// summary, a log and a terminal alike.

const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']

/** A bar of `width` cells for a fraction in [0, 1] (clamped), in eighths of a cell. */
export function bar(fraction: number, width = 20): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0
  const eighths = Math.round(f * width * 8)
  const full = Math.floor(eighths / 8)
  const part = BLOCKS[eighths % 8]
  const drawn = '█'.repeat(full) + part
  return drawn + '░'.repeat(Math.max(0, width - full - (part ? 1 : 0)))
}

export const percent = (f: number): string => {
  const p = f * 100
  if (p > 0 && p < 0.1) return '<0.1%'
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`
}
