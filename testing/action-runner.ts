// Runs the committed bundle, dist/index.js, the way the runner does: inputs
// as INPUT_* variables (name upper-cased, hyphens kept) with action.yml's
// defaults filled in, and GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH
// and GITHUB_API_URL pointing at files and the fake API.

import { bundleNode } from './node-versions.js'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'

const root = new URL('../', import.meta.url).pathname

interface ActionYml {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}

export const actionYml = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionYml

export interface RunOptions {
  apiUrl: string
  token?: string
  repository?: string
  inputs?: Record<string, string>
  eventName?: string
  payload?: unknown
  /** what the runner would put in GITHUB_REF; the action must not rely on it */
  ref?: string
  actor?: string
  entry?: string
  env?: Record<string, string>
  /** kill the process (SIGKILL) if it has not ended by then: a hung bundle fails its test instead of hanging it */
  killAfterMs?: number
}

export interface RunResult {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** the ::error:: / ::warning:: lines */
  errors: string[]
  warnings: string[]
  /** outputs that name a file under RUNNER_TEMP (`deleted-file`): output name -> the file's contents */
  files: Record<string, string>
}

function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const [, name, delimiter] = m
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      out[name] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return out
}

const commandLines = (stdout: string, command: string): string[] =>
  stdout
    .split('\n')
    .filter(l => l.startsWith(`::${command}`))
    .map(l =>
      l
        .slice(l.indexOf('::', 2) + 2)
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%')
    )

export async function runAction(options: RunOptions): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cache-steward-e2e-'))
  try {
    const outputFile = join(dir, 'output')
    const summaryFile = join(dir, 'summary')
    const eventFile = join(dir, 'event.json')
    writeFileSync(outputFile, '')
    writeFileSync(summaryFile, '')
    writeFileSync(eventFile, JSON.stringify(options.payload ?? {}))
    const token = options.token ?? 'ghs_write'
    const repository = options.repository ?? 'octo/app'
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      GITHUB_ACTIONS: 'true',
      GITHUB_API_URL: options.apiUrl,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_EVENT_NAME: options.eventName ?? 'workflow_dispatch',
      GITHUB_REPOSITORY: repository,
      GITHUB_REF: options.ref ?? 'refs/heads/main',
      GITHUB_ACTOR: options.actor ?? 'octocat',
      RUNNER_TEMP: dir
    }
    for (const [name, spec] of Object.entries(actionYml.inputs)) {
      const value = (spec.default ?? '')
        .replace('${{ github.token }}', token)
        .replace('${{ github.repository }}', repository)
      env[`INPUT_${name.toUpperCase()}`] = value
    }
    for (const [name, value] of Object.entries(options.inputs ?? {})) {
      env[`INPUT_${name.toUpperCase()}`] = value
    }
    Object.assign(env, options.env ?? {})
    // CACHE_STEWARD_DIST lets a developer test a bundle built elsewhere
    // (node scripts/bundle.mjs --out build/mine) without touching dist/.
    const distDir = process.env.CACHE_STEWARD_DIST ?? join(root, 'dist')
    const entry = options.entry ? join(root, options.entry) : join(distDir, 'index.js')
    const child = spawn(bundleNode(), [entry], { env, cwd: dir })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    const killer =
      options.killAfterMs !== undefined
        ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs)
        : undefined
    const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? -1)))
    clearTimeout(killer)
    const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'))
    // read before the runner's temporary folder goes, as a later step would
    const files = Object.fromEntries(
      Object.entries(outputs)
        .filter(([name, path]) => name.endsWith('-file') && path.startsWith(dir))
        .map(([name, path]) => [name, readFileSync(path, 'utf8')])
    )
    return {
      code,
      stdout,
      stderr,
      outputs,
      files,
      summary: readFileSync(summaryFile, 'utf8'),
      errors: commandLines(stdout, 'error'),
      warnings: commandLines(stdout, 'warning')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** GitHub's own example payloads, from @octokit/webhooks-examples. */
export function examplePayload(event: string, action?: string): Record<string, unknown> {
  const all = JSON.parse(
    readFileSync(
      join(root, 'node_modules/@octokit/webhooks-examples/api.github.com/index.json'),
      'utf8'
    )
  ) as Array<{ name: string; examples: Array<Record<string, unknown>> }>
  const found = all
    .find(e => e.name === event)
    ?.examples.find(e => action === undefined || e.action === action)
  if (!found) throw new Error(`no example payload for ${event} ${action ?? ''}`)
  return structuredClone(found)
}
