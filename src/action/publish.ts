// A command's Outcome the runner's way: outputs, the closing log block, the
// job summary, then the verdict (setFailed for an error, annotations for
// warnings).

import * as core from '@actions/core'
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Outcome } from '../commands/outcome.js'
import { logInfo, logLines } from './log.js'

export async function publish<R>(outcome: Outcome<R>, env: NodeJS.ProcessEnv): Promise<void> {
  for (const [name, value] of Object.entries(outcome.outputs)) core.setOutput(name, value)
  for (const [name, contents] of Object.entries(outcome.files ?? {})) {
    core.setOutput(name, writeRunnerFile(env, name, contents))
  }
  const { title, lines } = outcome.log
  if (title !== undefined) {
    await core.group(title, async () => {
      for (const line of lines) logInfo(line)
    })
  } else {
    for (const line of lines) logInfo(line)
  }
  if (outcome.summary !== undefined && env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(outcome.summary).write()
  }
  for (const notice of outcome.notices) {
    if (notice.level === 'error') core.setFailed(notice.message)
    else if (notice.level === 'warning') core.warning(notice.message)
    else logLines(notice.message)
  }
}

/** A file under RUNNER_TEMP (emptied after every job), named after its output. */
function writeRunnerFile(env: NodeJS.ProcessEnv, name: string, contents: string): string {
  const path = join(env.RUNNER_TEMP || tmpdir(), `cache-steward-${name}-${randomUUID()}.json`)
  writeFileSync(path, contents)
  return path
}
