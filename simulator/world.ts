// What exists in the repository at a moment of the simulation: open pull
// requests, branches and tags. It answers what the stale-ref look-ups would
// (which refs are dead) and how many names each list would page through.

import type { Activity } from './generate.js'

export class World {
  private readonly open = new Set<number>()
  private readonly branches = new Set<string>()
  private readonly tags = new Set<string>()
  /** refs that existed and no longer do */
  private readonly dead = new Set<string>()

  constructor(readonly defaultBranch: string) {
    this.branches.add(defaultBranch)
  }

  apply(a: Activity): void {
    switch (a.kind) {
      case 'pr-opened':
        this.open.add(a.number)
        break
      case 'pr-closed':
        this.open.delete(a.number)
        this.dead.add(`refs/pull/${a.number}/merge`)
        break
      case 'ref-created':
        if (a.ref.startsWith('refs/tags/')) this.tags.add(a.ref.slice('refs/tags/'.length))
        else this.branches.add(a.ref.slice('refs/heads/'.length))
        this.dead.delete(a.ref)
        break
      case 'ref-deleted':
        if (a.ref.startsWith('refs/tags/')) this.tags.delete(a.ref.slice('refs/tags/'.length))
        else this.branches.delete(a.ref.slice('refs/heads/'.length))
        this.dead.add(a.ref)
        break
      case 'run':
        break
    }
  }

  /** The dead refs among `refs`: what a correct stale-ref look-up answers. */
  staleAmong(refs: Iterable<string>): Set<string> {
    const out = new Set<string>()
    for (const ref of refs) if (this.dead.has(ref)) out.add(ref)
    return out
  }

  get openPullCount(): number {
    return this.open.size
  }
  get branchCount(): number {
    return this.branches.size
  }
  get tagCount(): number {
    return this.tags.size
  }
}
