// npm run simulate [-- --workload FILE ...] [-- --seed N] [-- --json] [-- --tune]
//
// Replays each workload (by default every file in simulator/workloads/, the
// tuning ones first) against the model of GitHub's cache once per policy,
// and prints one table per workload, then the targets for
// `policy: recommended`. --json prints the same as JSON. --tune sweeps
// recommended's parameters on the tuning workloads (simulator/tune.ts).

import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { simulateWorkload, type WorkloadResult } from './simulate.js'
import { renderChecks, renderJson, renderWorkload, LEGEND } from './table.js'
import { checkTargets } from './targets.js'
import { tune } from './tune.js'
import { readWorkload, WorkloadError, type Workload } from './workload.js'

const USAGE = 'usage: npm run simulate -- [--workload FILE]... [--seed N] [--json] [--tune]'
const shipped = new URL('./workloads/', import.meta.url).pathname

interface Options {
  readonly files: readonly string[]
  readonly seed: number
  readonly json: boolean
  readonly tune: boolean
}

function parseArgs(argv: readonly string[]): Options {
  const files: string[] = []
  let seed = 1
  let json = false
  let tuning = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new WorkloadError(`${arg} needs a value; ${USAGE}`)
      return v
    }
    if (arg === '--workload') files.push(value())
    else if (arg === '--seed') {
      const v = value()
      seed = Number(v)
      if (!Number.isSafeInteger(seed) || seed < 0)
        throw new WorkloadError(`--seed must be a whole number, not '${v}'`)
    } else if (arg === '--json') json = true
    else if (arg === '--tune') tuning = true
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`)
      process.exit(0)
    } else throw new WorkloadError(`unknown argument '${arg}'; ${USAGE}`)
  }
  return { files, seed, json, tune: tuning }
}

/** The shipped workloads: tuning ones first, then held-out, each by name. */
export function shippedWorkloads(): Workload[] {
  return readdirSync(shipped)
    .filter(f => f.endsWith('.json'))
    .map(f => readWorkload(join(shipped, f)))
    .sort((a, b) => (a.set === b.set ? (a.name < b.name ? -1 : 1) : a.set === 'tuning' ? -1 : 1))
}

function main(): void {
  const options = parseArgs(process.argv.slice(2))
  const workloads = options.files.length > 0 ? options.files.map(readWorkload) : shippedWorkloads()
  if (options.tune) {
    process.stdout.write(
      tune(
        workloads.filter(w => w.set === 'tuning'),
        options.seed
      )
    )
    return
  }
  const results: WorkloadResult[] = []
  for (const w of workloads) {
    if (!options.json) process.stderr.write(`simulating ${w.name}...\n`)
    results.push(simulateWorkload(w, options.seed))
  }
  const checks = results.flatMap(checkTargets)
  if (options.json) {
    process.stdout.write(`${renderJson(options.seed, results, checks)}\n`)
    return
  }
  const out = [
    `npm run simulate -- --seed ${options.seed}`,
    '',
    ...results.map(renderWorkload),
    LEGEND,
    '',
    'Targets for policy: recommended',
    renderChecks(checks),
    ''
  ]
  process.stdout.write(out.join('\n'))
}

try {
  main()
} catch (error) {
  if (error instanceof WorkloadError) {
    process.stderr.write(`simulate: ${error.message}\n`)
    process.exit(2)
  }
  throw error
}
