#!/usr/bin/env node
// cache-steward on the command line: the entry of dist/cli.js and the
// package's `bin`. Everything but the process itself is in cli-run.ts.

// first: it keeps a malformed GITHUB_API_URL from crashing @actions/github's import
import './github/api-url-guard.js'
import { readFileSync } from 'node:fs'
import { runCli } from './cli/run.js'

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  readFile: path => readFileSync(path, 'utf8')
})
