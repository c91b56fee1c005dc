// The boundaries between the parts of src/, checked by `npm run lint`
// (depcruise). Each rule's comment says why it exists; CONTRIBUTING.md draws
// the same arrows. __tests__/project/boundaries.test.ts plants a violation of
// each rule in a scratch tree and checks that this config catches it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle ties two files together so that neither can be read alone.',
      severity: 'error',
      from: {},
      to: { circular: true }
    },
    {
      name: 'engine-is-pure',
      comment:
        'src/engine decides from (caches, policy, now) alone: it imports only itself and its pure libraries.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: {
        pathNot: ['^src/engine/', '(^|/)node_modules/(minimatch|yaml|ajv)/']
      }
    },
    {
      name: 'engine-no-node-builtins',
      comment: 'No I/O in the engine: no node: modules either.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { dependencyTypes: ['core'] }
    },
    {
      name: 'octokit-only-in-github',
      comment: 'src/github is the only code that touches Octokit.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/github/' },
      to: { path: '(^|/)node_modules/(@actions/github|@octokit/)' }
    },
    {
      name: 'actions-core-only-in-action',
      comment: 'src/action is the only code that touches @actions/core.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/action/' },
      to: { path: '(^|/)node_modules/@actions/core/' }
    },
    {
      name: 'github-imports-no-caller',
      comment: 'The API edge knows nothing of the executor, the commands or the front ends.',
      severity: 'error',
      from: { path: '^src/github/' },
      to: { path: '^src/(run|commands|action|cli)/' }
    },
    {
      name: 'run-reaches-github-through-ports',
      comment: 'The executor depends on the interfaces, never on an adapter or the governor.',
      severity: 'error',
      from: { path: '^src/run/' },
      to: { path: '^src/github/', pathNot: '^src/github/ports\\.ts$' }
    },
    {
      name: 'run-imports-no-caller',
      comment: 'The executor knows nothing of the commands or the front ends.',
      severity: 'error',
      from: { path: '^src/run/' },
      to: { path: '^src/(commands|action|cli)/' }
    },
    {
      name: 'commands-import-no-front-end',
      comment: 'A command returns results; how they are shown belongs to the front ends.',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^src/(action|cli)/' }
    },
    {
      name: 'action-and-cli-apart',
      comment: 'The two front ends never import each other; what they share is in commands/.',
      severity: 'error',
      from: { path: '^src/action/' },
      to: { path: '^src/cli/' }
    },
    {
      name: 'cli-and-action-apart',
      comment: 'The two front ends never import each other; what they share is in commands/.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/action/' }
    },
    {
      name: 'product-imports-no-test-support',
      comment: 'What ships (src/) never depends on the fake, the bench, scripts or tests.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(testing|bench|scripts|__tests__)/' }
    },
    {
      name: 'fake-owns-its-wire',
      comment:
        "The fake GitHub API is checked against GitHub's OpenAPI description, not against our reading of it.",
      severity: 'error',
      from: { path: '^testing/fake/' },
      to: { path: '^src/' }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types']
    }
  }
}
