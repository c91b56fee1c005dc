// The fake's routes and response bodies checked against GitHub's published
// OpenAPI description (@octokit/openapi): github.com routes against
// api.github.com.json (GHEC-only ones against ghec.json), GHES routes against
// the newest ghes-3.*.json. Every route of the fake's table is probed in every
// mode that serves it; each real response's status must be declared by the
// operation and its body must satisfy the declared schema.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Ajv, type ValidateFunction } from 'ajv'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROUTES } from '../../testing/fake/routes.js'
import { seedRepo } from '../../testing/fake/seed.js'
import { startFakeGitHub, type FakeGitHub, type Mode } from '../../testing/fake/server.js'

type Json = Record<string, unknown>
interface Spec {
  paths: Record<string, Record<string, Json>>
  components: Record<string, Record<string, Json>>
}

const DIR = join(process.cwd(), 'node_modules', '@octokit', 'openapi', 'generated')
const load = (file: string): Spec => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Spec
const NEWEST_GHES = readdirSync(DIR)
  .map(f => /^ghes-3\.(\d+)\.json$/.exec(f))
  .filter((m): m is RegExpExecArray => m !== null)
  .sort((a, b) => Number(b[1]) - Number(a[1]))[0][0]

let dotcom: Spec
let ghec: Spec
let ghes: Spec

// ---- OpenAPI 3.0 -> JSON Schema ------------------------------------------------

const SCHEMA_REF = '#/components/schemas/'
const DATA_KEYWORDS = new Set(['enum', 'default', 'const', 'example', 'examples', 'required'])
const DROPPED = new Set(['nullable', 'example', 'examples', 'discriminator', 'xml', 'externalDocs'])
const MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs'])

/** Rewrites refs to `definitions`, turns `nullable: true` into type unions, drops OpenAPI-only keywords. */
function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert)
  if (node === null || typeof node !== 'object') return node
  const src = node as Json
  const out: Json = {}
  for (const [k, v] of Object.entries(src)) {
    if (DROPPED.has(k) || k.startsWith('x-')) continue
    if (k === '$ref' && typeof v === 'string') {
      out.$ref = v.replace(SCHEMA_REF, '#/definitions/')
    } else if (MAP_KEYWORDS.has(k) && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([n, s]) => [n, convert(s)]))
    } else if (DATA_KEYWORDS.has(k)) {
      out[k] = v
    } else {
      out[k] = convert(v)
    }
  }
  if (src.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null']
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null]
      return out
    }
    return { anyOf: [out, { type: 'null' }] }
  }
  return out
}

function collectRefs(spec: Spec, node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const x of node) collectRefs(spec, x, into)
    return
  }
  if (node === null || typeof node !== 'object') return
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF)) {
      const name = v.slice(SCHEMA_REF.length)
      if (!into.has(name)) {
        into.add(name)
        collectRefs(spec, spec.components.schemas[name], into)
      }
    } else {
      collectRefs(spec, v, into)
    }
  }
}

const ajv = new Ajv({ strict: false, allErrors: true })
ajv.addFormat('date-time', {
  type: 'string',
  validate: (s: string) =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) &&
    !Number.isNaN(Date.parse(s))
})
ajv.addFormat('date', /^\d{4}-\d\d-\d\d$/)
ajv.addFormat('uri', {
  type: 'string',
  validate: (s: string) => {
    try {
      return new URL(s).protocol.length > 0
    } catch {
      return false
    }
  }
})
for (const f of [
  'uri-template',
  'int64',
  'int32',
  'email',
  'binary',
  'uuid',
  'hostname',
  'ipv4',
  'ipv6',
  'password',
  'byte',
  'float',
  'double',
  'regex'
]) {
  ajv.addFormat(f, true)
}

const compiled = new Map<string, ValidateFunction>()
function validator(spec: Spec, specName: string, schema: unknown): ValidateFunction {
  const id = `${specName}:${JSON.stringify(schema)}`
  let v = compiled.get(id)
  if (!v) {
    const names = new Set<string>()
    collectRefs(spec, schema, names)
    const definitions: Json = {}
    for (const n of names) definitions[n] = convert(spec.components.schemas[n])
    v = ajv.compile({ definitions, allOf: [convert(schema)] })
    compiled.set(id, v)
  }
  return v
}

function resolveResponse(spec: Spec, response: Json): Json {
  let r = response
  while (typeof r.$ref === 'string') {
    r = spec.components.responses[(r.$ref as string).split('/').pop() as string]
  }
  return r
}

function operation(spec: Spec, method: string, template: string): Json | undefined {
  return spec.paths[template]?.[method.toLowerCase()]
}

/** The spec an operation of this mode is checked against, and its name. */
function specFor(
  mode: Mode,
  method: string,
  template: string
): { spec: Spec; name: string } | undefined {
  if (mode === 'ghes') {
    return operation(ghes, method, template) ? { spec: ghes, name: NEWEST_GHES } : undefined
  }
  if (operation(dotcom, method, template)) return { spec: dotcom, name: 'api.github.com.json' }
  if (operation(ghec, method, template)) return { spec: ghec, name: 'ghec.json' }
  return undefined
}

// ---- probes -------------------------------------------------------------------

const REPO = 'octo-org/hello-world'
const NOW = Date.parse('2025-06-01T00:00:00Z')

interface Probe {
  template: string
  method: 'GET' | 'DELETE' | 'PATCH' | 'PUT'
  path: string
  token?: string
  body?: unknown
  /** the status the fake must answer */
  status: number
}

function probes(fake: FakeGitHub): Probe[] {
  const ids = fake.store.caches(REPO).map(c => c.id)
  const key = fake.store.caches(REPO)[1].key
  const r = `/repos/${REPO}`
  const R = '/repos/{owner}/{repo}'
  const pull = fake.store.pulls(REPO).find(p => p.state === 'closed') ?? fake.store.pulls(REPO)[0]
  const tag = fake.store.tags(REPO)[0].name
  const admin = 'ghp_admin'
  const out: Probe[] = [
    { method: 'GET', template: R, path: r, status: 200 },
    {
      method: 'GET',
      template: `${R}/actions/caches`,
      path: `${r}/actions/caches?per_page=5&sort=size_in_bytes`,
      status: 200
    },
    {
      method: 'DELETE',
      template: `${R}/actions/caches/{cache_id}`,
      path: `${r}/actions/caches/${ids[0]}`,
      status: 204
    },
    {
      method: 'DELETE',
      template: `${R}/actions/caches`,
      path: `${r}/actions/caches?key=${encodeURIComponent(key)}`,
      status: 200
    },
    {
      method: 'GET',
      template: `${R}/actions/cache/usage`,
      path: `${r}/actions/cache/usage`,
      status: 200
    },
    {
      method: 'GET',
      template: '/orgs/{org}/actions/cache/usage',
      path: '/orgs/octo-org/actions/cache/usage',
      token: admin,
      status: 200
    },
    {
      method: 'GET',
      template: '/orgs/{org}/actions/cache/usage-by-repository',
      path: '/orgs/octo-org/actions/cache/usage-by-repository?per_page=1',
      token: admin,
      status: 200
    },
    {
      method: 'GET',
      template: '/enterprises/{enterprise}/actions/cache/usage',
      path: '/enterprises/octo-ent/actions/cache/usage',
      token: admin,
      status: 200
    },
    { method: 'GET', template: `${R}/pulls`, path: `${r}/pulls?state=all&per_page=3`, status: 200 },
    {
      method: 'GET',
      template: `${R}/pulls/{pull_number}`,
      path: `${r}/pulls/${pull.number}`,
      status: 200
    },
    { method: 'GET', template: `${R}/branches`, path: `${r}/branches?per_page=2`, status: 200 },
    { method: 'GET', template: `${R}/branches/{branch}`, path: `${r}/branches/main`, status: 200 },
    {
      method: 'GET',
      template: `${R}/git/matching-refs/{ref}`,
      path: `${r}/git/matching-refs/tags/v`,
      status: 200
    },
    { method: 'GET', template: `${R}/git/ref/{ref}`, path: `${r}/git/ref/tags/${tag}`, status: 200 }
  ]
  if (fake.mode === 'ghes') {
    out.push(
      {
        method: 'GET',
        template: `${R}/actions/cache/usage-policy`,
        path: `${r}/actions/cache/usage-policy`,
        status: 200
      },
      {
        method: 'PATCH',
        template: `${R}/actions/cache/usage-policy`,
        path: `${r}/actions/cache/usage-policy`,
        // setting a repository's limit needs administration, not actions: write
        token: admin,
        body: { repo_cache_size_limit_in_gb: 12 },
        status: 204
      },
      {
        method: 'GET',
        template: '/enterprises/{enterprise}/actions/cache/usage-policy',
        path: '/enterprises/octo-ent/actions/cache/usage-policy',
        token: admin,
        status: 200
      },
      {
        method: 'PATCH',
        template: '/enterprises/{enterprise}/actions/cache/usage-policy',
        path: '/enterprises/octo-ent/actions/cache/usage-policy',
        token: admin,
        body: { repo_cache_size_limit_in_gb: 10, max_repo_cache_size_limit_in_gb: 30 },
        status: 204
      }
    )
  } else {
    const scopes = [
      { prefix: R, concrete: r, token: admin },
      { prefix: '/organizations/{org}', concrete: '/organizations/octo-org', token: admin },
      { prefix: '/enterprises/{enterprise}', concrete: '/enterprises/octo-ent', token: admin }
    ]
    for (const s of scopes) {
      for (const [name, body] of [
        ['retention-limit', { max_cache_retention_days: 30 }],
        ['storage-limit', { max_cache_size_gb: 25 }]
      ] as const) {
        const template = `${s.prefix}/actions/cache/${name}`
        const path = `${s.concrete}/actions/cache/${name}`
        out.push(
          { method: 'PUT', template, path, token: s.token, body, status: 204 },
          { method: 'GET', template, path, token: s.token, status: 200 }
        )
      }
    }
  }
  return out
}

async function send(
  fake: FakeGitHub,
  p: { method: string; path: string; token?: string; body?: unknown }
) {
  const res = await fetch(fake.url + p.path, {
    method: p.method,
    headers: {
      authorization: `token ${p.token ?? 'ghs_write'}`,
      ...(p.body === undefined ? {} : { 'content-type': 'application/json' })
    },
    body: p.body === undefined ? undefined : JSON.stringify(p.body)
  })
  const text = await res.text()
  return {
    status: res.status,
    link: res.headers.get('link'),
    text,
    json: text ? (JSON.parse(text) as unknown) : undefined
  }
}

async function seededFake(mode: Mode): Promise<FakeGitHub> {
  const fake = await startFakeGitHub({ mode, fractionalSeconds: true })
  seedRepo(fake.store, REPO, { count: 40, seed: 4, now: NOW })
  fake.store.addCache('octo-org/second', { size_in_bytes: 5 })
  fake.store.addEnterprise('octo-ent', ['octo-org'])
  return fake
}

const fakes: FakeGitHub[] = []
beforeAll(() => {
  dotcom = load('api.github.com.json')
  ghec = load('ghec.json')
  ghes = load(NEWEST_GHES)
})
afterAll(async () => {
  await Promise.all(fakes.map(f => f.close()))
})

describe.each(['dotcom', 'ghes'] as const)('%s mode against the OpenAPI description', mode => {
  let fake: FakeGitHub
  beforeAll(async () => {
    fake = await seededFake(mode)
    fakes.push(fake)
  })

  it('probes every route the fake serves in this mode', () => {
    const served = ROUTES.filter(r => r.modes.includes(mode)).map(r => `${r.method} ${r.template}`)
    const probed = probes(fake).map(p => `${p.method} ${p.template}`)
    expect([...new Set(probed)].sort()).toEqual([...served].sort())
  })

  it('serves only routes that exist in the matching spec', () => {
    const located = ROUTES.filter(r => r.modes.includes(mode)).map(r => {
      const found = specFor(mode, r.method, r.template)
      return `${r.method} ${r.template} -> ${found?.name ?? 'MISSING'}`
    })
    expect(located.filter(l => l.endsWith('MISSING'))).toEqual([])
    const notInPrimary = located.filter(
      l => !l.endsWith(mode === 'ghes' ? NEWEST_GHES : 'api.github.com.json')
    )
    // The enterprise usage endpoint is GHEC-only: absent from api.github.com.json, present in ghec.json.
    expect(notInPrimary).toEqual(
      mode === 'ghes' ? [] : ['GET /enterprises/{enterprise}/actions/cache/usage -> ghec.json']
    )
  })

  it('does not serve the other product’s routes', async () => {
    const spec = mode === 'ghes' ? ghes : dotcom
    const others = ROUTES.filter(x => !x.modes.includes(mode))
    expect(others.length).toBeGreaterThan(3)
    for (const r of others) {
      // absent from this product's spec, so the fake must answer 404 Not Found
      expect([r.template, operation(spec, r.method, r.template)]).toEqual([r.template, undefined])
      const path = r.template
        .replace('{owner}/{repo}', REPO)
        .replace('{org}', 'octo-org')
        .replace('{enterprise}', 'octo-ent')
      const got = await send(fake, {
        method: r.method,
        path,
        token: 'ghp_admin',
        body: r.method === 'GET' ? undefined : {}
      })
      expect([r.method, path, got.status, got.json]).toEqual([
        r.method,
        path,
        404,
        expect.objectContaining({ message: 'Not Found', documentation_url: expect.any(String) })
      ])
    }
  })

  it('has validators that reject bodies of the wrong shape', async () => {
    const spec = mode === 'ghes' ? ghes : dotcom
    const name = mode === 'ghes' ? NEWEST_GHES : 'api.github.com.json'
    const pulls = (
      await send(fake, { method: 'GET', path: `/repos/${REPO}/pulls?state=all&per_page=1` })
    ).json as Json[]
    const listSchema = { type: 'array', items: { $ref: `${SCHEMA_REF}pull-request-simple` } }
    const v = validator(spec, name, listSchema)
    expect(v(pulls)).toBe(true)
    const broken = JSON.parse(JSON.stringify(pulls)) as { head: { repo: { owner: Json } } }[]
    delete broken[0].head.repo.owner.login
    expect(v(broken)).toBe(false)
    const nullableOk = JSON.parse(JSON.stringify(pulls)) as Json[]
    nullableOk[0].body = null
    nullableOk[0].milestone = null
    expect(v(nullableOk)).toBe(true)
    const notNullable = JSON.parse(JSON.stringify(pulls)) as Json[]
    notNullable[0].title = null
    expect(v(notNullable)).toBe(false)
    const caches = validator(spec, name, { $ref: `${SCHEMA_REF}actions-cache-list` })
    expect(
      caches({
        total_count: 1,
        actions_caches: [{ id: 1, last_accessed_at: '2024-05-01T10:00:00.1234567Z' }]
      })
    ).toBe(true)
    expect(caches({ total_count: '1', actions_caches: [] })).toBe(false)
    expect(caches({ total_count: 1, actions_caches: [{ id: 1, created_at: 'yesterday' }] })).toBe(
      false
    )
    expect(caches({ actions_caches: [] })).toBe(false)
  })

  it('answers each probe with a declared status and a body matching its schema', async () => {
    const problems: string[] = []
    for (const p of probes(fake)) {
      const r = await send(fake, p)
      const where = `${mode} ${p.method} ${p.path}`
      if (r.status !== p.status) {
        problems.push(`${where}: status ${r.status} (wanted ${p.status}) ${r.text.slice(0, 200)}`)
        continue
      }
      const found = specFor(mode, p.method, p.template)
      const op = found ? operation(found.spec, p.method, p.template) : undefined
      if (!found || !op) {
        problems.push(`${where}: operation missing from the spec`)
        continue
      }
      const declared = (op.responses as Record<string, Json>)[String(r.status)]
      if (!declared) {
        problems.push(`${where}: status ${r.status} not declared`)
        continue
      }
      const response = resolveResponse(found.spec, declared)
      const schema = (response.content as Record<string, { schema: unknown }> | undefined)?.[
        'application/json'
      ]?.schema
      if (!schema) {
        if (r.text !== '') problems.push(`${where}: body on a response without content`)
        continue
      }
      const validate = validator(found.spec, found.name, schema)
      if (!validate(r.json)) {
        problems.push(
          `${where}: ${ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 600)}`
        )
      }
      if (r.link && !(response.headers as Json | undefined)?.Link) {
        problems.push(`${where}: sends Link but the spec declares none`)
      }
      if (p.body !== undefined) {
        const content = (op.requestBody as { content: Record<string, { schema: unknown }> }).content
        const requestValidate = validator(
          found.spec,
          found.name,
          content['application/json'].schema
        )
        if (!requestValidate(p.body))
          problems.push(`${where}: our request body is invalid for the spec`)
      }
    }
    expect(problems).toEqual([])
  })

  it('answers errors with bodies in the basic-error and validation-error shapes', async () => {
    const spec = mode === 'ghes' ? ghes : dotcom
    const name = mode === 'ghes' ? NEWEST_GHES : 'api.github.com.json'
    const basic = validator(spec, name, { $ref: `${SCHEMA_REF}basic-error` })
    const validation = validator(spec, name, { $ref: `${SCHEMA_REF}validation-error` })
    const r = `/repos/${REPO}`
    const cases = [
      { method: 'GET', path: `${r}/actions/caches`, token: 'nope', status: 401, v: basic },
      { method: 'DELETE', path: `${r}/actions/caches/1`, token: 'ghs_read', status: 403, v: basic },
      { method: 'DELETE', path: `${r}/actions/caches/999999`, status: 404, v: basic },
      { method: 'GET', path: '/repos/octo-org/missing/actions/caches', status: 404, v: basic },
      { method: 'DELETE', path: `${r}/actions/caches`, status: 422, v: validation },
      { method: 'GET', path: `${r}/actions/caches?per_page=x`, status: 422, v: validation }
    ]
    const declared404 = (
      resolveResponse(spec, spec.components.responses.not_found).content as Record<
        string,
        { schema: Json }
      >
    )['application/json'].schema
    expect(declared404).toEqual({ $ref: `${SCHEMA_REF}basic-error` })
    for (const c of cases) {
      const got = await send(fake, c)
      expect([c.path, got.status]).toEqual([c.path, c.status])
      expect([c.path, c.v(got.json), c.v.errors]).toEqual([c.path, true, null])
      expect(got.json).toMatchObject({
        message: expect.any(String),
        documentation_url: expect.any(String)
      })
    }
  })
})

describe('facts the reference file relies on', () => {
  it('matches the spec’s list parameters and the limit bodies', () => {
    const op = operation(dotcom, 'GET', '/repos/{owner}/{repo}/actions/caches') as Json
    const params = (op.parameters as { $ref: string }[]).map(
      p => dotcom.components.parameters[p.$ref.split('/').pop() as string]
    )
    const byName = Object.fromEntries(params.map(p => [p.name as string, p]))
    expect(Object.keys(byName).sort()).toEqual([
      'direction',
      'key',
      'owner',
      'page',
      'per_page',
      'ref',
      'repo',
      'sort'
    ])
    expect((byName.sort.schema as Json).enum).toEqual([
      'created_at',
      'last_accessed_at',
      'size_in_bytes'
    ])
    expect((byName.sort.schema as Json).default).toBe('last_accessed_at')
    expect((byName.direction.schema as Json).default).toBe('desc')
    expect((byName.per_page.schema as Json).default).toBe(30)
    // retention/storage limits: PUT answers 204 and declares 400 (not 422) for bad input
    for (const path of [
      '/repos/{owner}/{repo}/actions/cache/retention-limit',
      '/organizations/{org}/actions/cache/storage-limit',
      '/enterprises/{enterprise}/actions/cache/retention-limit'
    ]) {
      const put = operation(dotcom, 'PUT', path) as Json
      expect(Object.keys(put.responses as Json).sort()).toEqual(['204', '400', '403', '404'])
    }
    expect(operation(dotcom, 'GET', '/orgs/{org}/actions/cache/retention-limit')).toBeUndefined()
    // GHES usage policy PATCH answers 204
    const patch = operation(
      ghes,
      'PATCH',
      '/repos/{owner}/{repo}/actions/cache/usage-policy'
    ) as Json
    expect(Object.keys(patch.responses as Json)).toEqual(['204'])
  })
})
