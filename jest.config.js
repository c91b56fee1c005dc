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
  maxWorkers: 2
}
