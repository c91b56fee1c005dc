// The pure parts behind the command line's list and delete: terminal widths,
// repository locations (remotes, -R HOST/OWNER/REPO), delete's targets and
// their resolution by exact key, and list's JSON fields.
import { cacheJson, CACHE_FIELDS, parseCacheFields } from '../../src/engine/cache-fields.js'
import type { Cache } from '../../src/engine/cache.js'
import {
  commonKeyPrefix,
  parseDeleteTargets,
  selectForDelete
} from '../../src/engine/delete-targets.js'
import { InputError } from '../../src/engine/errors.js'
import { ACTION_COMMANDS, readCommand } from '../../src/engine/inputs.js'
import { apiUrlForHost, parseRemoteUrl, splitRepoHost, tokenHost } from '../../src/engine/remote.js'
import { displayWidth, fitMiddle, padTo } from '../../src/engine/width.js'

describe('displayWidth and fitMiddle', () => {
  it.each([
    ['', 0],
    ['npm-linux-3f2a', 14],
    ['ビルド', 6],
    ['캐시', 4],
    ['ｆｕｌｌ', 8],
    ['e\u0301', 1],
    ['🚀', 2],
    ['👩‍👩‍👧', 2],
    ['✔\ufe0f', 2],
    ['a\u200bb', 2]
  ])('%j takes %d columns', (text, width) => {
    expect(displayWidth(text)).toBe(width)
  })

  it('cuts the middle, keeps both ends, and never splits a wide character', () => {
    expect(fitMiddle('Linux-node-modules-0123456789abcdef', 20)).toBe('Linux-node…789abcdef')
    expect(displayWidth(fitMiddle('Linux-node-modules-0123456789abcdef', 20))).toBe(20)
    expect(fitMiddle('short', 20)).toBe('short')
    const wide = fitMiddle('ビルドキャッシュのキー', 9)
    expect(displayWidth(wide)).toBeLessThanOrEqual(9)
    expect(wide).toMatch(/^ビル…のキー$|^ビル.*….*キー$/)
    expect(fitMiddle('abc', 1)).toBe('…')
    expect(fitMiddle('abc', 0)).toBe('')
  })

  it('pads by columns, so wide characters line up', () => {
    expect(padTo('ビルド', 8)).toBe('ビルド  ')
    expect(padTo('12', 5, 'right')).toBe('   12')
  })
})

describe('repository locations', () => {
  it.each([
    ['https://github.com/octo/app.git', 'github.com', 'octo', 'app', 'https'],
    ['https://github.com/octo/app', 'github.com', 'octo', 'app', 'https'],
    ['https://user:secret@github.com/octo/app.git/', 'github.com', 'octo', 'app', 'https'],
    ['git@github.com:octo/app.git', 'github.com', 'octo', 'app', 'https'],
    ['github.com:octo/app', 'github.com', 'octo', 'app', 'https'],
    ['ssh://git@ssh.github.com:443/octo/app.git', 'github.com', 'octo', 'app', 'https'],
    ['ssh://git@ghes.example.com:2222/octo/app.git', 'ghes.example.com', 'octo', 'app', 'https'],
    ['git@GHES.Example.com:octo/app.git', 'ghes.example.com', 'octo', 'app', 'https'],
    ['git://github.com/octo/app.git', 'github.com', 'octo', 'app', 'https'],
    ['http://127.0.0.1:8080/octo/app.git', '127.0.0.1:8080', 'octo', 'app', 'http']
  ])('%s', (url, host, owner, repo, scheme) => {
    expect(parseRemoteUrl(url)).toEqual({ host, owner, repo, scheme })
  })

  it.each([
    '/home/me/app.git',
    'C:\\repos\\app',
    'https://github.com/octo',
    'https://github.com/octo/app/tree/main',
    'file:///tmp/app.git',
    'not a url'
  ])('%s is not a repository on a GitHub host', url => {
    expect(parseRemoteUrl(url)).toBeUndefined()
  })

  it('reads -R [HOST/]OWNER/REPO as gh does', () => {
    expect(splitRepoHost('octo/app')).toEqual({ repository: 'octo/app' })
    expect(splitRepoHost('ghes.example.com/octo/app')).toEqual({
      host: 'ghes.example.com',
      repository: 'octo/app'
    })
    expect(splitRepoHost('github.com/octo/app')).toEqual({
      host: 'github.com',
      repository: 'octo/app'
    })
    expect(splitRepoHost('https://ghes.example.com/octo/app')).toEqual({
      host: 'ghes.example.com',
      repository: 'octo/app'
    })
    // three parts without a host stay as they are: the repository's parser refuses them
    expect(splitRepoHost('a/b/c')).toEqual({ repository: 'a/b/c' })
  })

  it('gives the API of a host: GHES /api/v3, GHE.com api.TENANT, none for github.com', () => {
    expect(apiUrlForHost('github.com')).toBeUndefined()
    expect(apiUrlForHost('www.github.com')).toBeUndefined()
    expect(apiUrlForHost('ghes.example.com')).toBe('https://ghes.example.com/api/v3')
    expect(apiUrlForHost('127.0.0.1:8080', 'http')).toBe('http://127.0.0.1:8080/api/v3')
    expect(apiUrlForHost('octo.ghe.com')).toBe('https://api.octo.ghe.com')
    expect(tokenHost('ghes.example.com:8443')).toBe('ghes.example.com')
  })
})

const cache = (id: number, key: string, ref = 'refs/heads/main', createdAt = id): Cache => ({
  id,
  key,
  ref,
  version: 'v',
  sizeInBytes: 100 * id,
  lastAccessedAt: createdAt,
  createdAt
})

describe("delete's targets", () => {
  it('reads digits as ids and anything else as keys, once each', () => {
    expect(parseDeleteTargets(['12', 'npm-abc', '12', 'npm-abc', '007'], 'targets')).toEqual([
      { kind: 'id', id: 12 },
      { kind: 'key', key: 'npm-abc' },
      { kind: 'id', id: 7 }
    ])
    expect(() => parseDeleteTargets(['0'], 'targets')).toThrow(InputError)
    expect(() => parseDeleteTargets(['99999999999999999999'], 'targets')).toThrow(/not a cache id/)
  })

  it('resolves a key to the caches whose key is exactly it, never a prefix or another case', () => {
    const listed = [
      cache(1, 'npm-abc'),
      cache(2, 'npm-abc-extra'),
      cache(3, 'NPM-ABC'),
      cache(4, 'npm-abc', 'refs/pull/7/merge'),
      cache(5, 'other')
    ]
    const all = selectForDelete([{ kind: 'key', key: 'npm-abc' }], listed, { idsListed: false })
    expect(all.decisions.map(d => d.cache.id)).toEqual([1, 4])
    expect(all.notFound).toEqual([])
    const onRef = selectForDelete([{ kind: 'key', key: 'npm-abc' }], listed, {
      ref: 'refs/pull/7/merge',
      idsListed: false
    })
    expect(onRef.decisions.map(d => d.cache.id)).toEqual([4])
    const none = selectForDelete([{ kind: 'key', key: 'npm' }], listed, { idsListed: false })
    expect(none).toEqual({ decisions: [], notFound: ['npm'] })
  })

  it('takes ids as given unless they were looked up, and --all takes every cache on the ref', () => {
    const listed = [cache(1, 'a'), cache(2, 'b', 'refs/pull/7/merge')]
    const blind = selectForDelete([{ kind: 'id', id: 99 }], [], { idsListed: false })
    expect(blind.decisions.map(d => [d.cache.id, d.cache.key])).toEqual([[99, '']])
    const looked = selectForDelete(
      [
        { kind: 'id', id: 99 },
        { kind: 'id', id: 1 }
      ],
      listed,
      {
        idsListed: true
      }
    )
    expect(looked.decisions.map(d => d.cache.id)).toEqual([1])
    expect(looked.notFound).toEqual(['99'])
    const all = selectForDelete([], listed, {
      all: true,
      ref: 'refs/pull/7/merge',
      idsListed: false
    })
    expect(all.decisions.map(d => d.cache.id)).toEqual([2])
  })

  it('lists the common prefix of the keys named', () => {
    expect(commonKeyPrefix(['npm-a', 'npm-b'])).toBe('npm-')
    expect(commonKeyPrefix([])).toBe('')
  })
})

describe("list's JSON fields", () => {
  it('takes gh’s names, all of them when none are given', () => {
    expect(parseCacheFields('', 'json')).toEqual([...CACHE_FIELDS])
    expect(parseCacheFields('id, key,id', 'json')).toEqual(['id', 'key'])
    expect(() => parseCacheFields('id,size', 'json')).toThrow(/unknown JSON field 'size'/)
  })

  it('writes a cache with RFC 3339 times and its values untouched', () => {
    const c = { ...cache(1, 'a\u001b[2J::x'), createdAt: Date.parse('2024-05-01T10:00:00Z') }
    expect(cacheJson(c, ['key', 'createdAt', 'sizeInBytes'])).toEqual({
      key: 'a\u001b[2J::x',
      createdAt: '2024-05-01T10:00:00Z',
      sizeInBytes: 100
    })
  })
})

describe('the action accepts only its own commands', () => {
  it.each(['list', 'delete', 'ls'])('command: %s is refused, naming the input', word => {
    expect(() => readCommand(() => word)).toThrow(
      /Input 'command': '.*' is not one of 'prune', 'usage', 'limits'/
    )
  })
  it('reads its three', () => {
    for (const c of ACTION_COMMANDS) expect(readCommand(() => c)).toBe(c)
  })
})
