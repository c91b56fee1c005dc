// The "bundle on node24" jest project: the end-to-end tests run dist/ under
// Node 24, the runner's version (testing/node-versions.ts).
process.env.CACHE_STEWARD_NODE = 'node24'
