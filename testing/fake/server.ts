// A fake of GitHub's REST API for Actions caches (and the few pull-request,
// branch and ref endpoints used to spot stale refs): a real HTTP server on
// 127.0.0.1. It authenticates tokens, counts primary rate limits per token,
// injects seeded faults, records every request, deletion and fault, and
// serves everything under /api/v3 in GHES mode.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ApiCache } from './wire.js'
import {
  FaultInjector,
  SECONDARY_RATE_LIMIT_MESSAGE,
  SERVER_ERROR_PAGE,
  type EarlyFault
} from './faults.js'
import { matchRoute, ROUTES, ValidationProblem, type Route, type RouteResult } from './routes.js'
import { mulberry32, type Rng } from './seed.js'
import { cacheJson, DOCS, errorBody } from './shapes.js'
import { FakeStore } from './store.js'
import type {
  DeletionRecord,
  FakeGitHubOptions,
  LatencyOptions,
  Mode,
  RateLimitOptions,
  RateLimitState,
  RecordedRequest,
  TokenGrant
} from './types.js'

export type * from './types.js'

/** Tokens used when the options give none. */
export const DEFAULT_TOKENS: Readonly<Record<string, TokenGrant>> = Object.freeze({
  ghs_write: { actions: 'write', contents: 'read', pullRequests: 'read', kind: 'integration' },
  ghs_read: { actions: 'read', kind: 'integration' },
  ghp_admin: {
    actions: 'write',
    contents: 'read',
    pullRequests: 'read',
    administration: 'write',
    orgAdmin: true,
    enterpriseAdmin: true,
    kind: 'pat'
  }
})

const GHES_PREFIX = '/api/v3'
const GHES_VERSION = '3.19.0'
const DEFAULT_RATE_LIMIT = 5000
const ANONYMOUS_RATE_LIMIT = 60
const RATE_LIMIT_DOCS =
  'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'
const PRIMARY_LIMIT_DOCS =
  'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit'
const MAX_BODY = 1024 * 1024
const API_VERSION_DOCS = 'https://docs.github.com/rest/about-the-rest-api/api-versions'

export interface FakeGitHub {
  /** the API base URL for GITHUB_API_URL (ends in /api/v3 in GHES mode) */
  readonly url: string
  /** http://127.0.0.1:PORT */
  readonly origin: string
  readonly port: number
  readonly mode: Mode
  readonly store: FakeStore
  readonly requests: RecordedRequest[]
  /** caches removed through the API (not the concurrent deleter's) */
  readonly deletions: DeletionRecord[]
  /** caches removed by the concurrent-deleter fault ("someone else") */
  readonly externalDeletions: DeletionRecord[]
  /** the fault injector; `faults.log` lists every injected fault */
  readonly faults: FaultInjector
  /** highest number of requests in flight at once */
  readonly maxConcurrent: number
  readonly inFlight: number
  /** real time per simulated time (the `timeScale` option; 1 by default) */
  readonly timeScale: number
  /** DELETE/PATCH/PUT/POST requests received, whatever their status */
  mutations(): number
  /**
   * points (GET 1, mutating 5) of requests that arrived within the last `ms`
   * (default: the secondary limit's window, 60 s times timeScale)
   */
  pointsInWindow(ms?: number): number
  /** the most points seen in any window of `ms` (default: 60 s times timeScale) */
  maxPointsInWindow(ms?: number): number
  /**
   * the most mutating requests (DELETE/PATCH/PUT/POST) that arrived within any
   * window of `ms` (default: 60 s times timeScale), whatever their status
   */
  maxMutationsInWindow(ms?: number): number
  /** the primary rate-limit state of a token (by its value) */
  rateLimitOf(token: string): RateLimitState
  setOptions(partial: Partial<Omit<FakeGitHubOptions, 'store' | 'port'>>): void
  /** clears requests, deletions, points, maxConcurrent, the fault log, and refills rate limits */
  resetCounters(): void
  close(): Promise<void>
}

interface Bucket extends RateLimitState {
  status: 403 | 429
}

interface Settings {
  mode: Mode
  deleteByKeyMatch: 'exact' | 'prefix'
  keyFilterCaseInsensitive: boolean
  fractionalSeconds: boolean
  apiVersions: readonly string[] | undefined
  tokens: Record<string, TokenGrant>
  rateLimit: RateLimitOptions | undefined
  latency: LatencyOptions | undefined
  timeScale: number
}

function checkLatency(latency: LatencyOptions | undefined): LatencyOptions | undefined {
  if (latency === undefined) return undefined
  const { min, max } = latency
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min)) {
    throw new Error(`latencyMs needs 0 <= min <= max, got ${min}..${max}`)
  }
  return { ...latency }
}

function checkTimeScale(scale: number | undefined): number {
  if (scale === undefined) return 1
  if (!(Number.isFinite(scale) && scale > 0 && scale <= 1)) {
    throw new Error(`timeScale must be in (0, 1], got ${scale}`)
  }
  return scale
}

/** The answer of a server whose pages never end: made-up caches, a month old, and a next link. */
function endlessPage(
  page: { ids: number[]; totalCount: number },
  selfUrl: string,
  query: URLSearchParams,
  fractional: boolean
): RouteResult {
  const old = new Date(Date.now() - 30 * 86_400_000).toISOString()
  const next = new URLSearchParams(query)
  next.set('page', String(Number(query.get('page') ?? 1) + 1))
  return {
    status: 200,
    body: {
      total_count: page.totalCount,
      actions_caches: page.ids.map(id =>
        cacheJson(
          {
            id,
            ref: 'refs/heads/main',
            key: `endless-${id}`,
            version: 'e'.repeat(64),
            last_accessed_at: old,
            created_at: old,
            size_in_bytes: 1024
          },
          fractional
        )
      )
    },
    headers: page.ids.length > 0 ? { link: `<${selfUrl}?${next.toString()}>; rel="next"` } : {}
  }
}

const isMutation = (method: string): boolean =>
  method === 'DELETE' || method === 'PATCH' || method === 'PUT' || method === 'POST'

class FakeGitHubServer implements FakeGitHub {
  readonly store: FakeStore
  readonly requests: RecordedRequest[] = []
  readonly deletions: DeletionRecord[] = []
  readonly externalDeletions: DeletionRecord[] = []
  readonly faults: FaultInjector
  private settings: Settings
  private readonly server: Server
  private mutationCount = 0
  private inFlightCount = 0
  private maxConcurrentCount = 0
  private pointTimes: number[] = []
  private pointValues: number[] = []
  private minuteStart = 0
  private minuteSum = 0
  private readonly recordOf = new WeakMap<ServerResponse, RecordedRequest>()
  private buckets = new Map<string, Bucket>()
  private sequence = 0
  private latencyRng: Rng = mulberry32(1)
  private readonly delayed = new Set<NodeJS.Timeout>()

  constructor(options: FakeGitHubOptions) {
    this.store = options.store ?? new FakeStore()
    this.faults = new FaultInjector(options.faults ?? {})
    this.settings = {
      mode: options.mode ?? 'dotcom',
      deleteByKeyMatch: options.deleteByKeyMatch ?? 'exact',
      keyFilterCaseInsensitive: options.keyFilterCaseInsensitive ?? true,
      fractionalSeconds: options.fractionalSeconds ?? false,
      apiVersions: options.apiVersions,
      tokens: options.tokens ?? { ...DEFAULT_TOKENS },
      rateLimit: options.rateLimit,
      latency: checkLatency(options.latencyMs),
      timeScale: checkTimeScale(options.timeScale)
    }
    this.latencyRng = mulberry32(this.settings.latency?.seed ?? 1)
    this.server = createServer((req, res) => this.onRequest(req, res))
    this.server.keepAliveTimeout = 2000
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject)
        resolve()
      })
    })
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get mode(): Mode {
    return this.settings.mode
  }

  get url(): string {
    return this.origin + (this.settings.mode === 'ghes' ? GHES_PREFIX : '')
  }

  get maxConcurrent(): number {
    return this.maxConcurrentCount
  }

  get inFlight(): number {
    return this.inFlightCount
  }

  get timeScale(): number {
    return this.settings.timeScale
  }

  /** The secondary limit's window in real ms. */
  private get windowMs(): number {
    return 60_000 * this.settings.timeScale
  }

  mutations(): number {
    return this.mutationCount
  }

  pointsInWindow(ms = this.windowMs): number {
    const from = Date.now() - ms
    let sum = 0
    for (let i = this.pointTimes.length - 1; i >= 0 && this.pointTimes[i] > from; i--) {
      sum += this.pointValues[i]
    }
    return sum
  }

  maxPointsInWindow(ms = this.windowMs): number {
    let best = 0
    let sum = 0
    let start = 0
    for (let i = 0; i < this.pointTimes.length; i++) {
      sum += this.pointValues[i]
      while (this.pointTimes[start] <= this.pointTimes[i] - ms) sum -= this.pointValues[start++]
      best = Math.max(best, sum)
    }
    return best
  }

  maxMutationsInWindow(ms = this.windowMs): number {
    // pointValues holds 5 for every mutating request and 1 for the rest
    let best = 0
    let count = 0
    let start = 0
    for (let i = 0; i < this.pointTimes.length; i++) {
      if (this.pointValues[i] !== 5) continue
      count++
      while (this.pointTimes[start] <= this.pointTimes[i] - ms) {
        if (this.pointValues[start++] === 5) count--
      }
      best = Math.max(best, count)
    }
    return best
  }

  rateLimitOf(token: string): RateLimitState {
    const b = this.bucket(token)
    return { limit: b.limit, remaining: b.remaining, used: b.used, reset: b.reset }
  }

  setOptions(partial: Partial<Omit<FakeGitHubOptions, 'store' | 'port'>>): void {
    const s = this.settings
    if (partial.mode !== undefined) s.mode = partial.mode
    if (partial.deleteByKeyMatch !== undefined) s.deleteByKeyMatch = partial.deleteByKeyMatch
    if (partial.keyFilterCaseInsensitive !== undefined) {
      s.keyFilterCaseInsensitive = partial.keyFilterCaseInsensitive
    }
    if (partial.fractionalSeconds !== undefined) s.fractionalSeconds = partial.fractionalSeconds
    if ('apiVersions' in partial) s.apiVersions = partial.apiVersions
    if (partial.tokens !== undefined) {
      s.tokens = partial.tokens
      this.buckets.clear()
    }
    if ('rateLimit' in partial) {
      s.rateLimit = partial.rateLimit
      this.buckets.clear()
    }
    if (partial.faults !== undefined) this.faults.configure(partial.faults)
    if ('latencyMs' in partial) {
      s.latency = checkLatency(partial.latencyMs)
      this.latencyRng = mulberry32(s.latency?.seed ?? 1)
    }
    if ('timeScale' in partial) s.timeScale = checkTimeScale(partial.timeScale)
  }

  resetCounters(): void {
    this.requests.length = 0
    this.deletions.length = 0
    this.externalDeletions.length = 0
    this.mutationCount = 0
    this.maxConcurrentCount = this.inFlightCount
    this.pointTimes = []
    this.pointValues = []
    this.minuteStart = 0
    this.minuteSum = 0
    this.buckets.clear()
    this.faults.clearLog()
    this.faults.configure(this.faults.config)
    this.latencyRng = mulberry32(this.settings.latency?.seed ?? 1)
  }

  async close(): Promise<void> {
    for (const timer of this.delayed) clearTimeout(timer)
    this.delayed.clear()
    await new Promise<void>(resolve => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  // ---- rate limits ------------------------------------------------------------

  private bucket(key: string): Bucket {
    const now = Math.floor(Date.now() / 1000)
    let b = this.buckets.get(key)
    if (!b) {
      const rl = this.settings.rateLimit
      const limit = key === '' ? ANONYMOUS_RATE_LIMIT : (rl?.limit ?? DEFAULT_RATE_LIMIT)
      const remaining = key === '' ? limit : Math.min(limit, rl?.remaining ?? limit)
      b = {
        limit,
        remaining,
        used: limit - remaining,
        reset: rl?.resetEpochSeconds ?? now + 3600,
        status: rl?.status ?? 403
      }
      this.buckets.set(key, b)
    } else if (now >= b.reset) {
      b.remaining = b.limit
      b.used = 0
      b.reset = now + 3600
    }
    return b
  }

  private rateHeaders(b: Bucket): Record<string, string> {
    return {
      'x-ratelimit-limit': String(b.limit),
      'x-ratelimit-remaining': String(b.remaining),
      'x-ratelimit-used': String(b.used),
      'x-ratelimit-reset': String(b.reset),
      'x-ratelimit-resource': 'core'
    }
  }

  // ---- request handling ---------------------------------------------------------

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const method = (req.method ?? 'GET').toUpperCase()
    const startedAt = Date.now()
    const seq = ++this.sequence
    this.inFlightCount++
    this.maxConcurrentCount = Math.max(this.maxConcurrentCount, this.inFlightCount)
    if (isMutation(method)) this.mutationCount++
    const inFlightAtStart = this.inFlightCount
    const latencyMs = this.drawLatency()
    const cost = isMutation(method) ? 5 : 1
    while (
      this.minuteStart < this.pointTimes.length &&
      this.pointTimes[this.minuteStart] <= startedAt - this.windowMs
    ) {
      this.minuteSum -= this.pointValues[this.minuteStart++]
    }
    const pointsBefore = this.minuteSum
    this.pointTimes.push(startedAt)
    this.pointValues.push(cost)
    this.minuteSum += cost

    const rawUrl = req.url ?? '/'
    const q = rawUrl.indexOf('?')
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q)
    const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1))
    let segments: string[] | undefined
    try {
      segments = rawPath.split('/').slice(1).map(decodeURIComponent)
    } catch {
      segments = undefined
    }
    const prefix = this.settings.mode === 'ghes' ? GHES_PREFIX : ''
    const decodedPath = segments ? '/' + segments.join('/') : rawPath
    const inBase = decodedPath === prefix || decodedPath.startsWith(prefix + '/')
    const relPath = prefix && inBase ? decodedPath.slice(prefix.length) || '/' : decodedPath
    const relSegments = segments && inBase ? segments.slice(prefix ? 2 : 0) : undefined

    const auth = this.authenticate(req)
    const record: RecordedRequest = {
      method,
      path: relPath,
      query: Object.fromEntries(query),
      status: 0,
      token: auth.name,
      accept: req.headers.accept,
      apiVersion: header(req.headers['x-github-api-version']),
      startedAt,
      endedAt: undefined,
      inFlightAtStart,
      latencyMs
    }
    this.requests.push(record)
    this.recordOf.set(res, record)
    res.on('close', () => {
      this.inFlightCount--
      record.endedAt ??= Date.now()
    })

    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY) chunks.push(chunk)
    })
    req.on('error', () => undefined)
    const handle = (): void => {
      try {
        this.handle({
          req,
          res,
          method,
          seq,
          rawPath,
          relPath,
          relSegments,
          query,
          body: Buffer.concat(chunks).toString('utf8'),
          auth,
          record,
          cost,
          pointsBefore,
          inFlightAtStart
        })
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        this.send(res, seq, 500, errorBody(`fake server error: ${message}`, 500), {})
      }
    }
    req.on('end', () => {
      if (latencyMs <= 0) {
        handle()
        return
      }
      // the server "works" for latencyMs, then answers; the request stays in flight meanwhile
      const timer = setTimeout(() => {
        this.delayed.delete(timer)
        handle()
      }, latencyMs)
      this.delayed.add(timer)
    })
  }

  /** The next simulated latency in real ms (0 without the option). */
  private drawLatency(): number {
    const l = this.settings.latency
    if (!l || l.max <= 0) return 0
    const ms = l.min + this.latencyRng() * (l.max - l.min)
    return Math.round(ms * this.settings.timeScale * 1000) / 1000
  }

  private authenticate(req: IncomingMessage): {
    key: string | undefined
    name: string | undefined
    grant: TokenGrant | undefined
  } {
    const header = req.headers.authorization
    if (!header) return { key: undefined, name: undefined, grant: undefined }
    const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header)
    const value = m?.[1]
    const grant = value !== undefined ? this.settings.tokens[value] : undefined
    if (!value || !grant || !Object.prototype.hasOwnProperty.call(this.settings.tokens, value)) {
      return { key: undefined, name: 'unknown', grant: undefined }
    }
    return { key: value, name: grant.name ?? value, grant }
  }

  private handle(h: {
    req: IncomingMessage
    res: ServerResponse
    method: string
    seq: number
    rawPath: string
    relPath: string
    relSegments: string[] | undefined
    query: URLSearchParams
    body: string
    auth: ReturnType<FakeGitHubServer['authenticate']>
    record: RecordedRequest
    cost: number
    pointsBefore: number
    inFlightAtStart: number
  }): void {
    const { res, method, seq, relPath, auth, record } = h
    // 1. infrastructure faults, before anything else
    const early = this.faults.beforeRequest(method, relPath)
    if (early) {
      record.fault = early.kind
      this.sendEarlyFault(h.req, res, seq, early, auth.key)
      return
    }
    // 1b. a proxy that quotes the credentials it was sent
    const echo = this.faults.echoAuthorization(method, relPath)
    if (echo !== undefined) {
      record.fault = 'echo-authorization'
      const sent = h.req.headers.authorization ?? '(none)'
      this.send(
        res,
        seq,
        echo,
        errorBody(`Bad credentials: the request carried 'Authorization: ${sent}'`, echo),
        {}
      )
      return
    }
    // 2. API version header
    const version = h.req.headers['x-github-api-version']
    if (typeof version === 'string' && !this.supportedVersions().includes(version)) {
      this.send(
        res,
        seq,
        400,
        errorBody(`Unsupported 'X-GitHub-Api-Version': '${version}'`, 400, API_VERSION_DOCS),
        {}
      )
      return
    }
    // 3. authentication
    if (!auth.grant || auth.key === undefined) {
      const b = this.bucket('')
      b.remaining = Math.max(0, b.remaining - 1)
      b.used++
      this.send(res, seq, 401, errorBody('Bad credentials', 401), this.rateHeaders(b))
      return
    }
    const grant = auth.grant
    // 4. primary rate limit
    const bucket = this.bucket(auth.key)
    if (bucket.remaining <= 0) {
      const who = grant.kind === 'pat' ? 'user ID 1' : 'installation ID 1'
      this.send(
        res,
        seq,
        bucket.status,
        errorBody(`API rate limit exceeded for ${who}.`, bucket.status, PRIMARY_LIMIT_DOCS),
        this.rateHeaders(bucket)
      )
      return
    }
    bucket.remaining--
    bucket.used++
    const rate = this.rateHeaders(bucket)
    // 5. secondary rate limit
    const secondary = this.faults.secondaryLimit(method, relPath, {
      pointsLastMinute: h.pointsBefore,
      cost: h.cost,
      // GitHub counts the requests in flight when this one arrived
      inFlight: h.inFlightAtStart
    })
    if (secondary) {
      record.fault = secondary.kind
      const headers = { ...rate }
      if (secondary.retryAfterSeconds !== null) {
        headers['retry-after'] = String(secondary.retryAfterSeconds)
      }
      this.send(
        res,
        seq,
        secondary.status,
        errorBody(SECONDARY_RATE_LIMIT_MESSAGE, secondary.status, RATE_LIMIT_DOCS),
        headers
      )
      return
    }
    // 6. routing
    const found = h.relSegments ? this.findRoute(method, h.relSegments) : undefined
    if (!found) {
      this.send(res, seq, 404, errorBody('Not Found', 404), rate)
      return
    }
    const { route, params } = found
    let repo = undefined
    if (route.scope === 'repo') {
      const fullName = `${params.owner}/${params.repo}`
      repo = this.store.repo(fullName)
      const visible =
        !grant.repos || grant.repos.some(r => r.toLowerCase() === fullName.toLowerCase())
      if (!repo || !visible) {
        this.send(res, seq, 404, errorBody('Not Found', 404, route.docs), rate)
        return
      }
    } else if (route.scope === 'org' && !this.store.hasOrg(params.org)) {
      this.send(res, seq, 404, errorBody('Not Found', 404, route.docs), rate)
      return
    } else if (route.scope === 'enterprise' && !this.store.hasEnterprise(params.enterprise)) {
      this.send(res, seq, 404, errorBody('Not Found', 404, route.docs), rate)
      return
    }
    if (!route.allowed(grant) && grant.deniedAsNotFound) {
      this.send(res, seq, 404, errorBody('Not Found', 404, route.docs), rate)
      return
    }
    if (!route.allowed(grant)) {
      const by = grant.kind === 'pat' ? 'personal access token' : 'integration'
      this.send(res, seq, 403, errorBody(`Resource not accessible by ${by}`, 403, route.docs), {
        ...rate,
        'x-accepted-github-permissions': route.accepted
      })
      return
    }
    let body: unknown = undefined
    if ((method === 'PUT' || method === 'PATCH') && h.body.trim() !== '') {
      try {
        body = JSON.parse(h.body)
      } catch {
        this.send(res, seq, 400, errorBody('Problems parsing JSON', 400, route.docs), rate)
        return
      }
    }
    const host = h.req.headers.host ?? `127.0.0.1:${this.port}`
    const origin = `http://${host}`
    const apiBase = origin + (this.settings.mode === 'ghes' ? GHES_PREFIX : '')
    const removedNow: ApiCache[] = []
    let result: RouteResult
    try {
      result = route.handle({
        method,
        params,
        query: h.query,
        selfUrl: origin + h.rawPath,
        bases: {
          api: apiBase,
          web: this.settings.mode === 'ghes' ? origin : 'https://github.com'
        },
        body,
        grant,
        repo,
        store: this.store,
        settings: {
          mode: this.settings.mode,
          deleteByKeyMatch: this.settings.deleteByKeyMatch,
          keyFilterCaseInsensitive: this.settings.keyFilterCaseInsensitive,
          fractionalSeconds: this.settings.fractionalSeconds
        },
        removed: (cache, via) => {
          removedNow.push(cache)
          this.deletions.push({
            repo: repo?.fullName ?? '',
            id: cache.id,
            key: cache.key,
            ref: cache.ref,
            via
          })
        }
      })
    } catch (error) {
      if (!(error instanceof ValidationProblem)) throw error
      const problem =
        error.status === 422
          ? {
              ...errorBody(error.message, 422, route.docs),
              ...(error.field
                ? { errors: [{ resource: 'Request', field: error.field, code: 'invalid' }] }
                : {})
            }
          : errorBody(error.message, 400, route.docs)
      this.send(res, seq, error.status, problem, rate)
      return
    }
    // 7. faults after the work was done
    if (
      method === 'DELETE' &&
      result.status < 300 &&
      this.faults.deleteShouldFail(method, relPath)
    ) {
      record.fault = 'delete-then-fail'
      this.send(res, seq, 502, errorBody('Server Error', 502), rate)
      return
    }
    if (repo && method === 'GET' && route.template.endsWith('/actions/caches')) {
      const endless = this.faults.endlessPage(
        method,
        relPath,
        Number(h.query.get('per_page') ?? 30)
      )
      if (endless && result.status === 200) {
        record.fault = 'endless-page'
        result = endlessPage(endless, origin + h.rawPath, h.query, this.settings.fractionalSeconds)
      }
      const count = this.faults.afterList(repo.fullName.toLowerCase(), method, relPath)
      if (count > 0) {
        const indices = new Set(this.faults.pickIndices(repo.caches.length, count))
        const gone = repo.caches.filter((_, i) => indices.has(i))
        repo.caches = repo.caches.filter((_, i) => !indices.has(i))
        for (const c of gone) {
          this.externalDeletions.push({
            repo: repo.fullName,
            id: c.id,
            key: c.key,
            ref: c.ref,
            via: 'id'
          })
        }
        this.faults.recordConcurrentDeletion(
          method,
          relPath,
          gone.map(c => c.id)
        )
      }
    }
    this.send(res, seq, result.status, result.body, { ...rate, ...(result.headers ?? {}) })
  }

  private supportedVersions(): readonly string[] {
    if (this.settings.apiVersions) return this.settings.apiVersions
    return this.settings.mode === 'ghes' ? ['2022-11-28'] : ['2022-11-28', '2026-03-10']
  }

  private findRoute(
    method: string,
    segments: string[]
  ): { route: Route; params: Record<string, string> } | undefined {
    for (const route of ROUTES) {
      if (route.method !== method || !route.modes.includes(this.settings.mode)) continue
      const params = matchRoute(route, segments)
      if (params) return { route, params }
    }
    return undefined
  }

  private sendEarlyFault(
    req: IncomingMessage,
    res: ServerResponse,
    seq: number,
    fault: EarlyFault,
    tokenKey: string | undefined
  ): void {
    if (fault.kind === 'drop') {
      req.socket.destroy()
      return
    }
    if (fault.kind === 'hang') return // the socket stays open until the client or close() ends it
    const rate = tokenKey !== undefined ? this.rateHeaders(this.bucket(tokenKey)) : {}
    if (fault.html) {
      this.sendRaw(res, seq, fault.status, SERVER_ERROR_PAGE, 'text/html; charset=utf-8', rate)
    } else {
      const message =
        this.faults.config.errorMessage ??
        (fault.status === 500 ? 'Server Error' : 'Service Unavailable')
      this.send(res, seq, fault.status, errorBody(message, fault.status, DOCS), rate)
    }
  }

  private commonHeaders(seq: number): Record<string, string> {
    const headers: Record<string, string> = {
      'x-github-request-id': `FA6E:${seq.toString(16).toUpperCase().padStart(6, '0')}:${this.port.toString(16).toUpperCase()}`,
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28'
    }
    if (this.settings.mode === 'ghes') headers['x-github-enterprise-version'] = GHES_VERSION
    return headers
  }

  private send(
    res: ServerResponse,
    seq: number,
    status: number,
    body: unknown,
    headers: Record<string, string>
  ): void {
    if (status === 204 || body === undefined) {
      this.sendRaw(res, seq, status, '', undefined, headers)
    } else {
      this.sendRaw(
        res,
        seq,
        status,
        JSON.stringify(body),
        'application/json; charset=utf-8',
        headers
      )
    }
  }

  private sendRaw(
    res: ServerResponse,
    seq: number,
    status: number,
    text: string,
    contentType: string | undefined,
    headers: Record<string, string>
  ): void {
    if (res.destroyed || res.headersSent) return
    const all: Record<string, string> = { ...this.commonHeaders(seq), ...headers }
    if (contentType) {
      all['content-type'] = contentType
      all['content-length'] = String(Buffer.byteLength(text))
    }
    const record = this.recordOf.get(res)
    if (record) {
      record.status = status
      record.endedAt = Date.now()
    }
    res.writeHead(status, all)
    res.end(text)
  }
}

/** Starts the fake on 127.0.0.1 (a random port unless `port` is given). */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const fake = new FakeGitHubServer(options)
  await fake.listen(options.port ?? 0)
  return fake
}

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(', ') : value
