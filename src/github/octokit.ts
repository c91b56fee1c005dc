// The one place that builds Octokit and makes a request with it. callApi runs
// each request through the Governor (retries, pacing, budget), turns whatever
// Octokit throws into a classified ApiError and hands the body to the
// adapter's shape check. A body of the wrong shape (an HTML page on a 200,
// say) is an 'invalid-response', which the governor retries.
//
// The client is @octokit/core alone: the adapters call octokit.request and
// nothing else, so the plugins @actions/github's getOctokit adds (every REST
// method as a function, pagination) would only be loaded and never called.
// What getOctokit did besides is kept here: requests go through undici's
// fetch with @actions/http-client's proxy dispatcher (HTTPS_PROXY,
// HTTP_PROXY, NO_PROXY, as on a self-hosted runner behind a proxy), and the
// user agent carries the runner's orchestration id.

import { HttpClient } from '@actions/http-client'
import { Octokit as OctokitCore } from '@octokit/core'
import { fetch as undiciFetch } from 'undici'
import type { Attempted, CallContext, CallInfo, Governor } from './governor.js'
import { ApiError, type RequestPurpose } from './ports.js'

const API_VERSION = '2022-11-28'

export type Octokit = OctokitCore
export type Headers = Readonly<Record<string, string | undefined>>
type RawHeaders = Readonly<Record<string, string | number | undefined>>

const stringHeaders = (raw: RawHeaders | undefined): Headers =>
  Object.fromEntries(
    Object.entries(raw ?? {}).map(([k, v]) => [k, v === undefined ? v : String(v)])
  )

/** The media type GitHub's REST docs ask for; Octokit would send its old v3 one. */
const ACCEPT = 'application/vnd.github+json'

/** One HTTP request as it went, for debug lines: no header, no body, never the token. */
export interface RequestRecord {
  readonly method: string
  /** the path and query, relative to the API's base URL */
  readonly path: string
  /** undefined when no answer came (a dropped connection, a timeout) */
  readonly status?: number
  readonly ms: number
  /** x-ratelimit-remaining of the answer */
  readonly remaining?: string
}

let requestObserver: ((record: RequestRecord) => void) | undefined

/**
 * Tells `observer` of every request any client of this process makes (the
 * command line's --verbose); undefined stops. One observer per process: the
 * command line runs one command.
 */
export function observeRequests(observer: ((record: RequestRecord) => void) | undefined): void {
  requestObserver = observer
}

/** `text` with every occurrence of `secret` replaced by ***. */
const redact = (text: string, secret: string): string =>
  secret.length >= 4 ? text.split(secret).join('***') : text

/**
 * A failed request's error with the token taken out of everything a message
 * is made from: a broken or hostile server may echo the Authorization header
 * in its error body. (Octokit already redacts the request's own headers.)
 */
function scrubbed(error: unknown, token: string): unknown {
  const e = error as { message?: unknown; response?: { data?: unknown } }
  if (!e || typeof e !== 'object') return error
  if (typeof e.message === 'string') {
    try {
      e.message = redact(e.message, token)
    } catch {
      // a read-only message: the response below is what messages are made from
    }
  }
  const response = e.response
  if (response && typeof response === 'object' && response.data !== undefined) {
    response.data =
      typeof response.data === 'string'
        ? redact(response.data, token)
        : JSON.parse(redact(JSON.stringify(response.data), token))
  }
  return error
}

/**
 * The fetch every request goes through: undici's, through the proxy that
 * HTTPS_PROXY or HTTP_PROXY names for `baseUrl` unless NO_PROXY (or a
 * loopback address) exempts it; no proxy, undici's own connection pool. The
 * same rules, read by the same package, as @actions/github's getOctokit.
 */
function fetchFor(baseUrl: string): typeof fetch {
  const dispatcher = new HttpClient().getAgentDispatcher(baseUrl)
  const send = (url: string, init: object): unknown =>
    undiciFetch(url, { ...init, ...(dispatcher ? { dispatcher } : {}) })
  return send as unknown as typeof fetch
}

/**
 * `agent` with the runner's orchestration id appended, as the Actions
 * toolkit does for its own requests (ACTIONS_ORCHESTRATION_ID, set by the
 * runner; characters other than letters, digits, '_', '.' and '-' become '_').
 */
function withOrchestrationId(agent: string, env: NodeJS.ProcessEnv): string {
  const id = env.ACTIONS_ORCHESTRATION_ID?.trim()
  if (!id) return agent
  const tag = `actions_orchestration_id/${id.replace(/[^a-z0-9_.-]/gi, '_')}`
  return agent.includes(tag) ? agent : `${agent} ${tag}`
}

export function createOctokit(token: string, baseUrl: string, userAgent?: string): Octokit {
  const quiet = (): void => undefined
  const base = baseUrl.replace(/\/+$/, '')
  const octokit = new OctokitCore({
    auth: token,
    baseUrl: base,
    userAgent: withOrchestrationId(userAgent ?? 'cache-steward', process.env),
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    request: { fetch: fetchFor(base) }
  })
  // Every request gets the pinned API version and the media type here, on
  // its way out (a top-level `headers` option would not reach them all).
  octokit.hook.before('request', options => {
    options.headers['x-github-api-version'] = API_VERSION
    options.headers.accept = ACCEPT
  })
  octokit.hook.error('request', error => {
    throw scrubbed(error, token)
  })
  octokit.hook.wrap('request', async (request, options) => {
    const observer = requestObserver
    if (!observer) return request(options)
    const started = Date.now()
    const { method, url } = octokit.request.endpoint.parse(options)
    const path = url.startsWith(base) ? url.slice(base.length) : url
    const tell = (status: number | undefined, headers: RawHeaders | undefined): void => {
      const remaining = headers?.['x-ratelimit-remaining']
      observer({
        method,
        path,
        ...(status !== undefined ? { status } : {}),
        ms: Date.now() - started,
        ...(remaining !== undefined ? { remaining: String(remaining) } : {})
      })
    }
    try {
      const response = await request(options)
      tell(response.status, response.headers as RawHeaders)
      return response
    } catch (error) {
      const e = error as { status?: number; response?: { headers?: RawHeaders } }
      tell(typeof e.status === 'number' && e.status > 0 ? e.status : undefined, e.response?.headers)
      throw error
    }
  })
  return octokit
}

/** Turns whatever Octokit threw into a classified ApiError. */
function toApiError(error: unknown, call: Pick<CallInfo, 'label' | 'purpose'>): ApiError {
  const { label, purpose } = call
  if (error instanceof ApiError) {
    if (error.purpose || !purpose) return error
    const { kind, status, message, request, retryAfterMs, headers } = error
    return new ApiError(kind, status, message, request, retryAfterMs, headers, purpose)
  }
  const e = error as {
    status?: number
    name?: string
    message?: string
    response?: { status: number; headers: RawHeaders; data: unknown }
  }
  if (!e || typeof e !== 'object') {
    return new ApiError('network', undefined, String(error), label, undefined, undefined, purpose)
  }
  const response = e.response
  if (!response) {
    const kind = e.name === 'AbortError' ? 'timeout' : 'network'
    const text = e.message ?? 'the request failed'
    return new ApiError(kind, undefined, text, label, undefined, undefined, purpose)
  }
  const { status, data } = response
  const headers = stringHeaders(response.headers)
  const message = describeBody(data, status)
  const retryAfter = Number(headers['retry-after'])
  const retryAfterMs =
    Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined
  let kind: ApiError['kind']
  if ((status === 403 || status === 429) && /secondary rate limit|abuse/i.test(message)) {
    kind = 'secondary-rate-limit'
  } else if ((status === 403 || status === 429) && headers['x-ratelimit-remaining'] === '0') {
    kind = 'rate-limited'
  } else if (status === 429) {
    kind = 'secondary-rate-limit'
  } else if (status === 401) kind = 'unauthorized'
  else if (status === 403) kind = 'forbidden'
  else if (status === 404) kind = 'not-found'
  else if (status >= 500) kind = 'server'
  else kind = 'client'
  return new ApiError(kind, status, message, label, retryAfterMs, headers, purpose)
}

function describeBody(data: unknown, status: number): string {
  if (data && typeof data === 'object' && 'message' in data) {
    return String((data as { message: unknown }).message)
  }
  if (typeof data === 'string' && /<html|<!doctype/i.test(data)) {
    return `an HTML page instead of JSON (HTTP ${status})`
  }
  if (typeof data === 'string' && data.trim() !== '') return data.trim().slice(0, 200)
  return `HTTP ${status}`
}

/** A body of the wrong shape: retried by the governor, then a clear failure. */
export function invalid(label: string, what: string): ApiError {
  return new ApiError('invalid-response', undefined, `unexpected response body: ${what}`, label)
}

type Sender = (ctx: CallContext) => Promise<{ data: unknown; headers: RawHeaders; status: number }>

/** What one adapter method asks of callApi. */
export interface Request<T> extends CallInfo {
  readonly purpose: RequestPurpose
  /** makes the Octokit call with ctx.signal */
  readonly send: Sender
  /** validates and converts the body (throw invalid() for a body of the wrong shape) */
  readonly shape: (data: unknown, headers: Headers, status: number, ctx: CallContext) => T
  /** may turn an expected error status (a 404, say) into a value */
  readonly onError?: (error: ApiError, ctx: CallContext) => Attempted<T> | undefined
}

/** Runs one request through the governor. Every adapter uses this. */
export function callApi<T>(governor: Governor, request: Request<T>): Promise<T> {
  const { send, shape, onError } = request
  return governor.run(request, async ctx => {
    try {
      const res = await send(ctx)
      const headers = stringHeaders(res.headers)
      return { value: shape(res.data, headers, res.status, ctx), headers }
    } catch (error) {
      const apiError = toApiError(error, request)
      const handled = onError?.(apiError, ctx)
      if (handled) return handled
      throw apiError
    }
  })
}

export const hasNextLink = (link: string | undefined): boolean =>
  link !== undefined && /rel="next"/.test(link)

/** The page number of the rel="last" link, if there is one. */
export function lastPageOf(link: string | undefined): number | undefined {
  if (link === undefined) return undefined
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="last"/.exec(part)
    if (!m) continue
    try {
      const page = Number(new URL(m[1]).searchParams.get('page'))
      return Number.isSafeInteger(page) && page >= 1 ? page : undefined
    } catch {
      return undefined
    }
  }
  return undefined
}
