// The client honours the runner's proxy settings, as @actions/github's
// getOctokit did: with HTTP_PROXY set, a request to the API goes through the
// proxy (a CONNECT tunnel), and NO_PROXY or a loopback address goes direct.
// A small CONNECT proxy in the test records what it was asked to reach and
// forwards every tunnel to the fake.
import { createServer, type Server } from 'node:http'
import { connect, type Socket } from 'node:net'
import { createOctokit } from '../../src/github/octokit.js'
import { startFakeGitHub, type FakeGitHub } from '../../testing/fake/server.js'

const REPO = 'octo/app'
const PROXY_VARS = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy'
]

let fake: FakeGitHub
let proxy: Server
let proxyUrl: string
const tunnels: string[] = []
const sockets = new Set<Socket>()
const saved = new Map(PROXY_VARS.map(name => [name, process.env[name]]))

beforeAll(async () => {
  fake = await startFakeGitHub()
  fake.store.addRepo(REPO)
  fake.store.addCache(REPO, { key: 'k' })
  proxy = createServer((_req, res) => res.writeHead(405).end())
  proxy.on('connect', (req, client: Socket) => {
    tunnels.push(req.url ?? '')
    // every host the test names is the fake
    const upstream = connect(fake.port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => s.destroy())
      s.on('close', () => sockets.delete(s))
    }
  })
  await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
  const address = proxy.address()
  if (address === null || typeof address === 'string') throw new Error('no proxy port')
  proxyUrl = `http://127.0.0.1:${address.port}`
})

afterAll(async () => {
  for (const s of sockets) s.destroy()
  await new Promise<void>(resolve => proxy.close(() => resolve()))
  await fake.close()
})

beforeEach(() => {
  tunnels.length = 0
  fake.resetCounters()
  for (const name of PROXY_VARS) delete process.env[name]
})

afterEach(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

/** One list request through a fresh client, as the adapters make it. */
async function listThrough(baseUrl: string): Promise<number> {
  const octokit = createOctokit('ghs_write', baseUrl)
  const res = await octokit.request('GET /repos/{owner}/{repo}/actions/caches', {
    owner: 'octo',
    repo: 'app'
  })
  return res.data.total_count
}

describe('the proxy settings', () => {
  it('sends the requests through HTTP_PROXY', async () => {
    process.env.HTTP_PROXY = proxyUrl
    // a name that only the proxy can reach (it forwards every tunnel to the fake)
    const host = `api.proxied.test:${fake.port}`
    expect(await listThrough(`http://${host}`)).toBe(1)
    expect(tunnels).toEqual([host])
    expect(fake.requests.map(r => r.path)).toEqual([`/repos/${REPO}/actions/caches`])
  })

  it('goes direct for a host NO_PROXY names, and for a loopback address', async () => {
    process.env.HTTP_PROXY = proxyUrl
    process.env.NO_PROXY = 'example.com'
    expect(await listThrough(fake.url)).toBe(1)
    expect(tunnels).toEqual([])
    process.env.NO_PROXY = 'api.proxied.test'
    await expect(listThrough(`http://api.proxied.test:${fake.port}`)).rejects.toThrow()
    expect(tunnels).toEqual([])
  })
})
