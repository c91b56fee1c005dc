// The fake's latency, time scale and the measurements the benchmark reads:
// secondary limits by points and by concurrency, mutations per window. No
// assertion depends on how long anything took: latencies are checked as the
// values the fake drew, and windows with waits far longer than they are.

import { describe, expect, it } from '@jest/globals'
import { SECONDARY_RATE_LIMIT_MESSAGE } from '../../testing/fake/faults.js'
import { startFakeGitHub, type FakeGitHub } from '../../testing/fake/server.js'
import { fakeStarter } from '../support/fake-fixture.js'

const REPO = 'acme/app'

const start = fakeStarter()

async function call(
  fake: FakeGitHub,
  method: string,
  path: string
): Promise<{ status: number; retryAfter: string | null; message?: string }> {
  const res = await fetch(fake.url + path, {
    method,
    headers: { authorization: 'token ghs_write' }
  })
  const text = await res.text()
  const message = text ? (JSON.parse(text) as { message?: string }).message : undefined
  return { status: res.status, retryAfter: res.headers.get('retry-after'), message }
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const LIST = `/repos/${REPO}/actions/caches`

describe('latency', () => {
  it('draws each request a seeded latency within the bounds', async () => {
    const drawn = async (seed: number): Promise<number[]> => {
      const fake = await start({ latencyMs: { min: 2, max: 6, seed } })
      fake.store.addRepo(REPO)
      for (let i = 0; i < 8; i++) expect((await call(fake, 'GET', LIST)).status).toBe(200)
      return fake.requests.map(r => r.latencyMs)
    }
    const a = await drawn(5)
    expect(a).toHaveLength(8)
    for (const ms of a) {
      expect(ms).toBeGreaterThanOrEqual(2)
      expect(ms).toBeLessThanOrEqual(6)
    }
    expect(new Set(a).size).toBeGreaterThan(1)
    expect(await drawn(5)).toEqual(a)
    expect(await drawn(6)).not.toEqual(a)
  })

  it('records no latency by default and restarts the sequence on resetCounters', async () => {
    const plain = await start()
    plain.store.addRepo(REPO)
    await call(plain, 'GET', LIST)
    expect(plain.requests[0].latencyMs).toBe(0)
    expect(plain.timeScale).toBe(1)

    const fake = await start({ latencyMs: { min: 1, max: 5, seed: 3 } })
    fake.store.addRepo(REPO)
    await call(fake, 'GET', LIST)
    await call(fake, 'GET', LIST)
    const first = fake.requests.map(r => r.latencyMs)
    fake.resetCounters()
    await call(fake, 'GET', LIST)
    await call(fake, 'GET', LIST)
    expect(fake.requests.map(r => r.latencyMs)).toEqual(first)
  })

  it('scales latency by timeScale', async () => {
    const full = await start({ latencyMs: { min: 10, max: 30, seed: 4 } })
    const scaled = await start({ latencyMs: { min: 10, max: 30, seed: 4 }, timeScale: 0.1 })
    for (const f of [full, scaled]) {
      f.store.addRepo(REPO)
      for (let i = 0; i < 4; i++) await call(f, 'GET', LIST)
    }
    const a = full.requests.map(r => r.latencyMs)
    const b = scaled.requests.map(r => r.latencyMs)
    b.forEach((ms, i) => expect(ms).toBeCloseTo(a[i] / 10, 2))
  })

  it('rejects impossible options', async () => {
    await expect(startFakeGitHub({ latencyMs: { min: 5, max: 1 } })).rejects.toThrow(/latencyMs/)
    await expect(startFakeGitHub({ timeScale: 0 })).rejects.toThrow(/timeScale/)
  })
})

describe('secondary limits as the benchmark uses them', () => {
  it('costs GET 1 and DELETE 5 and answers 403 with the message and retry-after', async () => {
    const fake = await start({
      faults: { secondaryRateLimit: { pointsPerMinute: 12, retryAfterSeconds: 60 } }
    })
    const ids = [1, 2, 3].map(() => fake.store.addCache(REPO).id)
    const got = [
      await call(fake, 'GET', LIST),
      await call(fake, 'GET', LIST),
      await call(fake, 'DELETE', `${LIST}/${ids[0]}`),
      await call(fake, 'DELETE', `${LIST}/${ids[1]}`),
      await call(fake, 'GET', LIST)
    ]
    expect(got.map(g => g.status)).toEqual([200, 200, 204, 204, 403])
    expect(got[4]).toEqual({
      status: 403,
      retryAfter: '60',
      message: SECONDARY_RATE_LIMIT_MESSAGE
    })
    expect(fake.pointsInWindow()).toBe(13)
    expect(fake.faults.count('secondary-rate-limit')).toBe(1)
    expect(fake.requests.map(r => r.fault ?? '-')).toEqual([
      '-',
      '-',
      '-',
      '-',
      'secondary-rate-limit'
    ])
  })

  it('slides its window, which timeScale shortens', async () => {
    // 60 s x 0.002 = a 120 ms window
    const fake = await start({
      timeScale: 0.002,
      faults: { secondaryRateLimit: { pointsPerMinute: 5 } }
    })
    const ids = [1, 2, 3].map(() => fake.store.addCache(REPO).id)
    expect((await call(fake, 'DELETE', `${LIST}/${ids[0]}`)).status).toBe(204)
    expect((await call(fake, 'DELETE', `${LIST}/${ids[1]}`)).status).toBe(403)
    await sleep(400)
    expect((await call(fake, 'DELETE', `${LIST}/${ids[1]}`)).status).toBe(204)
    expect(fake.maxMutationsInWindow(60_000)).toBe(3)
    expect(fake.maxMutationsInWindow()).toBe(2)
    expect(fake.store.cacheCount(REPO)).toBe(1)
  })

  it('limits by requests in flight when each arrives, latency included', async () => {
    const fake = await start({
      latencyMs: { min: 300, max: 300 },
      faults: { secondaryRateLimit: { concurrency: 3 } }
    })
    fake.store.addRepo(REPO)
    const replies = await Promise.all([1, 2, 3, 4, 5].map(() => call(fake, 'GET', LIST)))
    expect(replies.map(r => r.status).sort()).toEqual([200, 200, 200, 403, 403])
    expect(fake.maxConcurrent).toBe(5)
    expect(fake.requests.map(r => r.inFlightAtStart).sort()).toEqual([1, 2, 3, 4, 5])
    const limited = fake.requests.filter(r => r.fault === 'secondary-rate-limit')
    expect(limited.map(r => r.inFlightAtStart).sort()).toEqual([4, 5])
  })
})

describe('maxMutationsInWindow', () => {
  it('counts mutating requests whatever their status, and ignores GETs', async () => {
    const fake = await start()
    const c = fake.store.addCache(REPO)
    await call(fake, 'GET', LIST)
    await call(fake, 'DELETE', `${LIST}/${c.id}`)
    await call(fake, 'DELETE', `${LIST}/${c.id}`) // 404: already gone
    await call(fake, 'GET', LIST)
    expect(fake.maxMutationsInWindow()).toBe(2)
    expect(fake.maxPointsInWindow()).toBe(12)
    fake.resetCounters()
    expect(fake.maxMutationsInWindow()).toBe(0)
  })
})
