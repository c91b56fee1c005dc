// Jest runs in ESM mode (npm test passes --experimental-vm-modules) because
// @actions/core and @actions/github are ESM-only. ts-jest only transpiles;
// `npm run lint` does the type-checking.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  setupFiles: ['<rootDir>/__tests__/support/setup.ts'],
  reporters: ['default', '<rootDir>/__tests__/support/count-reporter.cjs'],
  testTimeout: 60000,
  maxWorkers: 2,
  // A worker that has finished its files exits once its event loop is empty;
  // jest force-kills it (and warns of a leak) if that takes longer than this.
  // The default, 500 ms, is too short on a busy 2-core machine: workers that
  // ran only pure engine tests, with no handle left open, were force-killed
  // at a load average of 13. A real leak still gets the warning, 10 s later.
  workerGracefulExitTimeout: 10_000
}
