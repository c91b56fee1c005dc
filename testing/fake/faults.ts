// Switchable, seeded fault injection for the fake GitHub. Every decision is
// drawn from PRNG streams seeded by `seed`, in the order requests arrive, so a
// client that sends the same requests in the same order meets the same faults.
// Each injected fault is appended to `log`.

import { mulberry32, type Rng } from './seed.js'

interface SecondaryRateLimitConfig {
  /** the first limited request is eligible request number afterRequests + 1 (default 0) */
  afterRequests?: number
  /** after the first, every `every`-th eligible request is limited too (omitted: only once) */
  every?: number
  /** default 403 */
  status?: 403 | 429
  /** `retry-after` header in seconds (default 1); null sends no header */
  retryAfterSeconds?: number | null
  /** also limit when the points of the last 60 s (GET 1, mutating 5; the window scales with the server's timeScale) would exceed this */
  pointsPerMinute?: number
  /** also limit when more than this many requests are in flight */
  concurrency?: number
}

interface ConcurrentDeleterConfig {
  /** after this many list requests (GET .../actions/caches) of one repository... */
  afterListRequests: number
  /** ...someone else deletes this many random caches of it (once per repository) */
  count: number
}

interface EndlessPagesConfig {
  /** 'new': every page brings caches never listed before; 'same': every page repeats the same ones */
  ids: 'new' | 'same'
  /** the total_count every page claims (default 300) */
  totalCount?: number
  /**
   * "Forever", bounded: once this many endless pages were answered, list
   * requests get an empty last page. A client that never stops (the release
   * before issue 12) then finishes, and fails its test, instead of hanging it.
   */
  upTo: number
}

export interface FaultConfig {
  seed?: number
  /** random 500/502/503, answered with JSON or an HTML page */
  serverErrorRate?: number
  /** the `message` of injected JSON server errors (a hostile server chooses its words) */
  errorMessage?: string
  /** random 502/503 answered with GitHub's HTML error page */
  htmlErrorRate?: number
  /** destroy the socket without answering */
  dropRate?: number
  /** never answer; the socket stays open until the client gives up or the server closes */
  hangRate?: number
  secondaryRateLimit?: SecondaryRateLimitConfig
  /** rate at which a successful DELETE is performed but answered with 502 (a retry sees 404) */
  deleteSucceedsThenFails?: number
  concurrentDeleter?: ConcurrentDeleterConfig
  /**
   * a careless proxy: answer with this status (401, 403, 400, ...) and an
   * error message that quotes the request's Authorization header, token and all
   */
  echoAuthorization?: { status?: number }
  /**
   * a server whose list of caches never ends: every answer to GET
   * .../actions/caches is a full page of made-up caches with a next link
   */
  endlessPages?: EndlessPagesConfig
  /** faults apply only to paths (relative to the API base, decoded) matching this */
  onlyPaths?: RegExp
  /** stop injecting after this many faults */
  maxFaults?: number
}

export type FaultKind =
  | 'server-error'
  | 'html-error'
  | 'drop'
  | 'hang'
  | 'secondary-rate-limit'
  | 'delete-then-fail'
  | 'concurrent-deleter'
  | 'echo-authorization'
  | 'endless-page'

export interface FaultRecord {
  kind: FaultKind
  method: string
  path: string
  status?: number
  /** cache ids removed by the concurrent deleter */
  ids?: number[]
}

/** A fault decided before the request is authenticated or routed. */
export type EarlyFault =
  | { kind: 'server-error'; status: 500 | 502 | 503; html: boolean }
  | { kind: 'html-error'; status: 502 | 503; html: true }
  | { kind: 'drop' }
  | { kind: 'hang' }

export interface SecondaryLimitFault {
  kind: 'secondary-rate-limit'
  status: 403 | 429
  retryAfterSeconds: number | null
}

/** The first id of the made-up caches of endless pages, far from the store's own. */
const ENDLESS_FIRST_ID = 7_000_000_000

export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'

export const SERVER_ERROR_PAGE = `<!DOCTYPE html>
<html>
  <head>
    <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
    <title>Unicorn! &middot; GitHub</title>
  </head>
  <body>
    <div class="container">
      <h1>No server is currently available to service your request.</h1>
      <p>Sorry about that. Please try refreshing and contact us if the problem persists.</p>
    </div>
  </body>
</html>
`

export class FaultInjector {
  /** every injected fault, in order; kept across configure(), cleared by clearLog() */
  readonly log: FaultRecord[] = []
  private cfg: FaultConfig = {}
  private seed = 1
  /** how often each method and path has been asked, for the draws of beforeRequest */
  private readonly seen = new Map<string, number>()
  private deletes: Rng = mulberry32(2)
  private picks: Rng = mulberry32(3)
  private injected = 0
  private eligibleSeen = 0
  private endlessServed = 0
  private readonly listCounts = new Map<string, number>()
  private readonly deleterDone = new Set<string>()

  constructor(config: FaultConfig = {}) {
    this.configure(config)
  }

  get config(): Readonly<FaultConfig> {
    return this.cfg
  }

  /** Replaces the configuration and restarts the PRNG streams and counters (the log is kept). */
  configure(config: FaultConfig): void {
    this.cfg = { ...config }
    const seed = (config.seed ?? 1) >>> 0
    this.seed = seed
    this.seen.clear()
    this.deletes = mulberry32((seed ^ 0x9e3779b9) >>> 0)
    this.picks = mulberry32((seed + 0x7f4a7c15) >>> 0)
    this.injected = 0
    this.eligibleSeen = 0
    this.endlessServed = 0
    this.listCounts.clear()
    this.deleterDone.clear()
  }

  clearLog(): void {
    this.log.length = 0
  }

  /** Number of logged faults, of one kind or all. */
  count(kind?: FaultKind): number {
    return kind ? this.log.filter(f => f.kind === kind).length : this.log.length
  }

  /** Whether faults may hit this path now (onlyPaths and maxFaults). */
  applies(path: string): boolean {
    const { onlyPaths, maxFaults } = this.cfg
    if (maxFaults !== undefined && this.injected >= maxFaults) return false
    if (onlyPaths) {
      onlyPaths.lastIndex = 0
      if (!onlyPaths.test(path)) return false
    }
    return true
  }

  private record(entry: FaultRecord): void {
    this.injected++
    this.log.push(entry)
  }

  /** Decides a fault that strikes before authentication: 5xx, HTML page, dropped or hung socket. */
  beforeRequest(method: string, path: string): EarlyFault | undefined {
    const c = this.cfg
    const server = c.serverErrorRate ?? 0
    const html = c.htmlErrorRate ?? 0
    const drop = c.dropRate ?? 0
    const hang = c.hangRate ?? 0
    if (server + html + drop + hang <= 0 || !this.applies(path)) return undefined
    // The draws depend on the request (method, path, how often it was asked),
    // not on the order in which requests side by side arrive: a seed gives the
    // same faults however the client interleaves them.
    const id = `${method} ${path}`
    const n = (this.seen.get(id) ?? 0) + 1
    this.seen.set(id, n)
    const early = mulberry32(hashOf(`${this.seed}\u0000${id}\u0000${n}`))
    const u = early()
    let fault: EarlyFault | undefined
    if (u < server) {
      const v = early()
      const status = v < 1 / 3 ? 500 : v < 2 / 3 ? 502 : 503
      fault = { kind: 'server-error', status, html: early() < 0.5 }
    } else if (u < server + html) {
      fault = { kind: 'html-error', status: early() < 0.5 ? 502 : 503, html: true }
    } else if (u < server + html + drop) {
      fault = { kind: 'drop' }
    } else if (u < server + html + drop + hang) {
      fault = { kind: 'hang' }
    }
    if (fault) {
      this.record({
        kind: fault.kind,
        method,
        path,
        status: 'status' in fault ? fault.status : undefined
      })
    }
    return fault
  }

  /**
   * Decides a secondary rate limit for an authenticated request. `pointsLastMinute`
   * excludes this request, whose cost is `cost`; `inFlight` includes it.
   */
  secondaryLimit(
    method: string,
    path: string,
    load: { pointsLastMinute: number; cost: number; inFlight: number }
  ): SecondaryLimitFault | undefined {
    const s = this.cfg.secondaryRateLimit
    if (!s || !this.applies(path)) return undefined
    this.eligibleSeen++
    const n = this.eligibleSeen
    const countBased =
      s.afterRequests !== undefined ||
      s.every !== undefined ||
      (s.pointsPerMinute === undefined && s.concurrency === undefined)
    let hit = false
    if (countBased) {
      const after = s.afterRequests ?? 0
      if (n > after) {
        const k = n - after - 1
        hit = s.every !== undefined && s.every > 0 ? k % s.every === 0 : k === 0
      }
    }
    if (s.pointsPerMinute !== undefined && load.pointsLastMinute + load.cost > s.pointsPerMinute) {
      hit = true
    }
    if (s.concurrency !== undefined && load.inFlight > s.concurrency) hit = true
    if (!hit) return undefined
    const status = s.status ?? 403
    this.record({ kind: 'secondary-rate-limit', method, path, status })
    return {
      kind: 'secondary-rate-limit',
      status,
      retryAfterSeconds: s.retryAfterSeconds === undefined ? 1 : s.retryAfterSeconds
    }
  }

  /** The status to answer with an echo of the Authorization header, when that fault is on for `path`. */
  echoAuthorization(method: string, path: string): number | undefined {
    const echo = this.cfg.echoAuthorization
    if (!echo || !this.applies(path)) return undefined
    const status = echo.status ?? 401
    this.record({ kind: 'echo-authorization', method, path, status })
    return status
  }

  /**
   * For a list request while endless pages are on: the made-up page to answer
   * (ids of `perPage` caches, all new or always the same, and the total_count
   * to claim), empty once `upTo` pages were answered. Undefined when off.
   */
  endlessPage(
    method: string,
    path: string,
    perPage: number
  ): { ids: number[]; totalCount: number } | undefined {
    const e = this.cfg.endlessPages
    if (!e || !this.applies(path)) return undefined
    const totalCount = e.totalCount ?? 300
    if (this.endlessServed >= e.upTo) return { ids: [], totalCount }
    const first = ENDLESS_FIRST_ID + (e.ids === 'new' ? this.endlessServed * perPage : 0)
    this.endlessServed++
    this.record({ kind: 'endless-page', method, path, status: 200 })
    return { ids: Array.from({ length: perPage }, (_, i) => first + i), totalCount }
  }

  /** After a DELETE succeeded: answer 502 instead? */
  deleteShouldFail(method: string, path: string): boolean {
    const rate = this.cfg.deleteSucceedsThenFails ?? 0
    if (rate <= 0 || !this.applies(path)) return false
    if (this.deletes() >= rate) return false
    this.record({ kind: 'delete-then-fail', method, path, status: 502 })
    return true
  }

  /**
   * Called after each list request of a repository; returns how many of its
   * caches someone else deletes now (0 almost always).
   */
  afterList(repoKey: string, method: string, path: string): number {
    const d = this.cfg.concurrentDeleter
    if (!d || this.deleterDone.has(repoKey) || !this.applies(path)) return 0
    const n = (this.listCounts.get(repoKey) ?? 0) + 1
    this.listCounts.set(repoKey, n)
    if (n < d.afterListRequests) return 0
    this.deleterDone.add(repoKey)
    return d.count
  }

  /** Logs the concurrent deleter's removals (called by the server once it removed them). */
  recordConcurrentDeletion(method: string, path: string, ids: number[]): void {
    this.record({ kind: 'concurrent-deleter', method, path, ids })
  }

  /** Picks `count` distinct indices of 0..total-1, deterministically. */
  pickIndices(total: number, count: number): number[] {
    const indices = Array.from({ length: total }, (_, i) => i)
    const n = Math.min(count, total)
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.picks() * (total - i))
      ;[indices[i], indices[j]] = [indices[j], indices[i]]
    }
    return indices.slice(0, n).sort((a, b) => a - b)
  }
}

/** FNV-1a: a 32-bit hash of a string, for seeding one request's draws. */
function hashOf(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}
