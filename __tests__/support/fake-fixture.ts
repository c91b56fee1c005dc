// A test file's fake GitHub API, closed after every test, and a run() that
// runs the bundle against it with the file's defaults and time shrunk 1000x;
// or, for tests of the fake itself, any number of fakes closed after each test.
import {
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions
} from '../../testing/fake/server.js'
import { runAction, type RunOptions, type RunResult } from '../../testing/action-runner.js'

export const FAST = { CACHE_STEWARD_TIME_SCALE: '0.001' }

export interface FakeFixture {
  /** starts this test's fake (closed after the test) */
  start(options?: FakeGitHubOptions): Promise<FakeGitHub>
  /** the bundle against the running fake: the defaults, then `o`, inputs and env merged */
  run(o?: Partial<RunOptions>): Promise<RunResult>
}

export function fakeFixture(defaults: Partial<RunOptions> & { repository: string }): FakeFixture {
  const startClosedAfterEach = fakeStarter()
  let fake: FakeGitHub | undefined
  afterEach(() => {
    fake = undefined
  })
  return {
    async start(options = {}) {
      fake = await startClosedAfterEach(options)
      return fake
    },
    run(o = {}) {
      if (!fake) throw new Error('start the fake first')
      return runAction({
        apiUrl: fake.url,
        ...defaults,
        ...o,
        inputs: { ...defaults.inputs, ...o.inputs },
        env: { ...FAST, ...defaults.env, ...o.env }
      })
    }
  }
}

/** start(options) starts a fake that is closed after the current test; a test may start several. */
export function fakeStarter(): (options?: FakeGitHubOptions) => Promise<FakeGitHub> {
  let fakes: FakeGitHub[] = []
  afterEach(async () => {
    await Promise.all(fakes.map(f => f.close()))
    fakes = []
  })
  return async (options = {}) => {
    const fake = await startFakeGitHub(options)
    fakes.push(fake)
    return fake
  }
}
