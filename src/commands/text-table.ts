// A plain-text table for a log or a terminal: columns padded to their widest
// cell, two spaces apart, some aligned right, an optional rule under the head.

export interface TextTableOptions {
  /** indexes of the columns aligned right (numbers, sizes) */
  readonly right?: readonly number[]
  /** a line of dashes under the head */
  readonly rule?: boolean
}

export function textTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: TextTableOptions = {}
): string[] {
  const right = options.right ?? []
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)))
  const line = (row: readonly string[]): string =>
    widths
      .map((w, i) => (right.includes(i) ? (row[i] ?? '').padStart(w) : (row[i] ?? '').padEnd(w)))
      .join('  ')
      .trimEnd()
  const rule = options.rule ? [widths.map(w => '-'.repeat(w)).join('  ')] : []
  return [line(head), ...rule, ...rows.map(line)]
}
