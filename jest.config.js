// Jest runs in ESM mode (npm test passes --experimental-vm-modules) because
// @actions/core and @octokit/core are ESM-only. ts-jest only transpiles;
// `npm run lint` does the type-checking. Two projects: every test on the
// machine's Node (which also runs the bundle), and the end-to-end tests again
// with the bundle run by Node 24, the version the runner uses.
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
  }
}

/** @type {import('jest').Config} */
export default {
  reporters: ['default', '<rootDir>/__tests__/support/count-reporter.cjs'],
  maxWorkers: 2,
  // global, not per project (jest ignores it inside a project)
  testTimeout: 60000,
  // A worker that has finished its files exits once its event loop is empty;
  // jest force-kills it (and warns of a leak) if that takes longer than this.
  // The default, 500 ms, is too short on a busy 2-core machine: workers that
  // ran only pure engine tests, with no handle left open, were force-killed
  // at a load average of 13. A real leak still gets the warning, 10 s later.
  workerGracefulExitTimeout: 10_000,
  projects: [
    {
      ...base,
      displayName: 'tests',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      setupFiles: ['<rootDir>/__tests__/support/setup.ts']
    },
    {
      ...base,
      displayName: 'bundle on node24',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      setupFiles: ['<rootDir>/__tests__/support/setup.ts', '<rootDir>/__tests__/support/node24.ts']
    }
  ]
}
