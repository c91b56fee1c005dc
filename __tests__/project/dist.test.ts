// dist/ is committed because the runner executes dist/index.js. This fails
// when it is not exactly what `npm run bundle` builds from the current src/.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('../../', import.meta.url).pathname

test('the committed dist/ is what npm run bundle builds from src/', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'cache-steward-dist-')), 'dist')
  try {
    execFileSync(process.execPath, ['scripts/bundle.mjs', '--out', out], {
      cwd: root,
      stdio: 'pipe'
    })
    const built = readdirSync(out).sort()
    expect(readdirSync(join(root, 'dist')).sort()).toEqual(built)
    for (const file of built) {
      const same = readFileSync(join(out, file)).equals(readFileSync(join(root, 'dist', file)))
      if (!same) throw new Error(`dist/${file} is stale: run npm run bundle and commit dist/`)
    }
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true })
  }
}, 120_000)
