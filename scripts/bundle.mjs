// Builds the two committed bundles with ncc: dist/index.js (the action) and
// dist/cli.js (the command-line front end). ncc takes one entry per run, so the
// CLI is built into a scratch folder and moved beside the action's bundle.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ncc = join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
const build = (entry, out) =>
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--target', 'es2022', '-q'], {
    stdio: 'inherit'
  })

// `--out DIR` builds elsewhere (the stale-dist test compares that with dist/).
const at = process.argv.indexOf('--out')
const out = at > 0 ? process.argv[at + 1] : 'dist'

rmSync(out, { recursive: true, force: true })
build('src/index.ts', out)
if (existsSync('src/cli.ts')) {
  const scratch = join(out, '..', `.cli-bundle-${process.pid}`)
  rmSync(scratch, { recursive: true, force: true })
  build('src/cli.ts', scratch)
  const files = readdirSync(scratch)
  if (files.length !== 1 || files[0] !== 'index.js') {
    throw new Error(`unexpected CLI bundle files: ${files.join(', ')}`)
  }
  mkdirSync(out, { recursive: true })
  renameSync(join(scratch, 'index.js'), join(out, 'cli.js'))
  rmSync(scratch, { recursive: true, force: true })
}
writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n')
