// The job summary's byte budget. GitHub takes at most 1 MiB from a step's
// summary and drops the whole of a larger one (the run shows only "upload
// aborted"), so the parts whose length the API decides (a row per cache, a
// section per ref or per repository, each up to a few hundred characters of
// someone else's key) are written into a Room: lines go in while they fit,
// and the caller says how many were left out.

/** One step's summary limit, in bytes. */
export const SUMMARY_LIMIT = 1024 * 1024

/**
 * What the listed parts of one summary may take: the rest (headline, counts,
 * reasons kept) is a few kilobytes, so a summary stays well under the limit.
 */
export const LISTED_ROOM = 640 * 1024

const encoder = new TextEncoder()
const bytes = (line: string): number => encoder.encode(line).length + 1 // and its newline

export class Room {
  private left: number

  constructor(size: number) {
    this.left = size
  }

  /** Bytes not yet taken. */
  get free(): number {
    return this.left
  }

  /**
   * Takes the lines if all of them fit, plus `reserve` bytes kept free for
   * what must follow them (a closing tag, a "… more" line); false and nothing
   * taken otherwise.
   */
  take(lines: readonly string[], reserve = 0): boolean {
    const size = lines.reduce((total, line) => total + bytes(line), 0)
    if (size + reserve > this.left) return false
    this.left -= size
    return true
  }
}
