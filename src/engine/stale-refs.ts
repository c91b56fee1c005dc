// Which refs are dead: closed pull requests, deleted branches and tags, and
// merge-queue branches that are gone or whose pull request is closed.
//
// Pure: classifyRef / lookupNeeds say what must be asked, chooseStrategy says
// how (per ref, or by paging the whole list), and deadRefs turns the answers
// into the set of dead refs. run/stale-refs.ts asks GitHub; a ref counts as
// dead only on a successful answer.

// ---------------------------------------------------------------------------
// What a ref points at

export interface MergeQueueRef {
  /** the queue branch, without refs/heads/ */
  readonly branch: string
  /** the branch the pull request merges into */
  readonly base: string
  readonly pull: number
  readonly sha: string
}

export type RefTarget =
  | { readonly kind: 'pull'; readonly number: number }
  | { readonly kind: 'branch'; readonly name: string }
  | { readonly kind: 'queue'; readonly queue: MergeQueueRef }
  | { readonly kind: 'tag'; readonly name: string }
  /** anything else (refs/remotes/..., refs/notes/...): never judged stale */
  | { readonly kind: 'other' }

const QUEUE = /^refs\/heads\/(gh-readonly-queue\/(.+)\/pr-(\d+)-([0-9a-f]{40}))$/

/**
 * `refs/heads/gh-readonly-queue/<base>/pr-<N>-<sha>` (the base may hold
 * slashes, like `release/1.x`); undefined for any other ref.
 */
export function parseMergeQueueRef(ref: string): MergeQueueRef | undefined {
  const m = QUEUE.exec(ref)
  if (!m) return undefined
  const pull = Number(m[3])
  if (!Number.isSafeInteger(pull) || pull < 1) return undefined
  return { branch: m[1], base: m[2], pull, sha: m[4] }
}

export function classifyRef(ref: string): RefTarget {
  const pull = /^refs\/pull\/(\d+)\/[^/]+$/.exec(ref)
  if (pull) {
    const n = Number(pull[1])
    return Number.isSafeInteger(n) && n >= 1 ? { kind: 'pull', number: n } : { kind: 'other' }
  }
  const queue = parseMergeQueueRef(ref)
  if (queue) return { kind: 'queue', queue }
  if (ref.startsWith('refs/heads/') && ref.length > 'refs/heads/'.length) {
    return { kind: 'branch', name: ref.slice('refs/heads/'.length) }
  }
  if (ref.startsWith('refs/tags/') && ref.length > 'refs/tags/'.length) {
    return { kind: 'tag', name: ref.slice('refs/tags/'.length) }
  }
  return { kind: 'other' }
}

/** The distinct names to look up, sorted. */
export interface LookupNeeds {
  readonly pulls: readonly number[]
  readonly branches: readonly string[]
  readonly tags: readonly string[]
}

/**
 * What must be asked to judge `refs`: a merge-queue ref needs both its queue
 * branch and its pull request.
 */
export function lookupNeeds(refs: Iterable<string>): LookupNeeds {
  const pulls = new Set<number>()
  const branches = new Set<string>()
  const tags = new Set<string>()
  for (const ref of refs) {
    const t = classifyRef(ref)
    if (t.kind === 'pull') pulls.add(t.number)
    else if (t.kind === 'branch') branches.add(t.name)
    else if (t.kind === 'tag') tags.add(t.name)
    else if (t.kind === 'queue') {
      branches.add(t.queue.branch)
      pulls.add(t.queue.pull)
    }
  }
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
  return {
    pulls: [...pulls].sort((a, b) => a - b),
    branches: [...branches].sort(text),
    tags: [...tags].sort(text)
  }
}

// ---------------------------------------------------------------------------
// What the look-ups established

/**
 * For one kind: either every live name (a list paged to its end), or an
 * answer (alive or not) for each name asked.
 */
export type Known<T> =
  { readonly complete: ReadonlySet<T> } | { readonly answers: ReadonlyMap<T, boolean> }

export interface RefFacts {
  /** pull requests that are open */
  readonly pulls: Known<number>
  readonly branches: Known<string>
  readonly tags: Known<string>
}

function alive<T>(known: Known<T>, name: T, what: string): boolean {
  if ('complete' in known) return known.complete.has(name)
  const answer = known.answers.get(name)
  // A name nobody asked about is never taken for dead.
  if (answer === undefined) throw new Error(`stale refs: ${what} ${String(name)} was not looked up`)
  return answer
}

/**
 * The dead refs among `refs`: a pull ref whose pull request is not open, a
 * branch or tag that does not exist, a merge-queue ref whose queue branch is
 * gone or whose pull request is not open. Other refs are never dead.
 */
export function deadRefs(refs: Iterable<string>, facts: RefFacts): Set<string> {
  const dead = new Set<string>()
  for (const ref of refs) {
    const t = classifyRef(ref)
    let isDead = false
    if (t.kind === 'pull') isDead = !alive(facts.pulls, t.number, 'pull request')
    else if (t.kind === 'branch') isDead = !alive(facts.branches, t.name, 'branch')
    else if (t.kind === 'tag') isDead = !alive(facts.tags, t.name, 'tag')
    else if (t.kind === 'queue') {
      isDead =
        !alive(facts.branches, t.queue.branch, 'branch') ||
        !alive(facts.pulls, t.queue.pull, 'pull request')
    }
    if (isDead) dead.add(ref)
  }
  return dead
}

// ---------------------------------------------------------------------------
// Asking per ref or paging

type Strategy = 'per-ref' | 'page'

export interface LookupChoice {
  readonly strategy: Strategy
  /** for the log */
  readonly why: string
}

/**
 * Before anything is paged, asking per ref costs one request per name and
 * paging at least one (a typical repository has under 100 open pull requests,
 * so one page): ask per ref only for a handful of names.
 */
export const PER_REF_AT_MOST = 2

/**
 * How to learn about `unresolved` names. `pagesLeft` is what is left of a
 * list being paged (from its Link rel="last"), undefined before the first page
 * or when the server does not say. Paging wins ties: it costs the same and
 * answers for every name.
 */
export function chooseStrategy(
  unresolved: number,
  pagesLeft: number | undefined,
  perRefAtMost: number = PER_REF_AT_MOST
): LookupChoice {
  if (pagesLeft === undefined) {
    return unresolved <= perRefAtMost
      ? {
          strategy: 'per-ref',
          why: `${unresolved} to look up (at most ${perRefAtMost}): asking for each, ${unresolved} requests`
        }
      : {
          strategy: 'page',
          why: `${unresolved} to look up (more than ${perRefAtMost}): paging the list, 100 a page`
        }
  }
  return unresolved < pagesLeft
    ? {
        strategy: 'per-ref',
        why: `${unresolved} still unknown, fewer than the ${pagesLeft} pages left: asking for each`
      }
    : {
        strategy: 'page',
        why: `${unresolved} still unknown, ${pagesLeft} pages left: paging on`
      }
}
