// npm run demo: the bundled action against the project's fake GitHub API,
// seeded with a few thousand realistic caches. No token, no network.
//   1. a nightly policy as a dry run (nothing is deleted),
//   2. the cleanup a closed pull request triggers (caches are deleted).
// Each run fits on one screen: the log, the outputs and the head of the job
// summary. The whole summary goes to a file under .tmp/demo/, named on screen.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { startFakeGitHub } from '../testing/fake/server.js'
import { seedRepo } from '../testing/fake/seed.js'
import { examplePayload, runAction, type RunResult } from '../testing/action-runner.js'

const REPO = 'octo-org/hello-world'
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)
const root = new URL('../', import.meta.url).pathname
const summaryDir = join(root, '.tmp', 'demo')
/** Lines of the summary shown on screen: its heading and totals, up to the first per-ref section. */
const SUMMARY_HEAD_LINES = 14

/** The runner turns ::group:: and friends into folds and annotations; show them plainly. */
function readableLog(stdout: string): string {
  return stdout
    .trimEnd()
    .split('\n')
    .filter(
      l =>
        !l.startsWith('::add-mask::') &&
        !l.startsWith('::endgroup::') &&
        !l.startsWith('::set-output')
    )
    .map(l =>
      l
        .replace(/^::group::(.*)$/, '▸ $1')
        .replace(/^::(warning|error)[^:]*::/, (_m, k: string) => `${k.toUpperCase()}: `)
    )
    .map(l => `    ${l}`)
    .join('\n')
}

/** The summary's opening: everything before the first per-ref section, at most SUMMARY_HEAD_LINES. */
function summaryHead(summary: string): string[] {
  const lines = summary.trimEnd().split('\n')
  const details = lines.findIndex(l => l.startsWith('<details'))
  const end = Math.min(details < 0 ? lines.length : details, SUMMARY_HEAD_LINES)
  const head = lines.slice(0, end)
  // no blank lines or section heading left hanging at the cut
  while (head.length > 0 && /^(\s*|#+ .*)$/.test(head[head.length - 1])) head.pop()
  return head
}

function show(run: number, title: string, result: RunResult): void {
  console.log(`\n${bold(`=== ${run}. ${title} (exit code ${result.code}) ===`)}\n`)
  console.log(bold('Log:'))
  console.log(readableLog(result.stdout))
  console.log(`\n${bold('Outputs:')}`)
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(
      `    ${name} = ${value.length > 60 ? `${value.slice(0, 60)}… (${value.length} characters)` : value}`
    )
  }
  mkdirSync(summaryDir, { recursive: true })
  const file = join(summaryDir, `summary-${run}.md`)
  writeFileSync(file, result.summary)
  const head = summaryHead(result.summary)
  const rest = result.summary.trimEnd().split('\n').length - head.length
  console.log(`\n${bold('Job summary (Markdown; GitHub renders it on the run page), its head:')}\n`)
  console.log(head.map(l => `    ${l}`).join('\n'))
  console.log(`    … ${rest} more lines: the whole summary is in ${relative(process.cwd(), file)}`)
}

const fake = await startFakeGitHub({})
try {
  const seeded = seedRepo(fake.store, REPO, { count: 3000, seed: 2026, now: Date.now() })
  const total = fake.store.caches(REPO).reduce((n, c) => n + c.size_in_bytes, 0)
  console.log(`Fake GitHub API at ${fake.url}`)
  console.log(
    `${REPO}: a monorepo on a paid cache limit, ${fake.store.caches(REPO).length} caches, ${(total / 2 ** 30).toFixed(1)} GiB, ${seeded.pulls.length} pull requests`
  )

  const common = { apiUrl: fake.url, repository: REPO, env: { CACHE_STEWARD_TIME_SCALE: '0.01' } }
  const nightly = await runAction({
    ...common,
    eventName: 'schedule',
    inputs: {
      keys: '*',
      'older-than': '3d',
      'keep-latest': '1',
      'max-total-size': '350GB',
      'dry-run': 'true'
    }
  })
  show(
    1,
    'Nightly prune, dry run: keys *, older-than 3d, keep-latest 1, max-total-size 350GB',
    nightly
  )

  const counts = new Map<string, number>()
  for (const c of fake.store.caches(REPO)) counts.set(c.ref, (counts.get(c.ref) ?? 0) + 1)
  const [ref] = [...counts.entries()]
    .filter(([r]) => r.startsWith('refs/pull/'))
    .sort((a, b) => b[1] - a[1])[0]
  const number = Number(ref.split('/')[2])
  const payload = examplePayload('pull_request', 'closed') as {
    number: number
    pull_request: { number: number; merged: boolean }
  }
  payload.number = number
  payload.pull_request.number = number
  payload.pull_request.merged = true
  const closed = await runAction({
    ...common,
    eventName: 'pull_request',
    payload,
    ref: 'refs/heads/main'
  })
  show(
    2,
    `Pull request #${number} merged and closed (GITHUB_REF is refs/heads/main; the action ignores it)`,
    closed
  )

  console.log(`\n${bold('What the fake API saw:')}`)
  console.log(
    `    ${fake.requests.length} requests, ${fake.mutations()} of them mutating (all from the second run), ${fake.deletions.length} caches deleted`
  )
  if (nightly.code !== 0 || closed.code !== 0) process.exitCode = 1
} finally {
  await fake.close()
}
