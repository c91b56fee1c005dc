// Runs the bundled command line, dist/cli.js (or $CACHE_STEWARD_DIST/cli.js,
// like action-runner.ts), the way a person or a script does: arguments, the
// token in GH_TOKEN, GITHUB_API_URL at the fake API, and nothing of a runner.

import { bundleNode } from './node-versions.js'
import { spawn } from 'node:child_process'
import { join } from 'node:path'

const root = new URL('../', import.meta.url).pathname

const cliBundle = (): string => join(process.env.CACHE_STEWARD_DIST ?? join(root, 'dist'), 'cli.js')

export interface CliRunOptions {
  readonly args: readonly string[]
  /** GITHUB_API_URL; leave out to pass --api-url yourself */
  readonly apiUrl?: string
  /** put in GH_TOKEN (default 'ghs_write'); null for no token at all */
  readonly token?: string | null
  /** extra environment (GITHUB_TOKEN, CACHE_STEWARD_TIME_SCALE, ...) */
  readonly env?: Record<string, string>
  readonly cwd?: string
}

export interface CliRunResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

function cliEnv(options: CliRunOptions): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...(options.apiUrl !== undefined ? { GITHUB_API_URL: options.apiUrl } : {}),
    ...(options.token !== null ? { GH_TOKEN: options.token ?? 'ghs_write' } : {}),
    ...options.env
  }
}

export interface CliRunHandle {
  /** the running process (to send it SIGINT) */
  readonly child: ReturnType<typeof spawn>
  readonly done: Promise<CliRunResult>
}

/** Starts the CLI and gives the process, for tests that signal it mid-run. */
export function startCli(options: CliRunOptions): CliRunHandle {
  const child = spawn(bundleNode(), [cliBundle(), ...options.args], {
    env: cliEnv(options),
    cwd: options.cwd ?? root
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => (stdout += d))
  child.stderr.on('data', d => (stderr += d))
  const done = new Promise<CliRunResult>(resolve =>
    child.on('close', c => resolve({ code: c ?? -1, stdout, stderr }))
  )
  return { child, done }
}

export async function runCli(options: CliRunOptions): Promise<CliRunResult> {
  return startCli(options).done
}

/** A word for sh: single-quoted, with its own single quotes escaped. */
const shellWord = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`

export interface TerminalRunResult {
  readonly code: number
  /** everything the terminal received, stdout and stderr interleaved, with \r\n line ends */
  readonly screen: string
}

/**
 * Runs the CLI under a pseudo-terminal (util-linux `script`), so stdout and
 * stderr are both a terminal of `columns` columns (set with stty inside it).
 */
export async function runCliInTerminal(
  options: CliRunOptions & { readonly columns: number }
): Promise<TerminalRunResult> {
  const command = [
    `stty cols ${options.columns} rows 50 2>/dev/null;`,
    'exec',
    ...[bundleNode(), cliBundle(), ...options.args].map(shellWord)
  ].join(' ')
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...cliEnv(options), TERM: 'xterm' },
    cwd: options.cwd ?? root,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let screen = ''
  child.stdout.on('data', d => (screen += d))
  child.stderr.on('data', d => (screen += d))
  const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? -1)))
  return { code, screen }
}

/** `--name value`, or `--name=value` for a value that starts with '-' (as a shell user writes it). */
const flag = (name: string, value: string): string[] =>
  value.startsWith('-') ? [`--${name}=${value}`] : [`--${name}`, value]

/** The action's inputs as command-line flags: booleans bare, `keys`/`refs`/`repository` one flag per line. */
export function inputsToArgs(inputs: Readonly<Record<string, string>>): string[] {
  const args: string[] = []
  for (const [name, value] of Object.entries(inputs)) {
    if (['dry-run', 'stale-refs', 'delete-by-key'].includes(name)) {
      if (value === 'true') args.push(`--${name}`)
      continue
    }
    if (['keys', 'refs', 'repository'].includes(name)) {
      for (const line of value.split('\n')) args.push(...flag(name, line))
      continue
    }
    args.push(...flag(name, value))
  }
  return args
}
