#!/usr/bin/env node
// cache-steward on the command line: the entry of dist/cli.js and the
// package's `bin`. Everything but the process itself is in cli/run.ts. The
// first Ctrl-C asks the run to stop starting requests and report; a second
// one quits at once.

// first: it sets a malformed GITHUB_API_URL aside for the input check's message
import './github/api-url-guard.js'
import { readFileSync } from 'node:fs'
import { runCli } from './cli/run.js'

const interrupt = new AbortController()
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130)
  interrupt.abort()
})

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  readFile: path => readFileSync(path, 'utf8'),
  signal: interrupt.signal
})
