// Builds the two committed bundles with ncc: dist/index.js (the action) and
// dist/cli.js (the command-line front end). ncc takes one entry per run, so the
// CLI is built into a scratch folder and moved beside the action's bundle.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ncc = join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
const build = (entry, out) =>
  execFileSync(
    process.execPath,
    [ncc, 'build', entry, '-o', out, '--target', 'es2022', '--minify', '-q'],
    {
      stdio: 'inherit'
    }
  )

// `--out DIR` builds elsewhere (the stale-dist test compares that with dist/).
const at = process.argv.indexOf('--out')
const out = at > 0 ? process.argv[at + 1] : 'dist'

rmSync(out, { recursive: true, force: true })
build('src/index.ts', out)
if (existsSync('src/cli.ts')) {
  const scratch = join(out, '..', `.cli-bundle-${process.pid}`)
  rmSync(scratch, { recursive: true, force: true })
  build('src/cli.ts', scratch)
  // ncc writes a package.json ({"type": "module"}) beside an ESM bundle; out/ gets its own below.
  const files = readdirSync(scratch).filter(f => f !== 'package.json')
  if (files.length !== 1 || files[0] !== 'index.js') {
    throw new Error(`unexpected CLI bundle files: ${files.join(', ')}`)
  }
  mkdirSync(out, { recursive: true })
  // The package's `bin`: it must start with a hashbang, whether or not ncc kept src/cli.ts's.
  const code = readFileSync(join(scratch, 'index.js'), 'utf8')
  const hashbang = '#!/usr/bin/env node\n'
  writeFileSync(join(out, 'cli.js'), code.startsWith('#!') ? code : hashbang + code, {
    mode: 0o755
  })
  rmSync(scratch, { recursive: true, force: true })
}
writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n')
