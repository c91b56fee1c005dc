// StrykerJS: `npm run mutate` changes the code under test one small way at a
// time (a mutant) and runs the unit and property tests against each change; a
// mutant that no test fails on "survives". Not part of `npm test` nor CI: a
// full run takes a long while (CONTRIBUTING.md, "Mutation testing", has the
// scores and run times). One file: `npm run mutate -- --mutate src/run/executor.ts`.
import jestConfig from './jest.config.js'

// The jest project that runs every test on the machine's Node, narrowed to the
// unit and property tests: the end-to-end, project, fake-API and simulator
// tests run the bundle or a child process, never the mutated source, and would
// only slow every mutant down.
const [tests] = jestConfig.projects
// STRYKER_TESTS narrows them further: folders (engine) or globs under
// __tests__ (engine/rules*). Each mutant loads every test file that imports
// the mutated file, so a run of an engine file over all five folders takes
// hours on a busy 2-core machine; a narrowed run's score is a lower bound (a
// test left out could only kill more mutants).
const UNIT_TESTS = (process.env.STRYKER_TESTS ?? 'engine,run,github,commands,cli').split(',')
const testPath = entry =>
  entry.includes('*')
    ? `<rootDir>/__tests__/${entry}.test.ts`
    : `<rootDir>/__tests__/${entry}/**/*.test.ts`

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // jest runs the ESM tests only with vm modules, as in `npm test`
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  jest: {
    projectType: 'custom',
    config: {
      ...tests,
      displayName: undefined,
      testMatch: UNIT_TESTS.map(testPath),
      testTimeout: jestConfig.testTimeout
    },
    enableFindRelatedTests: true
  },
  coverageAnalysis: 'perTest',
  // A static mutant changes a module-level constant (the inputs table, the
  // unit tables), which only a fresh load of every test that imports the file
  // can see: about 100 such mutants in these files, each needing the whole
  // unit suite (80 s on this machine), would make a run hours long. Off by
  // default; STRYKER_STATIC=1 npm run mutate includes them.
  ignoreStatic: process.env.STRYKER_STATIC !== '1',
  // a 2-core machine shared with others
  concurrency: 2,
  // jest in ESM mode keeps every run's module graph alive in its process: a
  // runner reused for a hundred mutants holds ~3 GB and spends its time
  // collecting garbage (a run fell from ~50 mutants a minute to 4). A fresh
  // runner every 20 mutants costs a jest start-up (~2 s) each time.
  maxTestRunnerReuse: 20,
  mutate: [
    'src/github/governor.ts',
    'src/run/executor.ts',
    'src/run/listing.ts',
    'src/engine/rules.ts',
    'src/engine/parse.ts',
    'src/engine/prune-settings.ts',
    'src/engine/inputs.ts'
  ],
  // the sandbox needs only what the unit tests import
  ignorePatterns: [
    'dist',
    'build',
    'coverage',
    'reports',
    'bench',
    'simulator',
    'examples',
    'docs'
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  timeoutMS: 30000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true
}
