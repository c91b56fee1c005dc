// Tables on the command line's stdout. On a terminal: columns padded to
// their widest cell, measured in terminal columns, and fitted to the
// terminal's width by cutting long cells (cache keys, refs) in the middle.
// Into a pipe: tab-separated values, no padding, no colour, as gh prints.
// Cells are made visible() by the caller: a tab or a newline in a key is an
// escape by then, so it can neither break a row nor move the cursor.

import { displayWidth, fitMiddle, padTo } from '../engine/width.js'

/** Where stdout goes: a terminal of some width, or a pipe. */
export interface Layout {
  readonly tty: boolean
  /** the terminal's width (only read on a terminal) */
  readonly columns: number
}

export interface TableSpec {
  readonly head: readonly string[]
  readonly rows: readonly (readonly string[])[]
  /** columns aligned right (numbers, sizes) */
  readonly right?: readonly number[]
  /** columns that may be cut to fit, the first cut first (keys before refs) */
  readonly shrink?: readonly number[]
  /** print the head into a pipe too (list and delete print rows only, as gh does) */
  readonly headInTsv?: boolean
}

/** No column is cut below this many terminal columns. */
const MIN_CELL = 12
const GAP = 2

export function renderTable(spec: TableSpec, layout: Layout): string[] {
  if (!layout.tty) {
    const rows = spec.headInTsv ? [spec.head, ...spec.rows] : spec.rows
    return rows.map(row => row.join('\t'))
  }
  const widths = spec.head.map((h, i) =>
    Math.max(displayWidth(h), ...spec.rows.map(r => displayWidth(r[i] ?? '')))
  )
  const total = (): number => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1)
  for (const i of spec.shrink ?? []) {
    const over = total() - layout.columns
    if (over <= 0) break
    const floor = Math.max(MIN_CELL, displayWidth(spec.head[i]))
    widths[i] = Math.max(floor, widths[i] - over)
  }
  const right = spec.right ?? []
  const line = (row: readonly string[]): string =>
    widths
      .map((w, i) => padTo(fitMiddle(row[i] ?? '', w), w, right.includes(i) ? 'right' : 'left'))
      .join(' '.repeat(GAP))
      .trimEnd()
  return [line(spec.head), ...spec.rows.map(line)]
}
