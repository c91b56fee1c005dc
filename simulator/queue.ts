// The simulation's agenda: things to do at simulated times, taken in order of
// time, then priority, then the order they were added, so that equal times
// never depend on the heap's internals.

interface Entry {
  readonly at: number
  readonly priority: number
  readonly seq: number
  readonly run: () => void
}

const before = (a: Entry, b: Entry): boolean =>
  a.at < b.at ||
  (a.at === b.at && (a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq)))

export class Agenda {
  private readonly heap: Entry[] = []
  private seq = 0

  get size(): number {
    return this.heap.length
  }

  add(at: number, priority: number, run: () => void): void {
    const heap = this.heap
    heap.push({ at, priority, seq: this.seq++, run })
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(heap[i], heap[parent])) break
      ;[heap[i], heap[parent]] = [heap[parent], heap[i]]
      i = parent
    }
  }

  /** Removes and returns the next entry, or undefined when there is none. */
  next(): { at: number; run: () => void } | undefined {
    const heap = this.heap
    if (heap.length === 0) return undefined
    const top = heap[0]
    const last = heap.pop() as Entry
    if (heap.length > 0) {
      heap[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < heap.length && before(heap[l], heap[m])) m = l
        if (r < heap.length && before(heap[r], heap[m])) m = r
        if (m === i) break
        ;[heap[i], heap[m]] = [heap[m], heap[i]]
        i = m
      }
    }
    return { at: top.at, run: top.run }
  }
}
