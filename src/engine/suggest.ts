// "Did you mean ...?": the known name a mistyped one most likely means, for
// the rules document's fields and the command line's flags alike.

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]
}

/** The known name nearest to `name`, if it is within `maxDistance` edits (the first on a tie). */
export function nearest(
  name: string,
  known: readonly string[],
  maxDistance: number
): string | undefined {
  let best: string | undefined
  let bestDistance = maxDistance + 1
  for (const k of known) {
    const d = editDistance(name, k)
    if (d < bestDistance) {
      best = k
      bestDistance = d
    }
  }
  return best
}
