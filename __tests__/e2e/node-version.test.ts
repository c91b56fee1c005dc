// The bundle's end-to-end tests run twice: under the machine's Node and, in
// the "bundle on node24" project, under Node 24, the runner's version. This
// checks that the second really is Node 24, so that project cannot quietly
// test the same Node twice.
import { execFileSync } from 'node:child_process'
import { bundleNode } from '../../testing/node-versions.js'

test('the bundle runs on the Node this project meant', () => {
  const version = execFileSync(bundleNode(), ['--version'], { encoding: 'utf8' }).trim()
  const expected = process.env.CACHE_STEWARD_NODE === 'node24' ? 'v24.' : process.version
  expect(version.startsWith(expected)).toBe(true)
})
