// A plain-text table for a log or a terminal: columns padded to their widest
// cell (measured in terminal columns, so wide characters line up), two
// spaces apart, some aligned right, an optional rule under the head. For a
// pipe, `tsv` gives tab-separated values: no padding, no rule.

import { displayWidth, padTo } from '../engine/width.js'

export interface TextTableOptions {
  /** indexes of the columns aligned right (numbers, sizes) */
  readonly right?: readonly number[]
  /** a line of dashes under the head */
  readonly rule?: boolean
  /** tab-separated values, for a pipe: cells as they are, a tab between them */
  readonly tsv?: boolean
}

export function textTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: TextTableOptions = {}
): string[] {
  if (options.tsv) return [head, ...rows].map(row => row.join('\t'))
  const right = options.right ?? []
  const widths = head.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map(r => displayWidth(r[i] ?? '')))
  )
  const line = (row: readonly string[]): string =>
    widths
      .map((w, i) => padTo(row[i] ?? '', w, right.includes(i) ? 'right' : 'left'))
      .join('  ')
      .trimEnd()
  const rule = options.rule ? [widths.map(w => '-'.repeat(w)).join('  ')] : []
  return [line(head), ...rule, ...rows.map(line)]
}
