// How many terminal columns a text takes, and fitting a text into a number of
// columns by cutting its middle. Pure. Terminals draw East Asian wide and
// fullwidth characters and emoji in two columns, combining marks and
// zero-width characters in none; a grapheme cluster (a letter with its
// accents, an emoji sequence joined by ZWJ) is drawn as one glyph, as wide as
// its widest code point. Text here has been through visible() already: no
// control characters are left to measure.

// Wide and fullwidth blocks (Unicode's East Asian Width W and F): Hangul Jamo,
// CJK radicals to Yi, Hangul syllables, CJK compatibility, vertical and small
// forms, fullwidth forms, and the supplementary ideographic planes.
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1b000, 0x1b2ff],
  [0x1f200, 0x1f2ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd]
]

const EMOJI = /\p{Emoji_Presentation}/u
// combining marks, format characters (ZWJ, variation selectors are Mn), and Hangul medial/final jamo
const ZERO = /^[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff]$/u

function isWide(code: number): boolean {
  for (const [from, to] of WIDE) {
    if (code < from) return false
    if (code <= to) return true
  }
  return false
}

/** Columns of one code point: 0, 1 or 2. */
function pointWidth(point: string): number {
  const code = point.codePointAt(0) ?? 0
  if (ZERO.test(point)) return 0
  if (isWide(code) || EMOJI.test(point)) return 2
  return 1
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' })

/** Columns of one grapheme cluster: its widest code point; an emoji variation selector makes it 2. */
function clusterWidth(cluster: string): number {
  if (cluster.length === 1) return pointWidth(cluster)
  if (cluster.includes('\ufe0f')) return 2
  let width = 0
  for (const point of cluster) width = Math.max(width, pointWidth(point))
  return width
}

const ASCII_PRINTABLE = /^[\x20-\x7e]*$/

/** The number of terminal columns `text` takes. */
export function displayWidth(text: string): number {
  if (ASCII_PRINTABLE.test(text)) return text.length
  let width = 0
  for (const { segment } of segmenter.segment(text)) width += clusterWidth(segment)
  return width
}

const ELLIPSIS = '…'

/**
 * `text` in at most `columns` columns: whole when it fits, else its start and
 * its end with '…' between them (the end of a cache key, its hash, tells
 * keys apart as much as its start). Never splits a grapheme cluster.
 */
export function fitMiddle(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text
  if (columns <= 0) return ''
  if (columns === 1) return ELLIPSIS
  const clusters = Array.from(segmenter.segment(text), s => s.segment)
  const budget = columns - 1
  const headBudget = Math.ceil(budget / 2)
  let head = ''
  let used = 0
  let i = 0
  for (; i < clusters.length; i++) {
    const w = clusterWidth(clusters[i])
    if (used + w > headBudget) break
    head += clusters[i]
    used += w
  }
  let tail = ''
  let tailUsed = 0
  for (let j = clusters.length - 1; j >= i; j--) {
    const w = clusterWidth(clusters[j])
    if (used + tailUsed + w > budget) break
    tail = clusters[j] + tail
    tailUsed += w
  }
  return `${head}${ELLIPSIS}${tail}`
}

/** `text` padded with spaces to `columns` columns, on the right or (for numbers) the left. */
export function padTo(text: string, columns: number, align: 'left' | 'right' = 'left'): string {
  const gap = ' '.repeat(Math.max(0, columns - displayWidth(text)))
  return align === 'left' ? text + gap : gap + text
}
