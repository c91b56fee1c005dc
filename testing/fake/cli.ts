// Starts a seeded fake GitHub for manual poking:
//   tsx testing/fake/cli.ts [--port N] [--seed N] [--count N] [--repo owner/name] [--ghes] [--prefix-delete]
// Prints the API URL and the tokens, then serves until interrupted.

import { seedRepo } from './seed.js'
import { DEFAULT_TOKENS, startFakeGitHub } from './server.js'

function parseArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`)
    const eq = arg.indexOf('=')
    if (eq > 0) out[arg.slice(2, eq)] = arg.slice(eq + 1)
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[arg.slice(2)] = argv[++i]
    else out[arg.slice(2)] = 'true'
  }
  return out
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a non-negative integer`)
  return n
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  if (args.help) {
    console.log(
      'usage: tsx testing/fake/cli.ts [--port N] [--seed N] [--count N] [--repo owner/name] [--ghes] [--prefix-delete]'
    )
    return
  }
  const port = integer(args.port, 0, 'port')
  const seed = integer(args.seed, 1, 'seed')
  const count = integer(args.count, 500, 'count')
  const repo = args.repo ?? 'octo-org/hello-world'
  const fake = await startFakeGitHub({
    port,
    mode: args.ghes ? 'ghes' : 'dotcom',
    deleteByKeyMatch: args['prefix-delete'] ? 'prefix' : 'exact'
  })
  seedRepo(fake.store, repo, { count, seed })
  fake.store.addEnterprise('octo-enterprise', [repo.split('/')[0]])
  console.log(`fake GitHub API (${fake.mode}) at ${fake.url}`)
  console.log(`repository ${repo}: ${fake.store.cacheCount(repo)} caches (seed ${seed})`)
  console.log('tokens:')
  for (const [token, grant] of Object.entries(DEFAULT_TOKENS)) {
    console.log(`  ${token}  ${JSON.stringify(grant)}`)
  }
  console.log(
    `try: curl -H 'authorization: token ghs_write' '${fake.url}/repos/${repo}/actions/caches?per_page=5'`
  )
  const stop = (): void => {
    console.log(
      `\n${fake.requests.length} requests served, ${fake.deletions.length} caches deleted`
    )
    void fake.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
